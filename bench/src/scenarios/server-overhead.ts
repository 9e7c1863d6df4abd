import { RedisTestServer } from '@otel-top/redis-test-server';
import { LiveViewer } from '../live-viewer';
import { LoadGenerator } from '../load-generator';
import { pinToCore } from '../cpu-pinning';
import { compareServers, compareTrackingSwitched, measureTrackingTimes, ServerSpec, SwitchedComparison } from '../server-comparison';
import { median } from '../statistics';
import type { TrackingTimes } from '../tracking-timers';
import type { BenchContext, BudgetCheck, Figure, ScenarioId, ScenarioResult } from '../types';

/** The budgets, per app: CPU tracking adds per request (µs), unwatched and watched; throughput ratio, either. */
const BUDGETS: Record<'hello' | 'express', { cpuMicros?: { unwatched: number; watched: number }; ratio: number }> = {
  hello: { cpuMicros: { unwatched: 2, watched: 3 }, ratio: 0.96 },
  express: { ratio: 0.98 },
};

/** Per response, in µs: each part of tracking as the timed server measured it, and all of them less the timings' own cost. */
function trackingTimeFigures(scenario: ScenarioId, times: TrackingTimes): Figure[] {
  const label = 'timed in place (tracked, per response)';
  const micros = (nanos: number): number => nanos / 1000;
  const parts: Array<[string, number]> = [
    ['request hook (requestHook)', times.requestHook],
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
    ...parts.map(([metric, nanos]): Figure => ({ scenario, label, metric, value: micros(nanos), unit: 'µs' })),
    { scenario, label, metric: 'hooks + processor + exporter, less the timings', value: micros(total), unit: 'µs' },
    { scenario, label, metric: 'responses timed', value: times.responses, unit: '' },
  ];
}

function switchedFigures(scenario: ScenarioId, label: string, switched: SwitchedComparison): Figure[] {
  return [
    { scenario, label, metric: 'throughput ratio (on ÷ off)', value: median(switched.throughputRatios), unit: '', samples: switched.throughputRatios },
    { scenario, label, metric: 'tracking CPU/request (on - off)', value: switched.cpuMicrosPerRequest.on - switched.cpuMicrosPerRequest.off, unit: 'µs' },
  ];
}

/**
 * Scenarios 1 and 2: what tracking costs a saturated instrumented server,
 * `hello` (node:http hello world, the harshest case) and `overhead` (a small
 * Express API). Separate server processes, each alone on core 0, loaded in
 * alternated rounds: OTel alone (`noop`), tracked with nobody watching, and
 * tracked into a second Redis that the real `otel-top live` watches.
 * The main figure is the CPU each response costs the server; throughput is
 * compared pair by pair within a round. For hello, the same server also
 * switches tracking on and off every second under one load run, watched
 * and not, and is timed in place.
 */
