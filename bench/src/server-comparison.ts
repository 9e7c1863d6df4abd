import type { LoadGenerator } from './load-generator';
import { pinToCore } from './cpu-pinning';
import { ServerProcess } from './server-process';
import { alternate, median, pairRatios } from './statistics';
import type { SwitchWindow } from './tracking-switch-windows';
import type { TrackingTimes } from './tracking-timers';
import type { LoadResult, ServerVariant } from './types';

interface ServerSample extends LoadResult {
  /** CPU time the serving processes spent per response (µs). */
  serverCpuMicrosPerRequest: number;
}

export interface ServerComparisonOptions {
  variants: ReadonlyArray<ServerVariant>;
  redisUrl: string;
  workers: number;
  connections: number;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  cpuProfileDir?: string;
  /** Pin every server to this core (see cpu-pinning.ts). */
  serverCore?: number;
  log: (line: string) => void;
}

interface VariantSummary {
  variant: ServerVariant;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  serverCpuMicrosPerRequest: number;
  failed: number;
  samples: ServerSample[];
}

export interface ServerComparison {
  workers: number;
  connections: number;
  summaries: VariantSummary[];
  /** Per variant but the first: its requests/s over the first variant's, round by round. */
  throughputRatios: Record<string, number[]>;
  /** Per variant but the first: the first variant's CPU per request over its, round by round (the throughput ratio CPU alone predicts). */
  cpuRatios: Record<string, number[]>;
}

/** One saturating load run against one server, with the server's CPU time per response. */
async function measureServer(server: ServerProcess, load: LoadGenerator, connections: number, seconds: number): Promise<ServerSample> {
  const cpuBefore = server.cpuSeconds();
  const result = await load.run({ url: server.url, connections, durationSeconds: seconds, maxSeconds: seconds + 15 });
  const cpu = server.cpuSeconds() - cpuBefore;
  return { ...result, serverCpuMicrosPerRequest: (cpu * 1e6) / Math.max(result.requests, 1) };
}

/**
 * Starts one server per variant, warms each up, then loads them in turn,
 * every variant once per round, each round starting one variant later (see
 * alternate()); servers that are not loaded sit idle.
 */
export async function compareServers(load: LoadGenerator, options: ServerComparisonOptions): Promise<ServerComparison> {
  const servers = new Map<ServerVariant, ServerProcess>();
  try {
    for (const variant of options.variants) {
      const server = await ServerProcess.start({
        variant,
        redisUrl: options.redisUrl,
        workers: options.workers,
        cpuProfileDir: options.cpuProfileDir,
      });
      servers.set(variant, server);
      if (options.serverCore !== undefined) {
        for (const pid of server.pids) pinToCore(pid, options.serverCore);
      }
    }
    for (const [variant, server] of servers) {
      // JIT warm-up and connection set-up, not measured.
      await load.run({ url: server.url, connections: options.connections, durationSeconds: options.warmupSeconds, maxSeconds: options.warmupSeconds + 15 });
      options.log(`    warmed up ${variant}`);
    }
    const samples = await alternate(options.variants, options.rounds, async (variant, round) => {
      const sample = await measureServer(servers.get(variant) as ServerProcess, load, options.connections, options.seconds);
      options.log(
        `    round ${round + 1} ${variant.padEnd(8)} ${sample.requestsPerSecond.toFixed(0).padStart(7)} req/s  ` +
          `p50 ${sample.latencyP50Ms} ms  p99 ${sample.latencyP99Ms} ms  ${sample.serverCpuMicrosPerRequest.toFixed(0)} µs CPU/req`,
      );
      return sample;
    });
    const summaries = options.variants.map((variant): VariantSummary => {
      const list = samples.get(variant) ?? [];
      return {
        variant,
        requestsPerSecond: median(list.map((s) => s.requestsPerSecond)),
        latencyP50Ms: median(list.map((s) => s.latencyP50Ms)),
        latencyP99Ms: median(list.map((s) => s.latencyP99Ms)),
        serverCpuMicrosPerRequest: median(list.map((s) => s.serverCpuMicrosPerRequest)),
        failed: list.reduce((sum, s) => sum + s.errors + s.non2xx, 0),
        samples: list,
      };
    });
    const [base, ...others] = summaries;
    const throughputRatios: Record<string, number[]> = {};
    const cpuRatios: Record<string, number[]> = {};
    for (const other of others) {
      throughputRatios[other.variant] = pairRatios(
        base.samples.map((s) => s.requestsPerSecond),
        other.samples.map((s) => s.requestsPerSecond),
      );
      cpuRatios[other.variant] = pairRatios(
        other.samples.map((s) => s.serverCpuMicrosPerRequest),
        base.samples.map((s) => s.serverCpuMicrosPerRequest),
      );
    }
    return { workers: options.workers, connections: options.connections, summaries, throughputRatios, cpuRatios };
  } finally {
    for (const server of servers.values()) await server.stop();
  }
}

