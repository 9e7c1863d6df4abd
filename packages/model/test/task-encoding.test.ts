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

describe('encodeTask with open spans', () => {
  function waitingTask(spans: number, attributeLength: number): HTTPTask {
    return new HTTPTask({
      method: 'GET',
      path: '/api/export',
      requestHeaders: [['USER-AGENT', 'curl/8'], ['ACCEPT', 'a'.repeat(2000)]],
      startedAt: new Date(0),
      openSpans: Array.from({ length: spans }, (_, i) => ({
        spanId: `s${i}`,
        parentSpanId: 'root',
        name: `SELECT ${i}`,
        kind: 'CLIENT',
        startedAt: new Date(1000),
        attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'q'.repeat(attributeLength) },
      })),
    });
  }

  it('sheds the open spans\' attributes first, keeping the spans and every other field', () => {
    const task = waitingTask(20, 256);
    const json = encodeTask(task, 6_144);
    expect(JSON.stringify(task).length).to.be.greaterThan(6_144);
    expect(Buffer.byteLength(json)).to.be.at.most(6_144);
    const decoded = HTTPTask.fromJSON(json);
    expect(decoded.openSpans?.map((span) => span.name)).to.deep.equal(task.openSpans?.map((span) => span.name));
    expect(decoded.openSpans?.every((span) => Object.keys(span.attributes ?? {}).length === 0)).to.equal(true);
    expect(decoded.getSingleRequestHeader('accept')).to.have.length(2000);
  });

  it('then the open spans, before any other field', () => {
    const task = waitingTask(32, 256);
    task.openSpans?.forEach((span) => (span.name = 'n'.repeat(200)));
    const json = encodeTask(task, 6_144);
    expect(Buffer.byteLength(json)).to.be.at.most(6_144);
    const decoded = HTTPTask.fromJSON(json);
    expect(decoded.openSpans).to.equal(null);
    expect(decoded.getSingleRequestHeader('accept')).to.have.length(2000);
    expect(task.openSpans).to.have.length(32); // the task itself is left as it was
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
