import { join } from 'node:path';
import { Redis } from 'ioredis';
import { trackingTableKeys } from '@otel-top/model';
import { RedisTestServer } from '@otel-top/redis-test-server';
import { ChildWorker } from '../child-worker';
import type { ReadResult, ReadRun } from '../reader-worker';
import { RedisCounters } from '../redis-counters';
import { sampleTaskJson } from '../sample-task';
import { median } from '../statistics';
import type { BenchContext, BudgetCheck, Figure, ScenarioResult } from '../types';

const keys = trackingTableKeys();
/**
 * A viewer's refresh, by active tasks (docs/performance.md). At 100,000 the budget is a viewer reading
 * what it shows (getActiveTasksPage), which the fleet scenario judges; getActiveTasks(), which reads every
 * record, is reported here beside it.
 */
const VIEWER_REFRESH_BUDGET_MILLIS = new Map([[10_000, 50]]);

/** Fills `processors` with `count` active tasks (or `past_tasks` with completed ones), 1,000 per command. */
async function populate(client: Redis, what: 'active' | 'completed', count: number): Promise<void> {
  await client.del(keys.processors, keys.pastTasks);
  for (let first = 0; first < count; first += 1000) {
    const batch: string[] = [];
    for (let i = first; i < Math.min(count, first + 1000); i++) {
      const { field, json } = sampleTaskJson(i, what === 'completed');
      if (what === 'active') batch.push(field, json);
      else batch.push(json);
    }
    if (what === 'active') await client.hset(keys.processors, ...batch);
    else await client.lpush(keys.pastTasks, ...batch);
  }
}

/**
 * Scenario 4: RedisTaskReader (in a process of its own) reading 1k, 10k and
 * 100k active tasks and 256 and 10k completed ones; the Python reader's way
 * (a round trip per task) as the reference where it finishes in seconds.
 */
export async function runReader(context: BenchContext): Promise<ScenarioResult> {
  const quick = context.options.quick;
  const activeSizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const completedSizes = [256, 10_000];
  const repetitions = quick ? 3 : 7;
  const redis = await RedisTestServer.start();
  const client = new Redis(redis.url);
  const counters = new RedisCounters(client);
  const worker = await ChildWorker.start(join(__dirname, '..', 'reader-worker.js'), 'reader', { env: { BENCH_REDIS_URL: redis.url } });
  const figures: Figure[] = [];
  const budgets: BudgetCheck[] = [];
  const details: Record<string, unknown> = {};
  const measure = async (label: string, run: ReadRun, expected: number): Promise<{ millis: number; reads: number }> => {
    const before = await counters.snapshot();
    const result = await worker.request<ReadResult>('read', run, 300_000);
    const work = RedisCounters.between(before, await counters.snapshot());
    if (result.tasks !== expected || result.skipped !== 0) {
      throw new Error(`${label}: read ${result.tasks} tasks (${result.skipped} skipped), expected ${expected}`);
    }
    // The first repetition warms the JIT and Redis's reply buffers: the median of the rest.
    const millis = median(result.millis.slice(1));
    const commandsPerRead = work.dataCommands / run.repetitions;
    // The key reads themselves; the reader's look for dead exporters (at most once a second) adds a few more commands.
    const readCommand = run.what === 'completed' ? 'lrange' : run.what === 'active, one round trip per task' ? 'hget' : 'hgetall';
    const reads = (work.calls[readCommand] ?? 0) / run.repetitions;
    figures.push(
      { scenario: 'reader', label, metric: 'time', value: millis, unit: 'ms', samples: result.millis },
      { scenario: 'reader', label, metric: 'reads of the key per call (HGETALL/LRANGE/HGET)', value: reads, unit: '' },
      { scenario: 'reader', label, metric: 'all Redis commands per call', value: commandsPerRead, unit: '' },
    );
    details[label] = { ...result, redis: work };
    context.log(`    ${label.padEnd(48)} ${millis.toFixed(1).padStart(8)} ms  ${reads.toFixed(0)} key reads, ${commandsPerRead.toFixed(1)} commands per call`);
    return { millis, reads };
  };
  try {
    for (const size of activeSizes) {
      await populate(client, 'active', size);
      const count = size.toLocaleString('en-US');
      const cold = await measure(`getActiveTasks(), ${count} active, new reader`, { what: 'active, new reader', repetitions }, size);
      const changing = await measure(`getActiveTasks(), ${count} active, 10% new each read`, { what: 'active, 10% replaced', repetitions }, size);
      await populate(client, 'active', size);
      await measure(`getActiveTasks(), ${count} active, re-read unchanged`, { what: 'active', repetitions }, size);
      // A viewer's refresh is what a user waits for; a new reader's first read is reported, not budgeted.
      const budgetMillis = VIEWER_REFRESH_BUDGET_MILLIS.get(size);
      if (budgetMillis !== undefined) {
        budgets.push({
          budget: `a viewer's refresh of ${count} active tasks (re-read, 10% of records new)`,
          limit: `one round trip per key, <= ${budgetMillis} ms (Python reader: ~0.5 s per 1,000)`,
          measured: `${changing.millis.toFixed(1)} ms (${(changing.millis / budgetMillis).toFixed(1)}x the budget), ${changing.reads.toFixed(2)} HGETALL per call; a new reader ${cold.millis.toFixed(1)} ms`,
          pass: changing.millis <= budgetMillis && changing.reads <= 1.5,
        });
      }
      if (size <= 10_000) {
        await measure(`reference: HKEYS + HGET per task, ${size.toLocaleString('en-US')} active`, { what: 'active, one round trip per task', repetitions: quick ? 2 : 3 }, size);
      }
    }
    for (const size of completedSizes) {
      await populate(client, 'completed', size);
      await measure(`getCompletedTasks(), list of ${size.toLocaleString('en-US')}`, { what: 'completed', repetitions }, size);
    }
    return {
      id: 'reader',
      title: `4. Reader: median of ${repetitions - 1} reads after one warm-up read, reader in its own process`,
      figures,
      budgets,
      notes: [
        'Task JSON is the size the span processor writes for the benchmark request (about 1 KiB); time includes decoding into HTTPTask.',
        'A reader decodes only records that changed since its previous read (an active record never changes while it is there): "new reader" decodes all, "10% new" a tenth, "re-read unchanged" none. In "10% new", the untimed commands that replace the records count in "all Redis commands".',
        'HGETALL per call above 1: the reader\'s look for dead exporters (at most once a second) reads the small otel_top:exporters hash with HGETALL too; processors itself is read once per call.',
      ],
      details,
    };
  } finally {
    await worker.stop();
    client.disconnect();
    await redis.stop();
  }
}
