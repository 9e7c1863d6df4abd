import { RedisTestServer } from '@otel-top/redis-test-server';
import { LoadGenerator } from '../load-generator';
import { pinToCore } from '../cpu-pinning';
import { compareServers, compareTrackingOnOff, compareTrackingSwitched, measureTrackingTimes } from '../server-comparison';
import { median, pairRatios } from '../statistics';
import type { TrackingTimes } from '../tracking-timers';
import type { BenchContext, Figure, ScenarioResult } from '../types';

/** Express 5: throughput with tracking ÷ without (docs/performance.md). */
const EXPRESS_THROUGHPUT_BUDGET = 0.98;

/** The figures of one server with tracking switched on and off: ratios pair by pair, and what tracking adds per request. */
function onOffFigures(label: string, ratios: { throughputRatios: number[]; cpuRatios: number[] }, cpuMicrosAdded: number): Figure[] {
  return [
    { scenario: 'overhead', label, metric: 'throughput ratio', value: median(ratios.throughputRatios), unit: '', samples: ratios.throughputRatios },
    { scenario: 'overhead', label, metric: 'CPU ratio (off CPU/req ÷ on)', value: median(ratios.cpuRatios), unit: '', samples: ratios.cpuRatios },
    { scenario: 'overhead', label, metric: 'tracking CPU/request (on - off)', value: cpuMicrosAdded, unit: 'µs' },
  ];
}

/** Per response, in µs: each part of tracking as the timed server measured it, and all of them less the timings' own cost. */
function trackingTimeFigures(times: TrackingTimes): Figure[] {
  const label = 'timed in place (tracked, per response)';
  const micros = (nanos: number): number => nanos / 1000;
  const parts: Array<[string, number]> = [
    ['request hook (startIncomingSpanHook)', times.requestHook],
    ['response hook (applyCustomAttributesOnSpan)', times.responseHook],
    ['processor onStart, all spans, taskStarted included', times.onStart],
    ['processor onEnd, all spans, taskEnded included', times.onEnd],
    ['exporter taskStarted', times.taskStarted],
    ['exporter taskEnded', times.taskEnded],
    ['one empty timing (in each figure above, once per timed call)', times.emptyTiming],
  ];
  // Every timed call but the empty one adds one timing's cost to the top-level figures.
  const total =
    times.requestHook + times.responseHook + times.onStart + times.onEnd - times.emptyTiming * (times.timedCallsPerResponse - 1);
  return [
    ...parts.map(([metric, nanos]): Figure => ({ scenario: 'overhead', label, metric, value: micros(nanos), unit: 'µs' })),
    { scenario: 'overhead', label, metric: 'hooks + processor + exporter, less the timings', value: micros(total), unit: 'µs' },
    { scenario: 'overhead', label, metric: 'responses timed', value: times.responses, unit: '' },
  ];
}

