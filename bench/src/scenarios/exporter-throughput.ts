import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisTestServer } from '@otel-top/redis-test-server';
import { ChildWorker } from '../child-worker';
import { RedisCounters } from '../redis-counters';
import { alternate, median } from '../statistics';
import type { ThroughputResult, ThroughputRun } from '../throughput-worker';
import type { BenchContext, Figure, ScenarioResult } from '../types';

type ThroughputVariant =
  | 'Redis, sequential'
  | 'Redis, 1000 in flight'
  | 'Redis, sequential, every task published'
  | 'no Redis (snapshot + encode only)'
  | 'SDK only (no-op processor)';
const RUNS: Record<ThroughputVariant, Omit<ThroughputRun, 'lifecycles' | 'maxSeconds'>> = {
  'Redis, sequential': { exporter: 'redis', inFlight: 0 },
  'Redis, 1000 in flight': { exporter: 'redis', inFlight: 1000 },
  // As while a viewer subscribes: every task is encoded and sent, none skipped as trimmed.
  'Redis, sequential, every task published': { exporter: 'redis', inFlight: 0, publishAll: true },
  'no Redis (snapshot + encode only)': { exporter: 'encode-only', inFlight: 0 },
  'SDK only (no-op processor)': { exporter: 'none', inFlight: 0 },
};
const SDK_ONLY: ThroughputVariant = 'SDK only (no-op processor)';
const BUDGET = 100_000;

interface ThroughputSample extends ThroughputResult {
  redisCpuMicrosPerLifecycle: number;
}

/**
 * Scenario 3: task lifecycles per second that one process pushes through a
 * real tracer provider, HttpTaskSpanProcessor and RedisTaskExporter into
 * loopback Redis. "Sequential" ends every span as soon as it starts (start
 * and end coalesce into one write); "1000 in flight" keeps 1,000 spans open,
 * so every task is written as active and then as completed.
 */
export async function runExporterThroughput(context: BenchContext): Promise<ScenarioResult> {
  const settings = context.options.quick ? { rounds: 2, lifecycles: 30_000 } : { rounds: 5, lifecycles: 200_000 };
  const redis = await RedisTestServer.start();
  const monitor = new Redis(redis.url);
  const counters = new RedisCounters(monitor);
  const execArgv =
    context.profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', context.profileDir, '--cpu-prof-name', `throughput-${Date.now()}.cpuprofile`];
  const worker = await ChildWorker.start(join(__dirname, '..', 'throughput-worker.js'), 'throughput worker', {
    env: { BENCH_REDIS_URL: redis.url },
    execArgv,
  });
  try {
    const variants = Object.keys(RUNS) as ThroughputVariant[];
    const run = async (variant: ThroughputVariant, lifecycles: number): Promise<ThroughputSample> => {
      const before = await counters.snapshot();
      const result = await worker.request<ThroughputResult>('run', { ...RUNS[variant], lifecycles, maxSeconds: 60 }, 90_000);
      const work = RedisCounters.between(before, await counters.snapshot());
      return { ...result, redisCpuMicrosPerLifecycle: (work.cpuSeconds * 1e6) / Math.max(result.lifecycles, 1) };
    };
    for (const variant of variants) await run(variant, Math.min(20_000, settings.lifecycles));
    const samples = await alternate(variants, settings.rounds, async (variant, round) => {
      const sample = await run(variant, settings.lifecycles);
      context.log(
        `    round ${round + 1} ${variant.padEnd(34)} ${sample.lifecyclesPerSecond.toFixed(0).padStart(7)} lifecycles/s  ` +
          `${sample.cpuMicrosPerLifecycle.toFixed(1)} µs CPU each  written ${sample.written}  trimmed ${sample.trimmed}  dropped ${sample.dropped}  failed ${sample.failed}`,
      );
      return sample;
    });
    const figures: Figure[] = [];
    for (const variant of variants) {
      const list = samples.get(variant) ?? [];
      const add = (metric: string, values: number[], unit: string): void => {
        figures.push({ scenario: 'throughput', label: variant, metric, value: median(values), unit, samples: values });
      };
      add('lifecycles/s', list.map((s) => s.lifecyclesPerSecond), '/s');
      add('process CPU/lifecycle', list.map((s) => s.cpuMicrosPerLifecycle), 'µs');
      if (RUNS[variant].exporter === 'redis') add('Redis CPU/lifecycle', list.map((s) => s.redisCpuMicrosPerLifecycle), 'µs');
      if (variant !== SDK_ONLY) {
        // Less the SDK's own cost of making the span, round by round: what processor + exporter cost, and could sustain.
        const sdk = samples.get(SDK_ONLY) ?? [];
        const net = list.map((s, i) => s.cpuMicrosPerLifecycle - (sdk[i]?.cpuMicrosPerLifecycle ?? NaN));
        add('processor + exporter CPU/lifecycle (less SDK only)', net, 'µs');
        add('lifecycles/s that CPU allows on one core', net.map((micros) => 1e6 / micros), '/s');
      }
      add('trimmed (older than past_tasks keeps: not encoded)', list.map((s) => s.trimmed), '');
      add('lost (dropped + failed + unwritten)', list.map((s) => s.lifecycles - s.written - s.trimmed + s.dropped + s.failed), '');
    }
    // The budget is for every completed task written; by default most are trimmed instead (the list keeps 256),
    // so only the variant that encodes and pushes every task is held to it.
    const budgetVariant: ThroughputVariant = 'Redis, sequential, every task published';
    const value = median((samples.get(budgetVariant) ?? []).map((s) => s.lifecyclesPerSecond));
    const budgets = [
      {
        budget: `task lifecycles/s into Redis with every completed task written (${budgetVariant})`,
        limit: `>= ${BUDGET.toLocaleString('en-US')} (Python writer: ~1,000)`,
        measured: `${Math.round(value).toLocaleString('en-US')} end to end (${((value / BUDGET) * 100).toFixed(0)}% of budget), including the SDK making the spans`,
        pass: value >= BUDGET,
      },
    ];
    return {
      id: 'throughput',
      title: `3. Exporter throughput: ${settings.lifecycles.toLocaleString('en-US')} lifecycles per run, ${settings.rounds} rounds, alternating`,
      figures,
      budgets,
      notes: [
        'Spans come from a real BasicTracerProvider with the attributes instrumentation-http and -express set; the producer yields whenever the exporter queue is over 10,000 events, so nothing is dropped for being too fast.',
        'Time runs until forceFlush() has every task written (Redis answered).',
        '"less SDK only" subtracts the CPU per lifecycle of the SDK-only run of the same round: the SDK creating and ending the span is not tracking work, but the budget row is judged end to end.',
      ],
      details: Object.fromEntries(samples),
    };
  } finally {
    await worker.stop();
    monitor.disconnect();
    await redis.stop();
  }
}