export async function runServerOverhead(context: BenchContext, app: 'hello' | 'express'): Promise<ScenarioResult> {
  const scenario: ScenarioId = app === 'hello' ? 'hello' : 'overhead';
  const quick = context.options.quick;
  const settings = quick
    ? { rounds: 2, seconds: 3, warmupSeconds: 2, connections: 100 }
    : { rounds: 6, seconds: 6, warmupSeconds: 5, connections: 100 };
  const quiet = await RedisTestServer.start();
  const watchedRedis = await RedisTestServer.start();
  const load = await LoadGenerator.start();
  // The servers on core 0; everything else (load generator, both Redis, the viewer) on core 1.
  const pinned = [quiet.pid, watchedRedis.pid, load.pid].every((pid) => pid !== undefined && pinToCore(pid, 1));
  const serverCore = pinned ? 0 : undefined;
  if (!LiveViewer.available()) throw new Error('the watched variants need tmux (Debian/Ubuntu: sudo apt-get install tmux), to give otel-top live a terminal');
  const viewer = LiveViewer.start(watchedRedis.url, pinned ? 1 : undefined);
  const viewerCpuBefore = viewer.cpuSeconds();
  const started = Date.now();
  try {
    const servers: ServerSpec[] = [
      { label: 'noop', variant: 'noop', redisUrl: quiet.url },
      { label: 'tracked', variant: 'tracked', redisUrl: quiet.url },
      { label: 'watched', variant: 'tracked', redisUrl: watchedRedis.url },
    ];
    if (app === 'express') servers.push({ label: 'python', variant: 'python', redisUrl: quiet.url });
    const comparison = await compareServers(load, {
      app,
      servers,
      workers: 1,
      ...settings,
      cpuProfileDir: context.profileDir,
      serverCore,
      log: context.log,
    });
    const figures: Figure[] = [];
    for (const summary of comparison.summaries) {
      const label = summary.label;
      figures.push(
        { scenario, label, metric: 'requests/s', value: summary.requestsPerSecond, unit: 'req/s', samples: summary.samples.map((s) => s.requestsPerSecond) },
        { scenario, label, metric: 'server CPU/request', value: summary.serverCpuMicrosPerRequest, unit: 'µs', samples: summary.samples.map((s) => s.serverCpuMicrosPerRequest) },
        { scenario, label, metric: 'p50', value: summary.latencyP50Ms, unit: 'ms' },
        { scenario, label, metric: 'p99', value: summary.latencyP99Ms, unit: 'ms' },
        { scenario, label, metric: 'failed requests', value: summary.failed, unit: '' },
      );
    }
    for (const label of servers.slice(1).map((spec) => spec.label)) {
      const ratios = comparison.throughputRatios[label];
      const added = comparison.cpuMicrosAdded[label];
      figures.push(
        { scenario, label: `${label} vs noop`, metric: 'throughput ratio', value: median(ratios), unit: '', samples: ratios },
        { scenario, label: `${label} vs noop`, metric: 'CPU added per request', value: median(added), unit: 'µs', samples: added },
      );
    }
    const viewerCpuShare = (viewer.cpuSeconds() - viewerCpuBefore) / ((Date.now() - started) / 1000);
    figures.push({ scenario, label: 'otel-top live (watching)', metric: 'CPU share of one core', value: viewerCpuShare, unit: '' });

    const details: Record<string, unknown> = { comparison };
    if (app === 'hello') {
      // One server switching tracking every second under one load run: neighbours a second apart see the same machine.
      for (const [label, redisUrl] of [
        ['switched every 1 s, unwatched', quiet.url],
        ['switched every 1 s, watched', watchedRedis.url],
      ] as const) {
        const switched = await compareTrackingSwitched(load, {
          app,
          redisUrl,
          connections: settings.connections,
          warmupSeconds: settings.warmupSeconds,
          windowMillis: 1_000,
          windows: quick ? 12 : 42,
          serverCore,
        });
        figures.push(...switchedFigures(scenario, label, switched));
        details[label] = switched;
        context.log(`    ${label}: ${switched.throughputRatios.length} neighbour pairs, on ÷ off ${median(switched.throughputRatios).toFixed(3)}`);
      }
      const times = await measureTrackingTimes(load, {
        app,
        redisUrl: quiet.url,
        connections: settings.connections,
        warmupSeconds: settings.warmupSeconds,
        seconds: quick ? settings.seconds : 10,
        serverCore,
      });
      figures.push(...trackingTimeFigures(scenario, times));
      details.times = times;
    }

    const budget = BUDGETS[app];
    const budgets: BudgetCheck[] = [];
    const appName = app === 'hello' ? 'hello world' : 'Express 5';
    if (budget.cpuMicros !== undefined) {
      for (const [label, limit] of [
        ['tracked', budget.cpuMicros.unwatched],
        ['watched', budget.cpuMicros.watched],
      ] as const) {
        const added = median(comparison.cpuMicrosAdded[label]);
        budgets.push({
          budget: `${appName}: CPU tracking adds per request, ${label === 'tracked' ? 'nobody watching' : 'while otel-top live watches'}`,
          limit: `<= ${limit} µs`,
          measured: `${added.toFixed(1)} µs (median of ${comparison.cpuMicrosAdded[label].length} round pairs; noop ${comparison.summaries[0].serverCpuMicrosPerRequest.toFixed(1)} µs)`,
          pass: added <= limit,
        });
      }
    }
    for (const label of ['tracked', 'watched'] as const) {
      const ratio = median(comparison.throughputRatios[label]);
      budgets.push({
        budget: `${appName}: throughput with tracking ÷ without, ${label === 'tracked' ? 'unwatched' : 'watched'}`,
        limit: `>= ${budget.ratio}`,
        measured: `${ratio.toFixed(3)} (median of ${comparison.throughputRatios[label].length} round pairs)`,
        pass: ratio >= budget.ratio,
      });
    }
    return {
      id: scenario,
      title: `${app === 'hello' ? '1' : '2'}. Server overhead, ${appName}: saturated, ${settings.connections} connections, ${settings.rounds} rounds × ${settings.seconds} s, alternating`,
      figures,
      budgets,
      notes: [
        pinned
          ? 'Each server runs alone on core 0; the load generator, both Redis servers and the viewer on core 1 (taskset).'
          : 'Not pinned to cores (taskset missing or one core): servers, load generator and Redis share the machine.',
        'watched: the tracked server writing to a Redis that the real otel-top live (in a tmux terminal) watches the whole time; noop and tracked write to another Redis that nobody watches.',
        'CPU added per request: the server process\'s CPU time (/proc) per response, less the noop server\'s of the same round; the median over rounds. It includes the exporter\'s writes to Redis, which happen in the server process.',
        ...(app === 'hello'
          ? ['switched every 1 s: one tracked server switching all of tracking off and on every second under one load run; each window against its neighbours.']
          : ['python: the baseline plus tracking done as the Python writer does it (six awaited commands per request).']),
      ],
      details,
    };
  } finally {
    viewer.stop();
    await load.stop();
    await quiet.stop();
    await watchedRedis.stop();
  }
}
