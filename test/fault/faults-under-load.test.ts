import { expect } from 'chai';
import { Redis } from 'ioredis';
import { HTTPTask } from '@otel-top/model';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { FaultAppProcess } from './fault-app-process';
import { generateLoad, send } from './load-generator';

interface AppStats {
  queued: number;
  writtenCompleted: number;
  dropped: number;
  failed: number;
  retried: number;
  duplicates: number;
  heapUsed: number;
}

const EXPORTER = { heartbeatIntervalMillis: 500, deadAfterMillis: 2_000 };

describe('An instrumented app while Redis fails under it', function () {
  this.timeout(40_000);
  let server: RedisTestServer;
  let redis: Redis;
  let app: FaultAppProcess;

  async function appStats(): Promise<AppStats> {
    return JSON.parse((await send(app.port, '/stats')).body) as AppStats;
  }

  async function heapAfterGc(): Promise<number> {
    return (JSON.parse((await send(app.port, '/gc', { method: 'POST' })).body) as { heapUsed: number }).heapUsed;
  }

  async function completed(): Promise<HTTPTask[]> {
    return (await redis.lrange('past_tasks', 0, -1)).map((json) => HTTPTask.fromJSON(json));
  }

  beforeEach(async () => {
    server = await RedisTestServer.start();
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    app = await FaultAppProcess.start({
      TOP_TRACKER_URL: server.url,
      TOP_MAX_COMPLETED_TASKS: '1000000',
      FAULT_EXPORTER: JSON.stringify(EXPORTER),
    });
  });

  afterEach(async () => {
    server.resume();
    await app.signal('SIGKILL');
    redis.disconnect();
    await server.stop();
  });

  /**
   * 4 s of load; the fault after 1 s, the recovery 1.5 s later. Then: requests
   * served and failed, tasks written, dropped and doubled, heap growth, and the
   * time from recovery until a new request is in Redis again.
   */
  async function underLoad(name: string, fault: () => Promise<void>, recover: () => Promise<void>): Promise<Record<string, number>> {
    await send(app.port, '/fast?warm=1');
    const heapBefore = await heapAfterGc();
    const load = generateLoad(app.port, '/fast?l=1', { concurrency: 8, durationMillis: 4_000, maxRequests: 40_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await fault();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await recover();
    const recoveredAt = Date.now();
    let probe = 0;
    await waitFor(
      async () => {
        // Probes are sent only after the recovery: any of them in Redis means tracking is back.
        await send(app.port, `/fast?probe=${++probe}`);
        const newest = await redis.lrange('past_tasks', 0, 4_999);
        return newest.some((json) => json.includes('"probe":"'));
      },
      { timeoutMillis: 8_000, intervalMillis: 50, message: `tracking back after ${name}` },
    );
    const recoveryMillis = Date.now() - recoveredAt;
    const { served, failed } = await load;
    // The /stats request itself is queued while it is answered.
    await waitFor(async () => (await appStats()).queued <= 1, { timeoutMillis: 5_000, message: "the exporter queue drained" });
    const tasks = (await completed()).filter((task) => task.params?.l === '1');
    const ids = tasks.map((task) => String(task.taskId));
    const stats = await appStats();
    const figures = {
      served,
      failed,
      tasksWritten: ids.length,
      doubled: ids.length - new Set(ids).size,
      exporterDropped: stats.dropped,
      exporterFailed: stats.failed,
      retried: stats.retried,
      duplicatesSkipped: stats.duplicates,
      heapGrowthKiB: Math.round(((await heapAfterGc()) - heapBefore) / 1024),
      recoveryMillis,
    };
    console.log(`      figures (${name}): ${JSON.stringify(figures)}`);
    expect(failed).to.equal(0);
    expect(figures.doubled).to.equal(0);
    expect(recoveryMillis).to.be.below(2_000);
    return figures;
  }

  it('Redis killed and restarted', async () => {
    await underLoad('kill+restart', () => server.kill(), () => server.restart());
  });

  it('Redis frozen (SIGSTOP) and resumed', async () => {
    await underLoad('freeze+resume', async () => server.freeze(), async () => server.resume());
  });

  it('Redis refusing writes (maxmemory)', async () => {
    const figures = await underLoad(
      'maxmemory',
      async () => {
        await redis.config('SET', 'maxmemory', '1');
      },
      async () => {
        await redis.config('SET', 'maxmemory', '0');
      },
    );
    expect(figures.exporterFailed).to.be.greaterThan(0);
    expect(await redis.hlen('processors')).to.equal(0);
  });

  it("the app's Redis connections killed again and again: every request written exactly once", async () => {
    let kills = 0;
    let killing = true;
    const killer = (async () => {
      for (let round = 0; killing && round < 100; round++) {
        kills += Number(await redis.client('KILL', 'USER', 'default', 'SKIPME', 'yes'));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const figures = await underLoad(
      'client kill',
      async () => undefined,
      async () => {
        killing = false;
        await killer;
      },
    );
    expect(kills).to.be.greaterThan(5);
    expect(figures.tasksWritten).to.equal(figures.served);
    expect(figures.exporterDropped + figures.exporterFailed).to.equal(0);
  });

  it('the app SIGKILLed mid-request: a lone reader (otel-top) cleans its requests up', async () => {
    const slow = [1, 2, 3, 4, 5].map((id) => send(app.port, `/slow/${id}`));
    await waitFor(async () => (await redis.hlen('processors')) === 5, { timeoutMillis: 5_000, message: 'five requests active' });
    await app.signal('SIGKILL');
    const killedAt = Date.now();
    const outcomes = await Promise.all(slow);
    expect(outcomes.every(({ status }) => status === 0)).to.equal(true);
    const reader = new RedisTaskReader({ url: server.url });
    try {
      await waitFor(async () => (await reader.getActiveTasks()).size === 0, { timeoutMillis: 10_000, intervalMillis: 100, message: 'ghosts cleaned' });
      const cleanMillis = Date.now() - killedAt;
      const ghosts = (await completed()).filter((task) => task.path?.startsWith('/slow/'));
      console.log(`      figures (app SIGKILL): ${JSON.stringify({ ghosts: ghosts.length, cleanMillis, deadAfterMillis: EXPORTER.deadAfterMillis })}`);
      expect(ghosts).to.have.length(5);
      expect(ghosts.every((task) => task.recordedSuccessfully === false && task.endedAt !== null)).to.equal(true);
    } finally {
      await reader.close();
    }
  });

  it('SIGTERM with requests in flight: the SDK shutdown writes everything and leaves nothing active', async () => {
    const fast = await Promise.all([1, 2, 3].map(() => send(app.port, '/fast?before=term')));
    expect(fast.every(({ status }) => status === 200)).to.equal(true);
    const slow = [1, 2, 3].map((id) => send(app.port, `/slow/${id}`));
    await waitFor(async () => (await redis.hlen('processors')) === 3, { timeoutMillis: 5_000 });
    await app.signal('SIGTERM');
    await Promise.all(slow);
    expect(await redis.hlen('processors')).to.equal(0);
    const tasks = await completed();
    expect(tasks.filter((task) => task.params?.before === 'term')).to.have.length(3);
    const cut = tasks.filter((task) => task.path?.startsWith('/slow/'));
    expect(cut).to.have.length(3);
    expect(cut.every((task) => task.recordedSuccessfully === false)).to.equal(true);
    expect(await redis.hlen('otel_top:exporters')).to.equal(0);
  });
});
