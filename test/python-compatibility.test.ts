import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer } from '@otel-top/redis-test-server';
import { readLikeWebTop } from './fixtures/web-top-reader';

// A dump of what the Python top-framework wrote to Redis (the README beside it says how it was made).
const FIXTURE = join(__dirname, '..', 'fixtures', 'top-framework', 'tracking-table.json');

interface TrackingTableDump {
  processors: Record<string, unknown>;
  past_tasks: unknown[];
  last_cleared_at: string;
}

describe('What the Python Top Framework writes', function () {
  let server: RedisTestServer;
  let redis: Redis;
  let reader: RedisTaskReader;
  let dump: TrackingTableDump;

  before(async () => {
    dump = JSON.parse(readFileSync(FIXTURE, 'utf8')) as TrackingTableDump;
    server = await RedisTestServer.start();
    redis = new Redis(server.url);
    for (const [field, task] of Object.entries(dump.processors)) {
      await redis.hset('processors', field, JSON.stringify(task));
    }
    await redis.rpush('past_tasks', ...dump.past_tasks.map((task) => JSON.stringify(task)));
    await redis.set('last_cleared_at', dump.last_cleared_at);
    reader = new RedisTaskReader({ url: server.url });
  });

  after(async () => {
    await reader.close();
    redis.disconnect();
    await server.stop();
  });

  it('decodes the active tasks under both processor id forms', async () => {
    const active = await reader.getActiveTasks();
    expect(reader.skipped.active).to.equal(0);
    expect([...active.keys()].sort()).to.deep.equal(['3209-140379631329984-1', 'pid:3209 tid:140379631329984-cron']);

    const http = active.get('3209-140379631329984-1');
    expect(http?.getProcessorTrackingId()).to.equal('3209-140379631329984-1');
    expect(http).to.include({
      taskId: 140538974609616,
      taskName: null,
      hostName: 'vm',
      processId: 3209,
      threadId: 140379631329984,
      processInternalId: '1',
      processorName: '<Worker 2125131>',
      recordedSuccessfully: null,
      method: 'GET',
      path: '/api/candles',
      clientIpAddress: '127.0.0.1',
      statusCode: null,
    });
    expect(http?.startedAt?.toISOString()).to.equal('2026-11-23T20:42:11.052Z');
    expect(http?.updatedAt?.toISOString()).to.equal('2026-11-23T20:42:11.052Z');
    expect(http?.endedAt).to.equal(null);
    expect(http?.params).to.deep.equal({ pair_id: '1', time_bucket: '4h' });
    expect(http?.commandLine).to.deep.equal(['gen_fixtures.py']);
    expect(http?.getHost()).to.equal('tradingstrategy.ai');
    expect(http?.getUserAgent()).to.equal('python-requests/2.27.1');
    expect(http?.getIpCountry()).to.equal('US');
    expect(http?.getFlag()).to.equal('🇺🇸');
    expect(http?.getOriginalIp()).to.equal('203.0.113.7');

    const cron = active.get('pid:3209 tid:140379631329984-cron');
    expect(cron).to.include({ taskId: 'cron-1', taskName: 'nightly-report', processInternalId: null, method: null });
    expect(cron?.getProcessorTrackingId()).to.equal('pid:3209 tid:140379631329984');
    expect(cron?.startedAt?.toISOString()).to.equal('2026-11-23T20:42:11.105Z');
  });

  it('decodes the completed tasks, newest first', async () => {
    const [aborted, login] = await reader.getCompletedTasks();
    expect(reader.skipped.completed).to.equal(0);

    expect(aborted).to.include({
      taskId: 'req-abc',
      processInternalId: 'conn-7',
      recordedSuccessfully: true,
      protocol: 'https',
      host: 'shop.example',
      path: '/slow',
      uri: 'https://shop.example/slow?x=1',
      statusCode: null,
      requestHeaders: null,
    });
    expect(aborted.tags).to.deep.equal({ 'service.name': 'shop', 'deployment.environment': 'prod' });
    expect(aborted.getDuration()).to.equal(1); // 104598 µs to 105105 µs, at millisecond precision
    expect(aborted.getOriginalIp()).to.equal(undefined);

    expect(login).to.include({ taskId: 140538974609999, method: 'POST', statusCode: 200, statusMessage: '200 OK' });
    expect(login.getContentLength()).to.equal(429000);
    expect(login.getSingleResponseHeader('content-type')).to.equal('application/json');
    expect(login.responseHeaders?.filter(([name]) => name === 'Set-Cookie')).to.have.length(2);
    expect(login.getDuration()).to.equal(51);
    expect(login.endedAt?.toISOString()).to.equal('2026-11-23T20:42:11.103Z');
  });

  it('is read without errors by the web-top stand-in too, which keeps that check honest', async () => {
    const view = await readLikeWebTop(server.port);
    expect(view.errors).to.deep.equal([]);
    expect(Object.keys(view.active)).to.have.length(2);
    expect(view.completed.map((columns) => columns.Path)).to.deep.equal(['/slow', '/api/login']);
    expect(view.completed[1]).to.include({ Length: 429000, Resp: 200, IP: '10.1.2.3' });
  });

  it('shows the stand-in rejects what the Python reader would reject', async () => {
    await redis.lpush(
      'past_tasks',
      JSON.stringify({ started_at: '2026-11-23T20:42:11.105Z' }),
      JSON.stringify({ request_headers: [['USER-AGENT', 'a'], ['User-Agent', 'b']] }),
    );
    try {
      const view = await readLikeWebTop(server.port);
      expect(view.errors).to.have.length(2);
      expect(view.errors.join('\n')).to.include('fromisoformat').and.include('appears twice');
    } finally {
      await redis.lpop('past_tasks', 2);
    }
  });
});
