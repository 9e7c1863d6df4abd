import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisTestServer } from '@otel-top/redis-test-server';
import { BUDGET_MICROS_PER_CHILD, CHILD_SPANS_PER_REQUEST } from '../bench-app';
import { ChildWorker } from '../child-worker';
import { RedisCounters } from '../redis-counters';
import { alternate, judgeAtMost, median, medianInterval } from '../statistics';
import type { ChildPairsResult, ChildPairsRun, ThroughputResult, ThroughputRun } from '../throughput-worker';
import type { BenchContext, Figure, ScenarioResult } from '../types';

type ThroughputVariant =
  | 'Redis, sequential'
  | 'Redis, 1000 in flight'
  | 'Redis, every completed task written'
  | 'no Redis (snapshot + encode only)'
  | 'SDK only (no-op processor)';
const RUNS: Record<ThroughputVariant, Omit<ThroughputRun, 'lifecycles' | 'maxSeconds'>> = {
  'Redis, sequential': { exporter: 'redis', inFlight: 0 },
  'Redis, 1000 in flight': { exporter: 'redis', inFlight: 1000 },
  // The list keeps every task and has no budget: every completed task is encoded and pushed.
  'Redis, every completed task written': { exporter: 'redis', inFlight: 0, writeAll: true },
  'no Redis (snapshot + encode only)': { exporter: 'encode-only', inFlight: 0 },
  'SDK only (no-op processor)': { exporter: 'none', inFlight: 0 },
};
const SDK_ONLY: ThroughputVariant = 'SDK only (no-op processor)';
const WRITE_ALL: ThroughputVariant = 'Redis, every completed task written';
const BUDGET = 100_000;
/** Requests per chunk of the spans-inside pairs: a few milliseconds each, short against the host's drift. */
const CHILD_CHUNK = 100;
/** The live counters' writes per exporter per second, at these request rates. */
const COUNTER_RATES = [1, 20_000];
const COUNTER_SECONDS = 10;

interface ThroughputSample extends ThroughputResult {
  redisCpuMicrosPerLifecycle: number;
  /** Completed tasks that reached past_tasks, counted in Redis, per second. */
  inRedisPerSecond: number;
}

/**
 * What following the spans inside requests costs, in a worker of its own that
 * holds one tracked provider, as an app does. In the worker of the other runs,
 * the processors and exporters of their set-ups made the SDK's span code and
 * the processor's calls see several kinds of span and exporter, and every span
 * cost more.
 */
async function measureSpansInside(redisUrl: string, pairs: number, execArgv: string[]): Promise<ChildPairsResult> {
  const worker = await ChildWorker.start(join(__dirname, '..', 'throughput-worker.js'), 'spans-inside worker', {
    env: { BENCH_REDIS_URL: redisUrl },
    execArgv,
  });
  try {
    const run: ChildPairsRun = { pairs, chunk: CHILD_CHUNK, children: CHILD_SPANS_PER_REQUEST, maxSeconds: 120 };
    // A warm-up, so that the pairs time code the JIT has settled on.
    await worker.request<ChildPairsResult>('childPairs', { ...run, pairs: Math.min(200, pairs) }, 60_000);
    return await worker.request<ChildPairsResult>('childPairs', run, 180_000);
  } finally {
    await worker.stop();
  }
}

/**
 * Scenario 3: task lifecycles per second that one process pushes through a
 * real tracer provider, HttpTaskSpanProcessor and RedisTaskExporter into
 * loopback Redis. "Sequential" ends every span as soon as it starts (start
 * and end coalesce into one write); "1000 in flight" keeps 1,000 spans open,
 * so every task is written as active and then as completed.
 */
