import { expect } from 'chai';
import { Redis } from 'ioredis';
import { HTTPTask, TaskUpdate } from '@otel-top/model';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { RedisTaskExporter, RedisTaskReader } from '../src';
import { StaticTask } from './static-task';

const paths = (tasks: HTTPTask[]): Array<string | null> => tasks.map((task) => task.path);

describe('RedisTaskReader', function () {
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

  it('reads what the exporter writes: active by processor id, completed newest first', async () => {
    const exporter = new RedisTaskExporter({ url: server.url });
    const running = new StaticTask('/running');
    exporter.taskStarted(running);
    for (const path of ['/one', '/two', '/three']) exporter.taskEnded(new StaticTask(path).end());
    await exporter.shutdown();

    const active = await reader.getActiveTasks();
    expect(active.size).to.equal(0); // shutdown ended the running task
    const completed = await reader.getCompletedTasks();
    expect(completed.map((task) => task.path)).to.deep.equal(['/running', '/three', '/two', '/one']);
    expect(completed[0].recordedSuccessfully).to.equal(false);
    expect(await reader.getCompletedTasks(2)).to.have.length(2);
  });

  it('returns active tasks keyed by their processors field', async () => {
    const task = new HTTPTask({ processId: 7, threadId: 0, processInternalId: 'abc', method: 'GET', path: '/x' });
    await redis.hset('processors', task.getProcessorTrackingId(), JSON.stringify(task));
    const active = await reader.getActiveTasks();
    expect([...active.keys()]).to.deep.equal(['7-0-abc']);
    expect(active.get('7-0-abc')?.path).to.equal('/x');
  });

  it('decodes only what changed since its previous read, and never shows a stale task', async () => {
    const json = (path: string): string => JSON.stringify(new StaticTask(path).task);
    await redis.hset('processors', 'a', json('/a'), 'b', json('/b'), 'c', json('/c'));
    const first = await reader.getActiveTasks();
    await redis.hset('processors', 'b', json('/b2'), 'd', json('/d'));
    await redis.hset('processors', 'c', '{broken');
    const second = await reader.getActiveTasks();
    expect(second.get('a')).to.equal(first.get('a')); // unchanged: the same object, not decoded again
    expect(second.get('b')?.path).to.equal('/b2');
    expect(second.has('c')).to.equal(false); // now broken: skipped, not the old task
    expect(second.get('d')?.path).to.equal('/d');
    expect(reader.skipped.active).to.equal(1);
    await redis.hdel('processors', 'a');
    await redis.hset('processors', 'c', json('/c'));
    const third = await reader.getActiveTasks();
    expect([...third.keys()].sort()).to.deep.equal(['b', 'c', 'd']);
    expect(third.get('c')?.path).to.equal('/c');
    expect(third.get('b')).to.equal(second.get('b'));
  });

  it('skips and counts records that do not decode, and shows the rest', async () => {
    await redis.hset('processors', {
      good: JSON.stringify(new HTTPTask({ method: 'GET', path: '/ok' })),
      broken: '{"method": "GET", ',
      wrongType: '{"process_id": "seven"}',
    });
    await redis.rpush('past_tasks', 'not json', JSON.stringify(new HTTPTask({ path: '/done' })), '[]');
    expect([...(await reader.getActiveTasks()).keys()]).to.deep.equal(['good']);
    expect((await reader.getCompletedTasks()).map((task) => task.path)).to.deep.equal(['/done']);
    expect(reader.skipped).to.include({ active: 2, completed: 2 });
  });

  it('delivers what each flush wrote, in one update per flush, until unsubscribed', async () => {
    const received: TaskUpdate[] = [];
    const unsubscribe = await reader.subscribe((update) => received.push(update));
    const exporter = new RedisTaskExporter({ url: server.url, activeAfterMillis: 0 });
    try {
      const running = new StaticTask('/running');
      const done = new StaticTask('/done');
      exporter.taskStarted(running);
      exporter.taskStarted(done);
      exporter.taskEnded(done.end());
      await exporter.forceFlush();
      await waitFor(() => received.length === 1, { message: 'the flush delivered' });
      expect(received[0].active.map((task) => task.path)).to.deep.equal(['/running']);
      expect(received[0].completed.map((task) => task.path)).to.deep.equal(['/done']);
      expect(received[0].removed).to.deep.equal([]);
      await redis.publish('otel_top:updates', 'garbage');
      await waitFor(() => reader.skipped.updates === 1);
    } finally {
      await exporter.shutdown();
    }
    await unsubscribe();
    expect(await redis.pubsub('NUMSUB', 'otel_top:updates')).to.deep.equal(['otel_top:updates', 0]);
  });

  it('with batchMillis: one update per period at most, newest first and no more completed than past_tasks keeps', async () => {
    const batched = new RedisTaskReader({ url: server.url, maxCompletedTasks: 4 });
    const received: Array<{ at: number; update: TaskUpdate }> = [];
    const unsubscribe = await batched.subscribe((update) => received.push({ at: Date.now(), update }), { batchMillis: 300 });
    const exporter = new RedisTaskExporter({ url: server.url, activeAfterMillis: 0, completedListRefreshMillis: 0 });
    try {
      exporter.taskStarted(new StaticTask('/running'));
      exporter.taskEnded(new StaticTask('/first').end());
      await exporter.forceFlush();
      await waitFor(() => received.length === 1, { message: 'the first batch delivered' });
      expect(paths(received[0].update.active)).to.deep.equal(['/running']);
      expect(paths(received[0].update.completed)).to.deep.equal(['/first']);

      // Three flushes of three, published within one period or at most across two.
      for (let flush = 1; flush <= 3; flush++) {
        for (const part of ['a', 'b', 'c']) exporter.taskEnded(new StaticTask(`/${flush}${part}`).end());
        await exporter.forceFlush();
      }
      await redis.publish('otel_top:updates', 'garbage');
      await waitFor(() => received.some(({ update }) => paths(update.completed).includes('/3c')), { message: 'the newest flush delivered' });
      const later = received.slice(1).map(({ update }) => paths(update.completed));
      expect(later.length).to.be.at.most(2);
      for (const completed of later) expect(completed.length).to.be.at.most(4);
      expect(later[later.length - 1]?.slice(-4)).to.deep.equal(['/2c', '/3a', '/3b', '/3c']);
      for (let index = 1; index < received.length; index++) expect(received[index].at - received[index - 1].at).to.be.at.least(250);
      await waitFor(() => batched.skipped.updates === 1, { message: 'the garbage counted' });
    } finally {
      await exporter.shutdown();
      await unsubscribe();
      await batched.close();
    }
    expect(await redis.pubsub('NUMSUB', 'otel_top:updates')).to.deep.equal(['otel_top:updates', 0]);
  });

  it('reads a page of the longest-running of 12,000 active tasks through the index, Python ones found by a scan', async function () {
    this.timeout(60_000);
    const exporter = new RedisTaskExporter({ url: server.url, activeAfterMillis: 0, maxQueueSize: 50_000 });
    try {
      const base = Date.now() - 60_000;
      const tasks = Array.from({ length: 12_000 }, (_, i) => {
        const task = new StaticTask(`/indexed/${i}`);
        task.task.startedAt = new Date(base + i);
        return task;
      });
      for (const task of tasks) exporter.taskStarted(task);
      await exporter.forceFlush();
      // A Python writer's request, running longer than any: it keeps no index.
      const python = new HTTPTask({ processId: 3209, threadId: 1, processInternalId: 'py', path: '/python', startedAt: new Date(base - 5_000) });
      await redis.hset('processors', python.getProcessorTrackingId(), JSON.stringify(python));
      await redis.config('RESETSTAT');

      const first = await reader.getActiveTasksPage(20);
      expect(first.total).to.equal(12_001);
      expect(first.tasks.size).to.equal(20);
      expect([...first.tasks.values()].slice(0, 3).map((task) => task.path).filter((path) => path !== '/python')).to.include('/indexed/0');
      // It read the page, not the table.
      const info = await redis.info('commandstats');
      expect(info).to.not.match(/cmdstat_hgetall:/);
      const page = await waitFor(async () => {
        const read = await reader.getActiveTasksPage(20);
        return [...read.tasks.values()][0]?.path === '/python' && read;
      }, { timeoutMillis: 10_000, message: 'the Python task found and shown first' });
      expect([...page.tasks.values()].slice(1, 4).map((task) => task.path)).to.deep.equal(['/indexed/0', '/indexed/1', '/indexed/2']);
    } finally {
      await exporter.shutdown();
    }
  });

  it('reads a prefixed table', async () => {
    await redis.lpush('{shop}:past_tasks', JSON.stringify(new HTTPTask({ path: '/prefixed' })));
    const prefixed = new RedisTaskReader({ url: server.url, keyPrefix: '{shop}:' });
    try {
      expect((await prefixed.getCompletedTasks()).map((task) => task.path)).to.deep.equal(['/prefixed']);
      expect(await reader.getCompletedTasks()).to.deep.equal([]);
    } finally {
      await prefixed.close();
    }
  });
});
