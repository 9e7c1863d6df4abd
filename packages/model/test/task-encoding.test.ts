import { expect } from 'chai';
import { encodeTask, HTTPTask, trackingTableKeys } from '../src';

function bigTask(): HTTPTask {
  const long = 'x'.repeat(3000);
  return new HTTPTask({
    taskId: 'a1',
    method: 'GET',
    path: `/${long}`,
    uri: `http://h/${long}`,
    params: { q: long },
    tags: { 'service.name': long },
    commandLine: [long],
    requestHeaders: [
      ['USER-AGENT', 'curl/8'],
      ['X-FORWARDED-FOR', '203.0.113.1'],
      ['ACCEPT', long],
      ['ACCEPT-LANGUAGE', long],
    ],
    responseHeaders: [['content-length', '12'], ['etag', long]],
    startedAt: new Date(0),
  });
}

describe('encodeTask', () => {
  it('returns the plain wire JSON of a task under the cap', () => {
    const task = new HTTPTask({ method: 'GET', path: '/', statusCode: 200 });
    expect(encodeTask(task, 16_384)).to.equal(JSON.stringify(task));
  });

  it('sheds what the columns need least to fit the cap, keeping the column headers', () => {
    const json = encodeTask(bigTask(), 8_192);
    expect(Buffer.byteLength(json)).to.be.at.most(8_192);
    const decoded = HTTPTask.fromJSON(json);
    expect(decoded.getUserAgent()).to.equal('curl/8');
    expect(decoded.getOriginalIp()).to.equal('203.0.113.1');
    expect(decoded.getContentLength()).to.equal(12);
    expect(decoded.params).to.equal(null);
    expect(decoded.method).to.equal('GET');
  });

  it('fits a 4 KiB cap by cutting long strings, never splitting the JSON', () => {
    const task = bigTask();
    task.requestHeaders = Array.from({ length: 30 }, (_, i): [string, string] => ['USER-AGENT', `${'é'.repeat(900)}${i}`]);
    const json = encodeTask(task, 4_096);
    expect(Buffer.byteLength(json)).to.be.at.most(4_096);
    expect(HTTPTask.fromJSON(json).path?.length).to.be.at.most(256);
  });
});

describe('trackingTableKeys', () => {
  it('has the Python names by default and prefixes them on request', () => {
    expect(trackingTableKeys()).to.include({
      processors: 'processors',
      pastTasks: 'past_tasks',
      taskUpdates: 'task_updates',
      lastClearedAt: 'last_cleared_at',
    });
    const prefixed = trackingTableKeys('{shop}:');
    expect(prefixed.processors).to.equal('{shop}:processors');
    expect(prefixed.exporters).to.equal('{shop}:otel_top:exporters');
    expect(prefixed.ownedTasks('a:1')).to.equal('{shop}:otel_top:tasks:a:1');
  });
});
