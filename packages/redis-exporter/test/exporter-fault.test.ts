import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { HTTPTask } from '@otel-top/model';
import { FaultProxy, RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { createRedisClient, RedisTaskExporter, RedisTaskExporterConfig } from '../src';
import { StaticTask } from './static-task';

/** Collects what the exporter says through the OTel diagnostic logger. */
function captureDiag(): { warnings: string[]; restore: () => void } {
  const warnings: string[] = [];
  const record = (message: string): void => {
    warnings.push(message);
  };
  diag.setLogger(
    { error: record, warn: record, info: () => undefined, debug: () => undefined, verbose: () => undefined },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return { warnings, restore: () => diag.disable() };
}

async function pastTaskIds(redis: Redis, key = 'past_tasks'): Promise<string[]> {
  return (await redis.lrange(key, 0, -1)).map((json) => String(HTTPTask.fromJSON(json).taskId));
}

function duplicates(ids: string[]): number {
  return ids.length - new Set(ids).size;
}

/** A task with the headers and params a real request carries, so encoding costs what it costs in production. */
function realisticTask(i: number): StaticTask {
  const task = new StaticTask(`/api/items/${i}`);
  task.task.requestHeaders = [
    ['HOST', 'shop.example'],
    ['USER-AGENT', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'],
    ['ACCEPT', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
    ['X-FORWARDED-FOR', '203.0.113.7, 10.0.0.1'],
  ];
  task.task.params = { page: String(i), sort: 'price', q: 'blue shoes size 42' };
  task.task.tags = { 'service.name': 'shop', trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' };
  task.task.commandLine = ['/usr/bin/node', '/srv/shop/server.js'];
  return task;
}

describe('RedisTaskExporter under faults', function () {
  this.timeout(30_000);
  let server: RedisTestServer;
  let redis: Redis;
  const exporters: RedisTaskExporter[] = [];
  /** Clients given to exporters: shutdown() leaves a given client open. */
  const clients: Redis[] = [];

  function exporter(config: RedisTaskExporterConfig = {}): RedisTaskExporter {
    const created = new RedisTaskExporter({ url: server.url, heartbeatIntervalMillis: 60_000, ...config });
    exporters.push(created);
    return created;
  }

  beforeEach(async () => {
    server = await RedisTestServer.start();
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
  });

  afterEach(async () => {
    server.resume();
    await Promise.all(exporters.splice(0).map((created) => created.shutdown()));
    for (const client of clients.splice(0)) client.disconnect();
    redis.disconnect();
    await server.stop();
  });

  it('applies a batch once when the connection drops after Redis applied it but before the reply', async () => {
    const proxy = await FaultProxy.start(server.port);
    try {
      const tracker = exporter({ url: proxy.url, maxCompletedTasks: 1_000 });
      // Wait for the first heartbeat, so the next write is the batch of tasks.
      await waitFor(async () => (await redis.hlen('otel_top:exporters')) === 1);
      await tracker.forceFlush();
      const running = new StaticTask('/running');
      tracker.taskStarted(running);
      for (let i = 0; i < 50; i++) tracker.taskEnded(new StaticTask(`/done/${i}`).end());
      proxy.swallowNextReplies(1);
      await tracker.forceFlush();

      expect(proxy.swallowed).to.equal(1);
      const ids = await pastTaskIds(redis);
      expect(ids).to.have.length(50);
      expect(duplicates(ids)).to.equal(0);
      expect(await redis.hexists('processors', running.processorId)).to.equal(1);
      expect(tracker.getStats()).to.include({ retried: 1, duplicates: 1, writtenCompleted: 50, writtenActive: 1, failed: 0 });
    } finally {
      await proxy.close();
    }
  });

  it('writes every task exactly once while its connection is killed again and again under load', async () => {
    const tracker = exporter({ maxCompletedTasks: 100_000, flushIntervalMillis: 5 });
    await waitFor(async () => (await redis.hlen('otel_top:exporters')) === 1);
    let sent = 0;
    let kills = 0;
    const deadline = Date.now() + 3_000;
    const load = (async () => {
      // 3 s of tasks in bursts of 50, while the exporter's connection is killed every 150 ms.
      while (Date.now() < deadline && sent < 50_000) {
        for (let i = 0; i < 50; i++) {
          const task = new StaticTask(`/load/${sent++}`);
          tracker.taskStarted(task);
          tracker.taskEnded(task.end());
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    while (Date.now() < deadline) {
      const killed = await redis.client('KILL', 'USER', 'default', 'SKIPME', 'yes');
      kills += Number(killed);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await load;
    await waitFor(async () => (await redis.llen('past_tasks')) === sent, { timeoutMillis: 10_000, message: 'all tasks written' });
    const ids = await pastTaskIds(redis);
    const stats = tracker.getStats();
    console.log(`      figures: ${JSON.stringify({ sent, kills, written: ids.length, doubled: duplicates(ids), ...stats })}`);
    expect(kills).to.be.greaterThan(5);
    expect(duplicates(ids)).to.equal(0);
    expect(ids).to.have.length(sent);
    expect(stats).to.include({ dropped: 0, failed: 0, writtenCompleted: sent });
  });

  it('holds at most maxCompletedTasks ends while Redis is down, says so once, and resumes within 2 s of its return', async () => {
    const logged = captureDiag();
    try {
      // A client of the test's own, set up as the exporter would its own, so the test knows when the connection is seen gone.
      const client = createRedisClient(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
      clients.push(client);
      const tracker = exporter({ client, maxCompletedTasks: 100 });
      const running = new StaticTask('/long-running');
      tracker.taskStarted(running);
      await tracker.forceFlush();
      await server.kill();
      // Before that, ends are trimmed as with Redis up and nobody subscribed; from then on they are lost, and said to be.
      await waitFor(() => client.status !== 'ready', { timeoutMillis: 2_000, message: 'the exporter sees Redis gone' });
      const heapBefore = process.memoryUsage().heapUsed;
      for (let i = 0; i < 50_000; i++) {
        const task = new StaticTask(`/down/${i}`);
        tracker.taskStarted(task);
        tracker.taskEnded(task.end());
        if (i % 5_000 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      const stats = tracker.getStats();
      expect(stats.queued).to.be.at.most(101);
      expect(stats).to.include({ dropped: 49_900, trimmed: 0 });
      const dropWarnings = logged.warnings.filter((message) => message.includes('dropped'));
      expect(dropWarnings).to.have.length(1);

      await server.restart();
      const back = Date.now();
      // The running task reappears (Redis lost its data) and new tasks are written.
      const fresh = new StaticTask('/after-restart');
      tracker.taskStarted(fresh);
      await waitFor(async () => (await redis.hexists('processors', fresh.processorId)) === 1, { timeoutMillis: 5_000 });
      const recoveryMillis = Date.now() - back;
      await waitFor(async () => (await redis.hexists('processors', running.processorId)) === 1, { timeoutMillis: 2_000 });
      const ids = await pastTaskIds(redis);
      console.log(
        `      figures: ${JSON.stringify({ recoveryMillis, heapGrowthBytes: process.memoryUsage().heapUsed - heapBefore, pastTasks: ids.length, ...tracker.getStats() })}`,
      );
      expect(recoveryMillis).to.be.below(2_000);
      expect(duplicates(ids)).to.equal(0);
      expect(ids.length).to.be.at.most(100);
    } finally {
      logged.restore();
    }
  });

  it('keeps nothing piling up while Redis is frozen, and recovers when it resumes', async () => {
    const tracker = exporter({ commandTimeoutMillis: 300, maxCompletedTasks: 1_000 });
    await tracker.forceFlush();
    server.freeze();
    const frozenAt = Date.now();
    let sent = 0;
    // 1.5 s of a steady stream while nothing answers.
    while (Date.now() - frozenAt < 1_500) {
      for (let i = 0; i < 100; i++) {
        const task = new StaticTask(`/frozen/${sent++}`);
        tracker.taskStarted(task);
        tracker.taskEnded(task.end());
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const frozenStats = tracker.getStats();
    expect(frozenStats.queued).to.be.at.most(1_000 + 1_000);
    server.resume();
    const resumedAt = Date.now();
    const probe = new StaticTask('/after-resume');
    tracker.taskStarted(probe);
    await waitFor(async () => (await redis.hexists('processors', probe.processorId)) === 1, { timeoutMillis: 5_000 });
    const recoveryMillis = Date.now() - resumedAt;
    const ids = await pastTaskIds(redis);
    console.log(`      figures: ${JSON.stringify({ sent, recoveryMillis, pastTasks: ids.length, frozenQueued: frozenStats.queued, ...tracker.getStats() })}`);
    expect(recoveryMillis).to.be.below(2_000);
    expect(duplicates(ids)).to.equal(0);
  });

  it('counts writes Redis refuses (maxmemory), reports them once, and cleans up once Redis accepts writes again', async () => {
    const logged = captureDiag();
    try {
      const tracker = exporter({ flushIntervalMillis: 20 });
      const running = Array.from({ length: 20 }, (_, i) => new StaticTask(`/running/${i}`));
      for (const task of running) tracker.taskStarted(task);
      await tracker.forceFlush();
      expect(await redis.hlen('processors')).to.equal(20);

      // A Redis over its memory limit refuses every write, whatever their size.
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
      await redis.config('SET', 'maxmemory', '1');
      for (const task of running) tracker.taskEnded(task.end());
      for (let i = 0; i < 100; i++) tracker.taskEnded(new StaticTask(`/refused/${i}`).end());
      await waitFor(() => tracker.getStats().failed >= 100, { timeoutMillis: 5_000, message: 'writes refused' });
      expect(logged.warnings.filter((message) => message.includes('OOM'))).to.have.length(1);
      expect(await redis.hlen('processors')).to.equal(20);

      await redis.config('SET', 'maxmemory', '0');
      // The ended tasks leave processors once writes are accepted again; nothing is left as a ghost.
      await waitFor(async () => (await redis.hlen('processors')) === 0, { timeoutMillis: 10_000, message: 'processors emptied' });
      tracker.taskEnded(new StaticTask('/accepted').end());
      await tracker.forceFlush();
      expect((await redis.lrange('past_tasks', 0, 0)).map((json) => HTTPTask.fromJSON(json).path)).to.deep.equal(['/accepted']);
    } finally {
      logged.restore();
    }
  });

  it('never holds the event loop for long while it encodes and writes 20,000 tasks', async () => {
    // Publishing every update makes the exporter encode all 20,000 (otherwise it skips those the list cannot keep).
    const tracker = exporter({
      flushIntervalMillis: 60_000,
      maxCompletedTasks: 100,
      maxQueueBytes: 256 * 1024 * 1024,
      publishUpdates: true,
    });
    const tasks = Array.from({ length: 20_000 }, (_, i) => realisticTask(i).end());
    for (const task of tasks) tracker.taskEnded(task);
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    await tracker.forceFlush();
    histogram.disable();
    const maxMillis = histogram.max / 1e6;
    console.log(`      figures: ${JSON.stringify({ tasks: tasks.length, maxEventLoopDelayMillis: maxMillis, p99Millis: histogram.percentile(99) / 1e6 })}`);
    expect(tracker.getStats().writtenCompleted).to.equal(20_000);
    // Generous: the machine is shared; without slicing this is hundreds of milliseconds.
    expect(maxMillis).to.be.below(50);
  });

  it('drops, counted, what is over its byte bound', async () => {
    const tracker = exporter({ maxQueueBytes: 200_000, flushIntervalMillis: 60_000 });
    await tracker.forceFlush();
    for (let i = 0; i < 5_000; i++) tracker.taskEnded(realisticTask(i).end());
    const stats = tracker.getStats();
    expect(stats.queuedBytes).to.be.at.most(200_000);
    expect(stats.dropped).to.be.greaterThan(0);
    expect(stats.queued + stats.dropped).to.equal(5_000);
  });
});
