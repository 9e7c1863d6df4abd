import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface, Interface } from 'node:readline';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { HTTPTask, LiveCounters, trackingTableKeys } from '@otel-top/model';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { RedisTaskExporter, RedisTaskExporterConfig, RedisTaskExporterStats, RedisTaskReader } from '../src';
import { GhostCleaner } from '../src/ghost-cleaner';
import { writeBatch, WriteBatchRequest } from '../src/write-batch';
import { StaticTask } from './static-task';

/** A child process with an exporter and requests in flight (see ghost-child.ts). */
class GhostChild {
  private readonly lines: string[] = [];
  private readonly input: Interface;

  private constructor(readonly child: ChildProcess) {
    this.input = createInterface({ input: child.stdout! });
    this.input.on('line', (line) => this.lines.push(line));
  }

  static async start(config: RedisTaskExporterConfig & { tasks: number; exporters?: number }): Promise<{ child: GhostChild; ids: string[]; exporter: string }> {
    const child = new GhostChild(
      spawn(process.execPath, [join(__dirname, 'ghost-child.js'), JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] }),
    );
    const ready = JSON.parse(await child.line('ready ', 10_000)) as { ids: string[]; exporter: string };
    return { child, ...ready };
  }

  async line(prefix: string, timeoutMillis: number): Promise<string> {
    const found = await waitFor(() => this.lines.find((line) => line.startsWith(prefix)), {
      timeoutMillis,
      message: `child to print ${prefix.trim()}`,
    });
    return found.slice(prefix.length);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async endTasks(): Promise<RedisTaskExporterStats> {
    this.child.stdin?.write('end\n');
    return JSON.parse(await this.line('stats ', 10_000)) as RedisTaskExporterStats;
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}

/** Written as the Python Top Framework writes: no heartbeat, never to be cleaned by us. */
const PYTHON_TASKS: Record<string, string> = {
  'pid:3209 tid:140379631329984': JSON.stringify({ task_id: 'cron-1', process_id: 3209, thread_id: 140379631329984, started_at: '2020-11-23T20:42:11.105692+00:00', ended_at: null, recorded_successfully: null }),
  '3209-140379631329984-1': JSON.stringify({ task_id: 1, process_id: 3209, thread_id: 140379631329984, process_internal_id: '1', started_at: '2020-11-23T20:42:11.052058+00:00', method: 'GET', path: '/api/candles' }),
};

describe('Ghosts: requests of processes that died without shutdown', function () {
  this.timeout(30_000);
  let server: RedisTestServer;
  let redis: Redis;
  const children: GhostChild[] = [];
  const closers: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    server = await RedisTestServer.start();
    redis = new Redis(server.url);
    await redis.hset('processors', PYTHON_TASKS);
  });

  afterEach(async () => {
    await Promise.all(children.splice(0).map((child) => child.kill()));
    await Promise.all(closers.splice(0).map((close) => close()));
    redis.disconnect();
    await server.stop();
  });

  async function pastTasksOf(ids: string[]): Promise<HTTPTask[]> {
    const wanted = new Set(ids);
    return (await redis.lrange('past_tasks', 0, -1))
      .map((json) => HTTPTask.fromJSON(json))
      .filter((task) => wanted.has(task.getProcessorTrackingId()));
  }

  it('a live exporter moves the tasks of a SIGKILLed process to past_tasks within 15 s, by default, and leaves Python tasks alone', async () => {
    const { child, ids } = await GhostChild.start({ url: server.url, tasks: 5 });
    children.push(child);
    const live = new RedisTaskExporter({ url: server.url });
    closers.push(() => live.shutdown());
    expect(await redis.hlen('processors')).to.equal(7);

    await child.kill();
    const killedAt = Date.now();
    await waitFor(async () => (await redis.hlen('processors')) === 2, { timeoutMillis: 15_000, intervalMillis: 100, message: 'ghosts cleaned' });
    const cleanMillis = Date.now() - killedAt;
    console.log(`      figures: ${JSON.stringify({ ghosts: ids.length, cleanMillis, cleanedBy: 'live exporter', ghostsCleaned: live.getStats().ghostsCleaned })}`);

    expect(Object.keys(await redis.hgetall('processors')).sort()).to.deep.equal(Object.keys(PYTHON_TASKS).sort());
    const moved = await pastTasksOf(ids);
    expect(moved).to.have.length(5);
    for (const task of moved) {
      expect(task.recordedSuccessfully).to.equal(false);
      expect(task.endedAt).to.be.instanceOf(Date);
      expect(task.getDuration()).to.be.at.least(0);
      expect(task.path).to.match(/^\/in-flight\//);
    }
    expect(live.getStats().ghostsCleaned).to.equal(5);
    const record = JSON.parse(Object.values(await redis.hgetall('otel_top:exporters')).find((value) => value.includes('cleaned_at')) ?? '{}') as { cleaned_at?: number };
    expect(record.cleaned_at).to.be.a('number');
  });

  it('a lone reader cleans them, and cleaners racing each other move each task exactly once', async () => {
    const { child, ids } = await GhostChild.start({ url: server.url, tasks: 20, heartbeatIntervalMillis: 100, deadAfterMillis: 300 });
    children.push(child);
    await child.kill();
    const readers = Array.from({ length: 5 }, () => new RedisTaskReader({ url: server.url }));
    closers.push(async () => {
      await Promise.all(readers.map((reader) => reader.close()));
    });
    const racers = Array.from({ length: 5 }, () => new RedisTaskExporter({ url: server.url, heartbeatIntervalMillis: 100, deadAfterMillis: 300 }));
    closers.push(async () => {
      await Promise.all(racers.map((racer) => racer.shutdown()));
    });
    await waitFor(
      async () => {
        const views = await Promise.all(readers.map((reader) => reader.getActiveTasks()));
        return views.every((view) => view.size === 2);
      },
      { timeoutMillis: 5_000, intervalMillis: 20, message: 'every reader to see only the Python tasks' },
    );
    expect(await pastTasksOf(ids)).to.have.length(20);
    expect(new Set((await pastTasksOf(ids)).map((task) => task.taskId)).size).to.equal(20);
    expect(await redis.hlen('processors')).to.equal(2);
  });

  it('cleans a group of exporters that died together, more than are cleaned at once, each task exactly once', async () => {
    const { child, ids } = await GhostChild.start({ url: server.url, tasks: 5, exporters: 40, heartbeatIntervalMillis: 200, deadAfterMillis: 600 });
    children.push(child);
    expect(ids).to.have.length(200);
    const live = new RedisTaskExporter({ url: server.url, heartbeatIntervalMillis: 200, deadAfterMillis: 600 });
    closers.push(() => live.shutdown());
    await child.kill();
    await waitFor(async () => (await redis.hlen('processors')) === 2, { timeoutMillis: 10_000, intervalMillis: 50, message: 'the group cleaned' });
    const moved = await pastTasksOf(ids);
    expect(moved).to.have.length(200);
    expect(new Set(moved.map((task) => task.getProcessorTrackingId())).size).to.equal(200);
    expect(live.getStats().ghostsCleaned).to.equal(200);
    expect(await redis.zcard('otel_top:active_by_start')).to.equal(0);
  });

  it('a process taken for dead that comes back does not write its tasks a second time', async () => {
    const { child, ids } = await GhostChild.start({ url: server.url, tasks: 10, heartbeatIntervalMillis: 100, deadAfterMillis: 300 });
    children.push(child);
    child.signal('SIGSTOP');
    const reader = new RedisTaskReader({ url: server.url });
    closers.push(() => reader.close());
    await waitFor(async () => (await reader.getActiveTasks()).size === 2, { timeoutMillis: 5_000, message: 'frozen process cleaned' });
    child.signal('SIGCONT');
    const stats = await child.endTasks();
    expect(stats.superseded).to.equal(10);
    const moved = await pastTasksOf(ids);
    expect(moved).to.have.length(10);
    expect(moved.every((task) => task.recordedSuccessfully === false)).to.equal(true);
    expect(await redis.hlen('processors')).to.equal(2);
  });

  it('a batch applied just before its exporter was cleaned, sent again (its reply lost), is not applied twice', async () => {
    const keys = trackingTableKeys();
    const second = Math.floor(Date.now() / 1000) - 1;
    const counters = new LiveCounters(16);
    for (let request = 0; request < 3; request++) counters.record({ name: 'GET /orders', statusCode: 200, durationMillis: 12 }, second);
    const batch: WriteBatchRequest = {
      exporterId: 'vm:4242:deadbeef',
      seq: 7,
      deadAfterMillis: 1,
      maxCompletedTasks: 256,
      publishTaskUpdates: '0',
      publishBatch: '0',
      hostName: 'vm',
      pid: 4242,
      active: [],
      ends: [],
      counters: counters.takeBefore(Infinity),
      processRecord: '',
      cleanerLeaseMillis: 0,
    };
    const first = await writeBatch(redis, keys, batch);
    expect(first).to.include({ applied: true, registration: 'unknown' });
    const counted = async (): Promise<string | null> => redis.hget(keys.countsPerSecond(second), 'c:GET /orders');
    expect(await counted()).to.equal('3');

    // Past its dead_after of 1 ms, a cleaner takes it for dead and leaves a tombstone.
    await waitFor(async () => {
      await new GhostCleaner(redis, keys, 256).clean();
      return (await redis.hget(keys.exporters, batch.exporterId))?.includes('cleaned_at') === true;
    }, { message: 'the exporter cleaned' });

    const again = await writeBatch(redis, keys, batch);
    expect(again).to.include({ applied: false, registration: 'cleaned' });
    expect(await counted()).to.equal('3');
    // The exporter's next batch is applied, and it is live again.
    expect(await writeBatch(redis, keys, { ...batch, seq: 8, counters: [] })).to.include({ applied: true, registration: 'cleaned' });
    expect(await redis.hget(keys.exporters, batch.exporterId)).to.not.include('cleaned_at');
  });

  it('elects one cleaner through a lease, which another takes over when its holder dies', async () => {
    const fast = { url: server.url, heartbeatIntervalMillis: 100, deadAfterMillis: 400 };
    const started = await Promise.all([1, 2, 3].map(() => GhostChild.start({ ...fast, tasks: 3 })));
    children.push(...started.map(({ child }) => child));
    const exporters = started.map(({ exporter }) => exporter);
    const holder = await waitFor(async () => {
      const id = await redis.get('otel_top:cleaner');
      return id !== null && exporters.includes(id) && id;
    }, { message: 'a cleaner elected' });

    // Only the holder looks for the dead: one look per heartbeat for the whole fleet, not one per exporter.
    await redis.config('RESETSTAT');
    const since = Date.now();
    await waitFor(() => Date.now() - since >= 1_500, { intervalMillis: 100 });
    const looks = Number(/cmdstat_zrangebyscore:calls=(\d+)/.exec(await redis.info('commandstats'))?.[1] ?? 0);
    const heartbeats = (Date.now() - since) / fast.heartbeatIntervalMillis;
    expect(looks).to.be.within(heartbeats * 0.5, heartbeats * 1.5);
    expect(await redis.get('otel_top:cleaner')).to.equal(holder);

    // The holder dies: its lease runs out, another exporter takes it and cleans the holder's requests.
    const dead = started.find(({ exporter }) => exporter === holder);
    await dead?.child.kill();
    const successor = await waitFor(async () => {
      const id = await redis.get('otel_top:cleaner');
      return id !== null && id !== holder && exporters.includes(id) && id;
    }, { message: 'a new cleaner' });
    expect(successor).to.not.equal(holder);
    await waitFor(async () => (await pastTasksOf(dead?.ids ?? [])).length === 3, { message: 'the dead holder cleaned' });
    expect(new Set((await pastTasksOf(dead?.ids ?? [])).map((task) => task.taskId)).size).to.equal(3);
  });

  it('keeps the index of active tasks by start exact through starts, ends and cleaning; Python tasks are not in it', async () => {
    const { child, ids } = await GhostChild.start({ url: server.url, tasks: 4, heartbeatIntervalMillis: 100, deadAfterMillis: 300 });
    children.push(child);
    const live = new RedisTaskExporter({ url: server.url, heartbeatIntervalMillis: 100, deadAfterMillis: 300 });
    closers.push(() => live.shutdown());
    const running = [new StaticTask('/a'), new StaticTask('/b'), new StaticTask('/c')];
    for (const task of running) live.taskStarted(task);
    await live.forceFlush();
    const indexed = async (): Promise<string[]> => (await redis.zrange('otel_top:active_by_start', 0, -1)).sort();
    expect(await indexed()).to.deep.equal([...ids, ...running.map((task) => task.processorId)].sort());
    // Scored by start, so the longest-running come first.
    const [oldest] = await redis.zrange('otel_top:active_by_start', 0, 0, 'WITHSCORES');
    expect([...ids, running[0].processorId]).to.include(oldest);
    expect(Number((await redis.zscore('otel_top:active_by_start', running[2].processorId)) ?? 0)).to.equal(running[2].task.startedAt?.getTime());

    live.taskEnded(running[1].end());
    await live.forceFlush();
    expect(await indexed()).to.deep.equal([...ids, running[0].processorId, running[2].processorId].sort());
    await child.kill();
    await waitFor(async () => (await indexed()).length === 2, { message: 'the dead process cleaned from the index' });
    expect(await indexed()).to.deep.equal([running[0].processorId, running[2].processorId].sort());
    expect(await redis.hlen('processors')).to.equal(2 + 2);
  });

  it('an exporter that shuts down cleanly leaves no record and no active task behind', async () => {
    const exporter = new RedisTaskExporter({ url: server.url });
    exporter.taskStarted(new StaticTask('/x'));
    await exporter.forceFlush();
    expect(await redis.hlen('otel_top:exporters')).to.equal(1);
    await exporter.shutdown();
    expect(await redis.hlen('otel_top:exporters')).to.equal(0);
    expect(await redis.hlen('otel_top:processes')).to.equal(0);
    expect(await redis.zcard('otel_top:deadlines')).to.equal(0);
    expect(await redis.zcard('otel_top:active_by_start')).to.equal(0);
    expect(await redis.exists('otel_top:cleaner')).to.equal(0);
    expect(await redis.keys('otel_top:tasks:*')).to.deep.equal([]);
    expect(await redis.hlen('processors')).to.equal(2);
  });
});
