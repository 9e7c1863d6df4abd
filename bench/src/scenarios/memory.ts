import { Redis } from 'ioredis';
import { trackingTableKeys } from '@otel-top/model';
import { RedisTestServer } from '@otel-top/redis-test-server';
import { LoadGenerator } from '../load-generator';
import { ServerProcess } from '../server-process';
import type { BenchContext, BudgetCheck, Figure, LoadResult, ScenarioResult, ServerStats } from '../types';

const MB = 1024 * 1024;
const DOWN_RATE = 5_000;
const RECOVERY_BUDGET_MILLIS = 2_000;

interface MemoryRun {
  load: LoadResult;
  before: ServerStats;
  after: ServerStats;
  recoveryMillis?: number;
}

/** Milliseconds from Redis's return until a request served after it shows up in `past_tasks`. */
async function measureRecovery(server: ServerProcess, client: Redis, since: number): Promise<number> {
  const deadline = since + 15_000;
  while (Date.now() < deadline) {
    await fetch(`${server.url}/api/items/recovery`).then((response) => response.arrayBuffer());
    const written = await client.llen(trackingTableKeys().pastTasks).catch(() => 0);
    if (written > 0) return Date.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Infinity;
}

/**
 * Scenario 5: heap and RSS of a tracked server after a million requests
 * with Redis up, and with Redis down (killed after warm-up, load at 5,000
 * requests/s as in the budget), then how soon tracking is back once Redis
 * returns. Memory is read after forced garbage collections.
 */
export async function runMemory(context: BenchContext): Promise<ScenarioResult> {
  const requests = context.options.quick ? 50_000 : 1_000_000;
  const warmup = context.options.quick ? 5_000 : 20_000;
  const maxSeconds = context.options.quick ? 60 : 480;
  const redis = await RedisTestServer.start();
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  client.on('error', () => {
    // Redis is killed on purpose below; this client reconnects by itself.
  });
  const load = await LoadGenerator.start();
  const runs: Record<string, MemoryRun> = {};
  try {
    for (const redisState of ['up', 'down'] as const) {
      const server = await ServerProcess.start({ app: 'express', variant: 'tracked', redisUrl: redis.url, workers: 1, cpuProfileDir: context.profileDir });
      try {
        await load.run({ url: server.url, connections: 100, amount: warmup, maxSeconds: 60 });
        await server.flush();
        const before = await server.collectGarbage();
        if (redisState === 'down') await redis.kill();
        context.log(`    Redis ${redisState}: ${requests.toLocaleString('en-US')} requests${redisState === 'down' ? ` at ${DOWN_RATE}/s` : ', saturating'}`);
        const result = await load.run({
          url: server.url,
          connections: 100,
          amount: requests,
          maxSeconds,
          ...(redisState === 'down' ? { overallRate: DOWN_RATE } : {}),
        });
        if (redisState === 'up') await server.flush();
        const after = await server.collectGarbage();
        const run: MemoryRun = { load: result, before, after };
        if (redisState === 'down') {
          await redis.restart();
          const since = Date.now();
          await client.del(trackingTableKeys().pastTasks).catch(() => 0);
          run.recoveryMillis = await measureRecovery(server, client, since);
          run.after = { ...run.after, exporter: (await server.stats()).exporter };
        }
        runs[redisState] = run;
        context.log(
          `    Redis ${redisState}: ${result.requests} responses at ${result.requestsPerSecond.toFixed(0)}/s, ` +
            `heap ${(before.heapUsed / MB).toFixed(1)} -> ${(after.heapUsed / MB).toFixed(1)} MB, ` +
            `RSS ${(before.rss / MB).toFixed(1)} -> ${(after.rss / MB).toFixed(1)} MB` +
            (run.recoveryMillis === undefined ? '' : `, tracking back ${run.recoveryMillis} ms after Redis returned`),
        );
      } finally {
        await server.stop();
      }
    }
    const figures: Figure[] = [];
    for (const [state, run] of Object.entries(runs)) {
      const label = `Redis ${state}`;
      const failed = run.load.errors + run.load.non2xx;
      figures.push(
        { scenario: 'memory', label, metric: 'responses', value: run.load.requests, unit: '' },
        { scenario: 'memory', label, metric: 'failed requests', value: failed, unit: '' },
        { scenario: 'memory', label, metric: 'heap before', value: run.before.heapUsed / MB, unit: 'MB' },
        { scenario: 'memory', label, metric: 'heap after', value: run.after.heapUsed / MB, unit: 'MB' },
        { scenario: 'memory', label, metric: 'heap growth', value: (run.after.heapUsed - run.before.heapUsed) / MB, unit: 'MB' },
        { scenario: 'memory', label, metric: 'RSS before', value: run.before.rss / MB, unit: 'MB' },
        { scenario: 'memory', label, metric: 'RSS after', value: run.after.rss / MB, unit: 'MB' },
      );
      if (run.recoveryMillis !== undefined) figures.push({ scenario: 'memory', label, metric: 'tracking back after Redis returned', value: run.recoveryMillis, unit: 'ms' });
    }
    const down = runs.down;
    const growth = (down.after.heapUsed - down.before.heapUsed) / MB;
    const failed = down.load.errors + down.load.non2xx;
    const seconds = down.load.durationSeconds;
    const budgets: BudgetCheck[] = [
      {
        budget:
          `Redis down for ${seconds.toFixed(0)} s at ${Math.round(down.load.requestsPerSecond).toLocaleString('en-US')} requests/s ` +
          `(asked ${DOWN_RATE.toLocaleString('en-US')}/s; budget: 60 s at 5,000/s): failed requests`,
        limit: '0',
        measured: String(failed),
        pass: failed === 0 && seconds >= 60,
      },
      { budget: 'Redis down: heap growth', limit: '<= 50 MB', measured: `${growth.toFixed(1)} MB`, pass: growth <= 50 },
      {
        budget: 'Redis down: tracking back after Redis returns',
        limit: `<= ${RECOVERY_BUDGET_MILLIS} ms`,
        measured: `${down.recoveryMillis} ms`,
        pass: (down.recoveryMillis ?? Infinity) <= RECOVERY_BUDGET_MILLIS,
      },
    ];
    return {
      id: 'memory',
      title: `5. Memory after ${requests.toLocaleString('en-US')} requests, Redis up and Redis down (after forced GC)`,
      figures,
      budgets,
      notes: [
        'The down run kills redis-server (SIGKILL) after warm-up, runs the load, then restarts it empty on the same port and polls until a new request appears in past_tasks.',
        ...(context.options.quick ? ['Quick mode: far fewer requests and less than 60 s of Redis down, so the 60 s budget row cannot pass here.'] : []),
      ],
      details: runs,
    };
  } finally {
    await load.stop();
    client.disconnect();
    await redis.stop();
  }
}