export async function runExporterThroughput(context: BenchContext): Promise<ScenarioResult> {
  const settings = context.options.quick
    ? { rounds: 2, lifecycles: 30_000, childPairs: 300 }
    : { rounds: 5, lifecycles: 200_000, childPairs: 2_000 };
  const redis = await RedisTestServer.start();
  const monitor = new Redis(redis.url);
  const counters = new RedisCounters(monitor);
  const profileDir = context.profileDir;
  const profileArgs = (name: string): string[] =>
    profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${name}-${Date.now()}.cpuprofile`];
  const worker = await ChildWorker.start(join(__dirname, '..', 'throughput-worker.js'), 'throughput worker', {
    env: { BENCH_REDIS_URL: redis.url },
    execArgv: profileArgs('throughput'),
  });
  try {
    const variants = Object.keys(RUNS) as ThroughputVariant[];
    const run = async (variant: ThroughputVariant, lifecycles: number, runner = worker): Promise<ThroughputSample> => {
      await monitor.del('past_tasks');
      const before = await counters.snapshot();
      const result = await runner.request<ThroughputResult>('run', { ...RUNS[variant], lifecycles, maxSeconds: 60 }, 90_000);
      const work = RedisCounters.between(before, await counters.snapshot());
      const inRedis = variant === WRITE_ALL ? await monitor.llen('past_tasks') : NaN;
      await monitor.del('past_tasks');
      return {
        ...result,
        redisCpuMicrosPerLifecycle: (work.cpuSeconds * 1e6) / Math.max(result.lifecycles, 1),
        inRedisPerSecond: inRedis / result.seconds,
      };
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
      if (variant === WRITE_ALL) add('completed tasks in past_tasks per second (LLEN)', list.map((s) => s.inRedisPerSecond), '/s');
      add('trimmed (older than past_tasks keeps: not encoded)', list.map((s) => s.trimmed), '');
      add('lost (dropped + failed + unwritten)', list.map((s) => s.lifecycles - s.written - s.trimmed + s.dropped + s.failed), '');
    }
    // Per span inside a request: the same requests and spans, the spans seen by tracking or not, in chunks of a few ms.
    const childCpu = await measureSpansInside(redis.url, settings.childPairs, profileArgs('spans-inside'));
    figures.push(
      { scenario: 'throughput', label: `requests with ${CHILD_SPANS_PER_REQUEST} spans inside, seen by tracking`, metric: 'process CPU/lifecycle', value: median(childCpu.seenMicrosPerRequest), unit: 'µs' },
      { scenario: 'throughput', label: `requests with ${CHILD_SPANS_PER_REQUEST} spans inside, unseen by tracking`, metric: 'process CPU/lifecycle', value: median(childCpu.unseenMicrosPerRequest), unit: 'µs' },
    );
    const perChild = childCpu.seenMicrosPerRequest.map((micros, i) => (micros - childCpu.unseenMicrosPerRequest[i]) / CHILD_SPANS_PER_REQUEST);
    const childInterval = medianInterval(perChild);
    context.log(
      `    following spans inside: ${median(perChild).toFixed(3)} µs per span (95% interval ${childInterval.low.toFixed(3)} to ${childInterval.high.toFixed(3)}, ${perChild.length} pairs of ${CHILD_CHUNK} requests)`,
    );
    figures.push({ scenario: 'throughput', label: 'following spans inside requests', metric: 'CPU per span inside', value: median(perChild), unit: 'µs' });
    figures.push({ scenario: 'throughput', label: 'following spans inside requests', metric: 'the same, 95% interval of the median: high end', value: childInterval.high, unit: 'µs' });
    const writtenShared = median((samples.get(WRITE_ALL) ?? []).map((s) => s.inRedisPerSecond));
    // The budget row, in a worker of its own that holds one tracked provider and exporter, as an app does: in
    // the worker above, the other variants' set-ups make the span and exporter code see several kinds, which
    // costs every lifecycle more (as for the spans inside). After a warm-up run.
    const alone: number[] = [];
    const aloneWorker = await ChildWorker.start(join(__dirname, '..', 'throughput-worker.js'), 'every-task-written worker', {
      env: { BENCH_REDIS_URL: redis.url },
      execArgv: profileArgs('every-task-written'),
    });
    try {
      await run(WRITE_ALL, Math.min(20_000, settings.lifecycles), aloneWorker);
      for (let round = 0; round < settings.rounds; round++) alone.push((await run(WRITE_ALL, settings.lifecycles, aloneWorker)).inRedisPerSecond);
    } finally {
      await aloneWorker.stop();
    }
    const written = median(alone);
    context.log(`    every completed task written, in a worker of its own: ${alone.map((value) => value.toFixed(0)).join(', ')} lifecycles/s`);
    figures.push({ scenario: 'throughput', label: `${WRITE_ALL}, in a worker of its own`, metric: 'completed tasks in past_tasks per second (LLEN)', value: written, unit: '/s', samples: alone });
    const budgets = [
      {
        budget: 'every completed task written (list keeps all, completedListRefreshMillis 0): lifecycles/s that reach past_tasks, counted in Redis',
        limit: `>= ${BUDGET.toLocaleString('en-US')} (Python writer: ~1,000)`,
        measured:
          `${Math.round(written).toLocaleString('en-US')} (${((written / BUDGET) * 100).toFixed(0)}% of budget) in a worker of its own, ` +
          `including the SDK making the spans; ${Math.round(writtenShared).toLocaleString('en-US')} in the worker of the other variants`,
        pass: written >= BUDGET,
      },
      {
        budget: `following child spans: CPU per child span (one process, real SDK spans, ${CHILD_SPANS_PER_REQUEST} per request)`,
        limit: `<= ${BUDGET_MICROS_PER_CHILD} µs`,
        measured: `${median(perChild).toFixed(2)} µs (median of ${perChild.length} pairs of ${CHILD_CHUNK} requests; 95% interval ${childInterval.low.toFixed(2)} to ${childInterval.high.toFixed(2)})`,
        ...judgeAtMost(childInterval, BUDGET_MICROS_PER_CHILD),
      },
    ];
    // The live counters: their writes per second must not grow with traffic.
    const counterFigures: Array<{ rate: number; perSecond: number; result: ThroughputResult }> = [];
    for (const rate of COUNTER_RATES) {
      const lifecycles = rate * COUNTER_SECONDS;
      const result = await worker.request<ThroughputResult>('run', { exporter: 'redis', inFlight: 0, rate, lifecycles, maxSeconds: COUNTER_SECONDS + 20 }, 120_000);
      const perSecond = result.counterWrites / result.seconds;
      counterFigures.push({ rate, perSecond, result });
      figures.push({ scenario: 'throughput', label: `live counters at ${rate.toLocaleString('en-US')} req/s`, metric: 'counter writes per second', value: perSecond, unit: '/s' });
      context.log(`    counters at ${rate} req/s: ${result.counterWrites} writes in ${result.seconds.toFixed(1)} s`);
    }
    const mostCounterWrites = Math.max(...counterFigures.map((figure) => figure.perSecond));
    budgets.push({
      budget: 'live counters: Redis round trips per exporter per second, at 1 and at 20,000 req/s',
      limit: 'the same, <= 2',
      measured: counterFigures.map((figure) => `${figure.perSecond.toFixed(2)}/s at ${figure.rate.toLocaleString('en-US')} req/s`).join(', '),
      pass: mostCounterWrites <= 2,
    });
    return {
      id: 'throughput',
      title: `3. Exporter throughput: ${settings.lifecycles.toLocaleString('en-US')} lifecycles per run, ${settings.rounds} rounds, alternating`,
      figures,
      budgets,
      notes: [
        'Spans come from a real BasicTracerProvider with the attributes instrumentation-http and -express set; the producer yields whenever the exporter queue is over 10,000 events, so nothing is dropped for being too fast.',
        'Time runs until forceFlush() has every task written (Redis answered).',
        `Spans inside: ${settings.childPairs.toLocaleString('en-US')} pairs of chunks of ${CHILD_CHUNK} requests with ${CHILD_SPANS_PER_REQUEST} spans inside each, made by the tracked provider or by a second one whose processor does nothing (the same SDK work, unseen by tracking), in turn within one run; per pair the CPU difference over the spans, each chunk's CPU including the turn of the event loop after it. The budget is met when the 95% interval of the median is within it.`,
        `The budget row: ${settings.rounds} runs of every completed task written in a worker of its own after a warm-up, one tracked provider and exporter as in an app; the same variant in the worker of the other variants is reported beside it.`,
        '"less SDK only" subtracts the CPU per lifecycle of the SDK-only run of the same round: the SDK creating and ending the span is not tracking work, but the budget row is judged end to end.',
      ],
      details: { samples: Object.fromEntries(samples), counters: counterFigures, spansInside: childCpu },
    };
  } finally {
    await worker.stop();
    monitor.disconnect();
    await redis.stop();
  }
}