/** One tracked server, pinned if asked, warmed up with a load run of its own. */
async function startWarmTrackedServer(
  load: LoadGenerator,
  options: { redisUrl: string; connections: number; warmupSeconds: number; serverCore?: number },
  variant: 'tracked' | 'timed' = 'tracked',
): Promise<ServerProcess> {
  const server = await ServerProcess.start({ variant, redisUrl: options.redisUrl, workers: 1 });
  try {
    if (options.serverCore !== undefined) {
      for (const pid of server.pids) pinToCore(pid, options.serverCore);
    }
    await load.run({ url: server.url, connections: options.connections, durationSeconds: options.warmupSeconds, maxSeconds: options.warmupSeconds + 15 });
    return server;
  } catch (error) {
    await server.stop();
    throw error;
  }
}

export interface OnOffComparison {
  on: ServerSample[];
  off: ServerSample[];
  /** On's requests/s over off's, round by round. */
  throughputRatios: number[];
  /** Off's CPU per request over on's, round by round. */
  cpuRatios: number[];
}

/**
 * One tracked server, its tracking (header capture, processor, exporter)
 * switched on and off between runs (on off, off on, ...): the budget's
 * comparison, free of the differences between server processes.
 */
export async function compareTrackingOnOff(
  load: LoadGenerator,
  options: Omit<ServerComparisonOptions, 'variants' | 'workers' | 'cpuProfileDir'>,
): Promise<OnOffComparison> {
  const server = await startWarmTrackedServer(load, options);
  try {
    const samples = await alternate(['on', 'off'] as const, options.rounds, async (setting, round) => {
      await server.setTracking(setting === 'on');
      const sample = await measureServer(server, load, options.connections, options.seconds);
      options.log(
        `    round ${round + 1} tracking ${setting.padEnd(3)} ${sample.requestsPerSecond.toFixed(0).padStart(7)} req/s  ` +
          `${sample.serverCpuMicrosPerRequest.toFixed(0)} µs CPU/req`,
      );
      return sample;
    });
    const on = samples.get('on') ?? [];
    const off = samples.get('off') ?? [];
    return {
      on,
      off,
      throughputRatios: pairRatios(off.map((s) => s.requestsPerSecond), on.map((s) => s.requestsPerSecond)),
      cpuRatios: pairRatios(on.map((s) => s.serverCpuMicrosPerRequest), off.map((s) => s.serverCpuMicrosPerRequest)),
    };
  } finally {
    await server.stop();
  }
}

export interface SwitchedComparison {
  windows: SwitchWindow[];
  /** A window's requests/s with tracking on over its off neighbour's, for every pair of neighbouring windows. */
  throughputRatios: number[];
  /** The off neighbour's CPU per request over the on window's. */
  cpuRatios: number[];
  /** Median CPU per request (µs) of the on and of the off windows. */
  cpuMicrosPerRequest: { on: number; off: number };
}

/**
 * One tracked server under one continuous load run, switching its tracking
 * off and on every `windowMillis` (see recordSwitchWindows). The first two
 * windows are left out: the load is still ramping up.
 */
export async function compareTrackingSwitched(
  load: LoadGenerator,
  options: { redisUrl: string; connections: number; warmupSeconds: number; windowMillis: number; windows: number; serverCore?: number },
): Promise<SwitchedComparison> {
  const server = await startWarmTrackedServer(load, options);
  try {
    const seconds = Math.ceil((options.windowMillis * options.windows) / 1000) + 2;
    const loading = load.run({ url: server.url, connections: options.connections, durationSeconds: seconds, maxSeconds: seconds + 15 });
    const windows = (await server.switchTracking(options.windowMillis, options.windows)).slice(2);
    await loading;
    const rate = (window: SwitchWindow): number => (window.requests * 1000) / window.millis;
    const cpu = (window: SwitchWindow): number => window.cpuMicros / Math.max(window.requests, 1);
    const throughputRatios: number[] = [];
    const cpuRatios: number[] = [];
    for (let i = 1; i < windows.length; i++) {
      const [on, off] = windows[i].tracking ? [windows[i], windows[i - 1]] : [windows[i - 1], windows[i]];
      throughputRatios.push(rate(on) / rate(off));
      cpuRatios.push(cpu(off) / cpu(on));
    }
    return {
      windows,
      throughputRatios,
      cpuRatios,
      cpuMicrosPerRequest: {
        on: median(windows.filter((window) => window.tracking).map(cpu)),
        off: median(windows.filter((window) => !window.tracking).map(cpu)),
      },
    };
  } finally {
    await server.stop();
  }
}

/** Each part of tracking timed in place (see TrackingTimers) in a tracked server under one saturating load run. */
export async function measureTrackingTimes(
  load: LoadGenerator,
  options: { redisUrl: string; connections: number; warmupSeconds: number; seconds: number; serverCore?: number },
): Promise<TrackingTimes> {
  const server = await startWarmTrackedServer(load, options, 'timed');
  try {
    await server.timings(true);
    await load.run({ url: server.url, connections: options.connections, durationSeconds: options.seconds, maxSeconds: options.seconds + 15 });
    return await server.timings(false);
  } finally {
    await server.stop();
  }
}
