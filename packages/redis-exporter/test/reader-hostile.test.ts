import { expect } from 'chai';
import { Redis } from 'ioredis';
import { HTTPTask, TaskUpdate } from '@otel-top/model';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { RedisTaskExporter, RedisTaskReader } from '../src';
import { StaticTask } from './static-task';

const good = (path: string): string => JSON.stringify(new HTTPTask({ method: 'GET', path, startedAt: new Date() }));

/** Records a careless or hostile writer could leave in the table. */
const HOSTILE: string[] = [
  '',
  'null',
  '42',
  '"a string"',
  '[1, 2, 3]',
  '{"method": "GET", ',
  '{"process_id": "seven"}',
  '{"started_at": "yesterday"}',
  '{"started_at": 1700000000}',
  '{"request_headers": [["HOST"]]}',
  '{"request_headers": {"HOST": "x"}}',
  '{"params": {"a": 1}}',
  '{"tags": {"a": {"b": "c"}}}',
  '{"command_line": "node app.js"}',
  '{"recorded_successfully": "yes"}',
  '{"status_code": 200.5}',
  '{"__proto__": {"polluted": true}, "path": 5}',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  '\u0000\uffff\ud800',
  JSON.stringify({ path: 'x'.repeat(2 * 1024 * 1024) }),
];

describe('RedisTaskReader with hostile records', function () {
  this.timeout(20_000);
  let server: RedisTestServer;
  let redis: Redis;
  let reader: RedisTaskReader;

  before(async () => {
    server = await RedisTestServer.start();
    redis = new Redis(server.url);
  });

  beforeEach(() => {
    reader = new RedisTaskReader({ url: server.url });
  });

  afterEach(async () => {
    await reader.close();
    await redis.flushall();
  });

  after(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('shows the valid records among every kind of broken one and counts the rest', async () => {
    const fields: Record<string, string> = { ok1: good('/one'), ok2: good('/two') };
    HOSTILE.forEach((record, i) => (fields[`bad${i}`] = record));
    await redis.hset('processors', fields);
    await redis.rpush('past_tasks', good('/done'), ...HOSTILE, good('/older'));

    const active = await reader.getActiveTasks();
    expect([...active.keys()].sort()).to.deep.equal(['ok1', 'ok2']);
    const completed = await reader.getCompletedTasks();
    expect(completed.map((task) => task.path)).to.deep.equal(['/done', '/older']);
    expect(reader.skipped).to.include({ active: HOSTILE.length, completed: HOSTILE.length, keys: 0 });
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('survives keys of the wrong type (a string where the hash should be, a hash where the list should be)', async () => {
    await redis.set('processors', 'not a hash');
    await redis.hset('past_tasks', 'not', 'a list');
    expect((await reader.getActiveTasks()).size).to.equal(0);
    expect(await reader.getCompletedTasks()).to.deep.equal([]);
    expect(reader.skipped.keys).to.equal(2);

    // The exporter meets the same keys: it counts failed writes and the app goes on.
    const exporter = new RedisTaskExporter({ url: server.url, heartbeatIntervalMillis: 60_000 });
    try {
      exporter.taskStarted(new StaticTask('/into-a-string'));
      exporter.taskEnded(new StaticTask('/into-a-hash').end());
      await exporter.forceFlush();
      expect(exporter.getStats().failed).to.be.greaterThan(0);
      expect(await redis.get('processors')).to.equal('not a hash');
    } finally {
      await exporter.shutdown();
    }
  });

  it('survives garbage in the exporters hash and in update messages', async () => {
    await redis.hset('otel_top:exporters', { junk: 'not json', old: '{"seen": "x"}', arr: '[]', nul: 'null' });
    await redis.hset('processors', 'ok', good('/ok'));
    expect([...(await reader.getActiveTasks()).keys()]).to.deep.equal(['ok']);
    expect(await redis.hlen('otel_top:exporters')).to.equal(4);

    const received: TaskUpdate[] = [];
    await reader.subscribe((update) => {
      received.push(update);
      throw new Error('a listener that fails');
    });
    const update = (tasks: string[]): string => `{"exporter":"w","active":[${tasks.join(',')}],"completed":[],"removed":[]}`;
    for (const message of HOSTILE) await redis.publish('otel_top:updates', message);
    // A message whose tasks are partly broken delivers the good ones.
    await redis.publish('otel_top:updates', update([good('/live'), '{"process_id": "seven"}', 'null']));
    await redis.publish('otel_top:updates', update([good('/live-2')]));
    await waitFor(() => received.length === 2, { message: 'both valid updates delivered' });
    expect(received.map(({ active }) => active.map((task) => task.path))).to.deep.equal([['/live'], ['/live-2']]);
    expect(reader.skipped.updates).to.equal(HOSTILE.length + 2);
  });

  it('reads at most 10,000 completed tasks when a list was never trimmed', async () => {
    const records = Array.from({ length: 12_000 }, (_, i) => good(`/p${i}`));
    for (let i = 0; i < records.length; i += 1_000) await redis.rpush('past_tasks', ...records.slice(i, i + 1_000));
    expect(await reader.getCompletedTasks()).to.have.length(10_000);
    expect(await reader.getCompletedTasks(5)).to.have.length(5);
  });
});