/** Scenario 1: what tracking costs a saturated instrumented Express server. */
export async function runServerOverhead(context: BenchContext): Promise<ScenarioResult> {
  const quick = context.options.quick;
  const settings = quick
    ? { rounds: 2, seconds: 3, warmupSeconds: 2, connections: 100 }
    : { rounds: 5, seconds: 8, warmupSeconds: 5, connections: 100 };
  const redis = await RedisTestServer.start();
  const load = await LoadGenerator.start();
  // The servers on core 0; everything else (load generator, Redis) on core 1.
  const pinned = redis.pid !== undefined && pinToCore(redis.pid, 1) && pinToCore(load.pid, 1);
  try {
    const comparison = await compareServers(load, {
      variants: ['noop', 'headers', 'tracked', 'watched', 'python'],
      redisUrl: redis.url,
      workers: 1,
      ...settings,
      cpuProfileDir: context.profileDir,
      ...(pinned ? { serverCore: 0 } : {}),
      log: context.log,
    });
    const figures: Figure[] = [];
    for (const summary of comparison.summaries) {
      const scenario = 'overhead';
      const label = summary.variant;
      figures.push(
        { scenario, label, metric: 'requests/s', value: summary.requestsPerSecond, unit: 'req/s', samples: summary.samples.map((s) => s.requestsPerSecond) },
        { scenario, label, metric: 'p50', value: summary.latencyP50Ms, unit: 'ms', samples: summary.samples.map((s) => s.latencyP50Ms) },
        { scenario, label, metric: 'p99', value: summary.latencyP99Ms, unit: 'ms', samples: summary.samples.map((s) => s.latencyP99Ms) },
        { scenario, label, metric: 'server CPU/request', value: summary.serverCpuMicrosPerRequest, unit: 'µs', samples: summary.samples.map((s) => s.serverCpuMicrosPerRequest) },
        { scenario, label, metric: 'failed requests', value: summary.failed, unit: '' },
      );
    }
    for (const variant of ['headers', 'tracked', 'watched', 'python']) {
      const ratios = comparison.throughputRatios[variant];
      figures.push({ scenario: 'overhead', label: `${variant}/noop`, metric: 'throughput ratio', value: median(ratios), unit: '', samples: ratios });
      const cpu = comparison.cpuRatios[variant];
      figures.push({ scenario: 'overhead', label: `${variant}/noop`, metric: 'CPU ratio (noop CPU/req ÷ this)', value: median(cpu), unit: '', samples: cpu });
    }
    // All of tracking switched on and off inside one server: the budget's comparison without the differences between processes.
    // Many short rounds: on this shared VM the speed of one process drifts by ±15% within a minute, and only
    // adjacent runs see the same machine.
    const onOff = await compareTrackingOnOff(load, {
      redisUrl: redis.url,
      ...settings,
      rounds: quick ? 2 : 16,
      seconds: quick ? settings.seconds : 4,
      ...(pinned ? { serverCore: 0 } : {}),
      log: context.log,
    });
    figures.push(
      ...onOffFigures(
        'tracked, on/off in one process',
        onOff,
        median(onOff.on.map((sample, i) => sample.serverCpuMicrosPerRequest - onOff.off[i].serverCpuMicrosPerRequest)),
      ),
    );
    // The same within one continuous load run, switching every second: neighbours see the same machine.
    const switched = await compareTrackingSwitched(load, {
      redisUrl: redis.url,
      connections: settings.connections,
      warmupSeconds: settings.warmupSeconds,
      windowMillis: 1_000,
      windows: quick ? 12 : 62,
      ...(pinned ? { serverCore: 0 } : {}),
    });
    figures.push(
      ...onOffFigures(
        'tracked, switched every 1 s in one process',
        switched,
        switched.cpuMicrosPerRequest.on - switched.cpuMicrosPerRequest.off,
      ),
    );
    context.log(
      `    switched every 1 s: ${switched.throughputRatios.length} neighbour pairs, median on ÷ off ${median(switched.throughputRatios).toFixed(3)}`,
    );
    // Where tracking's time goes on the request path, timed where it runs: steadier than any ratio on this VM.
    const times = await measureTrackingTimes(load, {
      redisUrl: redis.url,
      connections: settings.connections,
      warmupSeconds: settings.warmupSeconds,
      seconds: quick ? settings.seconds : 10,
      ...(pinned ? { serverCore: 0 } : {}),
    });
    figures.push(...trackingTimeFigures(times));
    const ratio = median(comparison.throughputRatios.tracked);
    const onOffRatio = median(onOff.throughputRatios);
    const switchedRatio = median(switched.throughputRatios);
    // Processor + exporter alone: tracked against the server that captures the same headers without them.
    const headersSamples = comparison.summaries.find((summary) => summary.variant === 'headers')?.samples ?? [];
    const trackedSamples = comparison.summaries.find((summary) => summary.variant === 'tracked')?.samples ?? [];
    const alone = pairRatios(
      headersSamples.map((sample) => sample.requestsPerSecond),
      trackedSamples.map((sample) => sample.requestsPerSecond),
    );
    figures.push({ scenario: 'overhead', label: 'tracked/headers', metric: 'throughput ratio', value: median(alone), unit: '', samples: alone });
    return {
      id: 'overhead',
      title: `1. Server overhead: saturated Express, ${settings.connections} connections, ${settings.rounds} rounds × ${settings.seconds} s, alternating, each round starting one variant later`,
      figures,
      budgets: [
        {
          budget: 'saturated throughput with processor + Redis exporter ÷ same server with OTel only (one process, tracking on/off)',
          limit: `>= ${EXPRESS_THROUGHPUT_BUDGET} (Express 5)`,
          measured: `${onOffRatio.toFixed(3)} (median of ${onOff.throughputRatios.length} pair ratios)`,
          pass: onOffRatio >= EXPRESS_THROUGHPUT_BUDGET,
        },
        {
          budget: 'the same, one process switching tracking every second under one load run (neighbouring 1 s windows)',
          limit: `>= ${EXPRESS_THROUGHPUT_BUDGET} (Express 5)`,
          measured: `${switchedRatio.toFixed(3)} (median of ${switched.throughputRatios.length} neighbour ratios)`,
          pass: switchedRatio >= EXPRESS_THROUGHPUT_BUDGET,
        },
        {
          budget: 'the same, tracked ÷ noop as separate server processes (±10% per pair between identical processes here)',
          limit: `>= ${EXPRESS_THROUGHPUT_BUDGET} (Express 5)`,
          measured: `${ratio.toFixed(3)} (median of ${comparison.throughputRatios.tracked.length} pair ratios)`,
          pass: ratio >= EXPRESS_THROUGHPUT_BUDGET,
        },
      ],
      notes: [
        pinned
          ? 'Each server runs alone on core 0; the load generator and Redis on core 1 (taskset), so the servers\' own capacity is compared and Redis\'s work is not charged to them (scenario 2 counts it).'
          : 'Not pinned to cores (taskset missing or one core): servers, load generator and Redis share the machine.',
        'headers: noop plus the http instrumentation options of httpInstrumentationConfig() (its capture of X-Forwarded-For, CF-IPCountry, Content-Length, Content-Type and its abandoned-response mark), without processor or exporter; tracked/headers is what processor and exporter alone cost. The budget row counts both, as a user following the README gets both.',
        'watched: tracked with every update published (publishUpdates: true), which is what the exporter does while something subscribes to task_updates; the subscriber itself is not running, so Redis delivers nothing. otel-top live listens on otel_top:updates instead and is not run here.',
        'CPU ratio: the noop server\'s CPU time per response over this variant\'s; it is what the throughput ratio would be if the server alone were the bottleneck, and is less sensitive to load from other processes.',
        'on/off in one process: one tracked server with all of tracking (the header capture, processor and exporter) switched off and on between runs (on off, off on, ...); off, it is the noop server with an idle exporter connection. It takes the differences between server processes out of the comparison (separate processes of identical code differed by up to ±10% per pair here).',
        'timed in place: a tracked server whose hooks, processor and exporter calls are each wrapped in process.hrtime.bigint() (10 s of load after warm-up). Only our code on the request path: the SDK\'s work on the captured attributes, the garbage collector and the writes to Redis are not in it.',
        'switched every 1 s: the same server switching itself off and on every second during one continuous load run; each window is compared with its neighbours (the first two left out, while the load ramps up). Neighbours are a second apart, so the drift of this shared machine cancels better than between runs seconds apart; a one-off A/A check of the method (on against on) gave 0.999.',
      ],
      details: { comparison, onOff, switched, times },
    };
  } finally {
    await load.stop();
    await redis.stop();
  }
}
