import { expect } from 'chai';
import { Redis } from 'ioredis';
import { HTTPTask, OVERFLOW_TASK_NAME, RouteFigures, trackingTableKeys, TrafficReport } from '@otel-top/model';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { FaultAppProcess } from '../fault/fault-app-process';
import { generateLoad, send } from '../fault/load-generator';

const keys = trackingTableKeys();

function route(report: TrafficReport, name: string): RouteFigures | undefined {
  return report.routes.find((figures) => figures.name === name);
}

/** Waits until the report over the window counts `total` requests, as writers add their seconds. */
async function reportCounting(reader: RedisTaskReader, total: number, window: '1m' | '5m' = '1m'): Promise<TrafficReport> {
  return waitFor(
    async () => {
      const report = await reader.getTraffic(window);
      return report.total.count >= total ? report : undefined;
    },
    { timeoutMillis: 10_000, intervalMillis: 200, message: `${total} requests counted` },
  );
}

describe('Live counters: every request counted, at any rate', function () {
  this.timeout(60_000);
  let server: RedisTestServer;
  let redis: Redis;
  let reader: RedisTaskReader;
  const apps: FaultAppProcess[] = [];

  async function startApp(env: Record<string, string> = {}, exporter: Record<string, unknown> = {}): Promise<FaultAppProcess> {
    const app = await FaultAppProcess.start({
      TOP_TRACKER_URL: server.url,
      TOP_MAX_COMPLETED_TASKS: '10',
      FAULT_EXPORTER: JSON.stringify(exporter),
      ...env,
    });
    apps.push(app);
    return app;
  }

  beforeEach(async () => {
    server = await RedisTestServer.start();
    redis = new Redis(server.url);
    reader = new RedisTaskReader({ url: server.url });
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.signal('SIGKILL')));
    await reader.close();
    redis.disconnect();
    await server.stop();
  });

  it('counts exactly under load though the list keeps 10, across two processes, and after one is killed', async () => {
    const [first, second] = await Promise.all([startApp(), startApp()]);
    const bounds = { concurrency: 16, durationMillis: 20_000 };
    const [fast, failing, other] = await Promise.all([
      generateLoad(first.port, '/fast', { ...bounds, maxRequests: 3_000 }),
      generateLoad(first.port, '/status/503', { ...bounds, concurrency: 4, maxRequests: 400 }),
      generateLoad(second.port, '/fast', { ...bounds, maxRequests: 2_000 }),
    ]);
    expect(fast).to.deep.equal({ served: 3_000, failed: 0 });
    expect(failing).to.deep.equal({ served: 0, failed: 400 });
    expect(other).to.deep.equal({ served: 2_000, failed: 0 });
    expect(await redis.llen(keys.pastTasks)).to.equal(10);

    const report = await reportCounting(reader, 5_400);
    expect(route(report, 'GET /fast')).to.include({ count: 5_000, errors: 0 });
    expect(route(report, 'GET /status/:code')).to.include({ count: 400, errors: 400 });
    expect(route(report, 'GET /status/:code')?.statusClasses[5]).to.equal(400);
    expect(report.total).to.include({ count: 5_400, errors: 400 });

    // A process killed without a word: what it wrote stays counted.
    await second.signal('SIGKILL');
    const after = await reader.getTraffic('1m');
    expect(route(after, 'GET /fast')?.count).to.equal(5_000);
    expect(after.total.count).to.equal(5_400);
  });

  it('gives p50, p95 and p99 within 10% of the exact durations of a known mix', async () => {
    // This app's list keeps every request, so that the exact durations can be read back.
    const app = await startApp({ TOP_MAX_COMPLETED_TASKS: '100000' }, { completedListRefreshMillis: 0 });
    const mix: Array<[number, number]> = [
      [5, 160],
      [50, 30],
      [400, 8],
      [1_200, 2],
    ];
    for (const [millis, count] of mix) {
      const result = await generateLoad(app.port, `/delay/${millis}`, { concurrency: Math.min(count, 20), durationMillis: 20_000, maxRequests: count });
      expect(result.failed).to.equal(0);
    }
    const report = await reportCounting(reader, 200);
    const delays = route(report, 'GET /delay/:ms') as RouteFigures;
    expect(delays.count).to.equal(200);
    const durations = (await redis.lrange(keys.pastTasks, 0, -1))
      .map((json) => HTTPTask.fromJSON(json))
      .filter((task) => task.taskName === 'GET /delay/:ms')
      .map((task) => task.getDuration() as number)
      .sort((a, b) => a - b);
    expect(durations).to.have.length(200);
    const exact = (percent: number): number => durations[Math.ceil((percent / 100) * durations.length) - 1];
    for (const [percent, estimate] of [
      [50, delays.p50Millis],
      [95, delays.p95Millis],
      [99, delays.p99Millis],
    ] as const) {
      // Task times are whole milliseconds: allow one beside the stated 10%.
      expect(Math.abs((estimate as number) - exact(percent)), `p${percent}: ${estimate} vs ${exact(percent)}`).to.be.at.most(0.1 * exact(percent) + 1);
    }
    // The coarse distribution (zPages' decades) holds every request.
    expect(delays.latencyDistribution.reduce((sum, count) => sum + count, 0)).to.equal(200);
    expect(delays.latencyDistribution[6]).to.equal(2); // 1 s - 10 s
  });

  it('counts 10,000 distinct paths under a bounded set of names, the rest under one overflow name', async () => {
    const app = await startApp();
    // No route matches: the tasks are named by their paths.
    let sent = 0;
    const worker = async (): Promise<void> => {
      while (sent < 10_000) {
        const path = `/no-route/${sent++}`;
        expect((await send(app.port, path)).status).to.equal(404);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const report = await reportCounting(reader, 10_000);
    expect(report.routes.length).to.be.at.most(257);
    expect(route(report, OVERFLOW_TASK_NAME)?.count).to.equal(10_000 - 256);
    expect(report.total).to.include({ count: 10_000, errors: 0 });
    expect(report.total.statusClasses[4]).to.equal(10_000);
  });

  it('keeps counts in hashes that expire by themselves', async () => {
    const app = await startApp();
    await send(app.port, '/fast');
    await reportCounting(reader, 1);
    const perSecond = await redis.keys('otel_top:counts:1s:*');
    const perTen = await redis.keys('otel_top:counts:10s:*');
    expect(perSecond.length).to.be.at.least(1);
    expect(perTen.length).to.be.at.least(1);
    for (const key of perSecond) expect(await redis.ttl(key)).to.be.within(60, 80);
    for (const key of perTen) expect(await redis.ttl(key)).to.be.within(300, 345);
  });

  it('publishes at most one message per flush to a watching otel-top, and nothing on task_updates', async () => {
    const app = await startApp();
    // Pattern subscribers are not counted by PUBSUB NUMSUB, so they watch without changing what exporters do.
    const watcher = new Redis(server.url);
    const messages = { updates: 0, taskUpdates: 0 };
    watcher.on('pmessage', (_pattern: string, channel: string) => {
      if (channel === keys.updates) messages.updates++;
      if (channel === keys.taskUpdates) messages.taskUpdates++;
    });
    await watcher.psubscribe('otel_top:update?', 'task_update?');
    const received: number[] = [];
    const stop = await reader.subscribe((update) => received.push(update.active.length + update.completed.length));
    try {
      await redis.config('RESETSTAT');
      const load = await generateLoad(app.port, '/fast', { concurrency: 16, durationMillis: 10_000, maxRequests: 2_000 });
      expect(load.failed).to.equal(0);
      await waitFor(() => received.reduce((sum, count) => sum + count, 0) > 0, { message: 'updates received' });
      const info = await redis.info('commandstats');
      const batches = Number(/cmdstat_evalsha:calls=(\d+)/.exec(info)?.[1] ?? 0);
      expect(messages.taskUpdates).to.equal(0);
      expect(messages.updates).to.be.greaterThan(0);
      expect(messages.updates).to.be.at.most(batches);
      // 2,000 requests in far fewer messages.
      expect(messages.updates).to.be.below(2_000 / 10);
    } finally {
      await stop();
      watcher.disconnect();
    }
  });
});
