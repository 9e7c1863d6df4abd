import type { LoadGenerator } from './load-generator';
import { pinToCore } from './cpu-pinning';
import { ServerProcess } from './server-process';
import { alternate, median, pairRatios } from './statistics';
import type { SwitchWindow } from './tracking-switch-windows';
import type { TrackingTimes } from './tracking-timers';
import type { BenchApp, LoadResult, ServerVariant } from './types';

interface ServerSample extends LoadResult {
  /** CPU time the serving processes spent per response (µs). */
  serverCpuMicrosPerRequest: number;
}

/** One server of a comparison: its label in the tables, how it tracks, the Redis it writes to, and its app if not the comparison's. */
export interface ServerSpec {
  label: string;
  variant: ServerVariant;
  redisUrl: string;
  app?: BenchApp;
}

export interface ServerComparisonOptions {
  app: BenchApp;
  servers: ReadonlyArray<ServerSpec>;
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
  label: string;
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
  /** Per server but the first: its requests/s over the first server's, round by round. */
  throughputRatios: Record<string, number[]>;
  /** Per server but the first: the first server's CPU per request over its, round by round (the throughput ratio CPU alone predicts). */
  cpuRatios: Record<string, number[]>;
  /** Per server but the first: its CPU per request less the first server's, round by round (µs). */
  cpuMicrosAdded: Record<string, number[]>;
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
  const servers = new Map<string, ServerProcess>();
  const labels = options.servers.map((spec) => spec.label);
  try {
    for (const spec of options.servers) {
      const server = await ServerProcess.start({
        variant: spec.variant,
        app: spec.app ?? options.app,
        redisUrl: spec.redisUrl,
        workers: options.workers,
        cpuProfileDir: options.cpuProfileDir,
      });
      servers.set(spec.label, server);
      if (options.serverCore !== undefined) {
        for (const pid of server.pids) pinToCore(pid, options.serverCore);
      }
    }
    for (const [label, server] of servers) {
      // JIT warm-up and connection set-up, not measured.
      await load.run({ url: server.url, connections: options.connections, durationSeconds: options.warmupSeconds, maxSeconds: options.warmupSeconds + 15 });
      options.log(`    warmed up ${label}`);
    }
    const samples = await alternate(labels, options.rounds, async (label, round) => {
      const sample = await measureServer(servers.get(label) as ServerProcess, load, options.connections, options.seconds);
      options.log(
        `    round ${round + 1} ${label.padEnd(8)} ${sample.requestsPerSecond.toFixed(0).padStart(7)} req/s  ` +
          `p50 ${sample.latencyP50Ms} ms  p99 ${sample.latencyP99Ms} ms  ${sample.serverCpuMicrosPerRequest.toFixed(1)} µs CPU/req`,
      );
      return sample;
    });
    const summaries = labels.map((label): VariantSummary => {
      const list = samples.get(label) ?? [];
      return {
        label,
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
    const cpuMicrosAdded: Record<string, number[]> = {};
    for (const other of others) {
      throughputRatios[other.label] = pairRatios(
        base.samples.map((s) => s.requestsPerSecond),
        other.samples.map((s) => s.requestsPerSecond),
      );
      cpuRatios[other.label] = pairRatios(
        other.samples.map((s) => s.serverCpuMicrosPerRequest),
        base.samples.map((s) => s.serverCpuMicrosPerRequest),
      );
      cpuMicrosAdded[other.label] = other.samples.map((s, i) => s.serverCpuMicrosPerRequest - (base.samples[i]?.serverCpuMicrosPerRequest ?? NaN));
    }
    return { workers: options.workers, connections: options.connections, summaries, throughputRatios, cpuRatios, cpuMicrosAdded };
  } finally {
    for (const server of servers.values()) await server.stop();
  }
}

/** One tracked server, pinned if asked, warmed up with a load run of its own. */
async function startWarmTrackedServer(
  load: LoadGenerator,
  options: { app: BenchApp; redisUrl: string; connections: number; warmupSeconds: number; serverCore?: number },
  variant: 'tracked' | 'timed' = 'tracked',
): Promise<ServerProcess> {
  const server = await ServerProcess.start({ variant, app: options.app, redisUrl: options.redisUrl, workers: 1 });
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

export interface SwitchedComparison {
  windows: SwitchWindow[];
  /** A window's requests/s with tracking on over its off neighbour's, for every pair of neighbouring windows. */
  throughputRatios: number[];
  /** The off neighbour's CPU per request over the on window's. */
  cpuRatios: number[];
  /** Median CPU per request (µs) of the on and of the off windows. */
  cpuMicrosPerRequest: { on: number; off: number };
  /**
   * The on window's CPU per request less its off neighbour's (µs), for
   * disjoint pairs of neighbours (each window in one pair only), so that the
   * samples are independent, as a confidence interval needs.
   */
  cpuMicrosAdded: number[];
}

/**
 * One tracked server under one continuous load run, switching its tracking
 * off and on every `windowMillis` (see recordSwitchWindows); with
 * `switching: 'childrenSeen'`, a `children` server switching whether
 * tracking sees the spans inside its requests. The first two windows are
 * left out: the load is still ramping up.
 */
export async function compareTrackingSwitched(
  load: LoadGenerator,
  options: {
    app: BenchApp;
    redisUrl: string;
    connections: number;
    warmupSeconds: number;
    windowMillis: number;
    windows: number;
    serverCore?: number;
    switching?: 'tracking' | 'childrenSeen';
  },
): Promise<SwitchedComparison> {
  const server = await startWarmTrackedServer(load, options);
  try {
    const seconds = Math.ceil((options.windowMillis * options.windows) / 1000) + 2;
    const loading = load.run({ url: server.url, connections: options.connections, durationSeconds: seconds, maxSeconds: seconds + 15 });
    const switched =
      options.switching === 'childrenSeen'
        ? server.switchChildrenSeen(options.windowMillis, options.windows)
        : server.switchTracking(options.windowMillis, options.windows);
    const windows = (await switched).slice(2);
    await loading;
    const rate = (window: SwitchWindow): number => (window.requests * 1000) / window.millis;
    const cpu = (window: SwitchWindow): number => window.cpuMicros / Math.max(window.requests, 1);
    const throughputRatios: number[] = [];
    const cpuRatios: number[] = [];
    const cpuMicrosAdded: number[] = [];
    for (let i = 1; i < windows.length; i++) {
      const [on, off] = windows[i].on ? [windows[i], windows[i - 1]] : [windows[i - 1], windows[i]];
      throughputRatios.push(rate(on) / rate(off));
      cpuRatios.push(cpu(off) / cpu(on));
      if (i % 2 === 1) cpuMicrosAdded.push(cpu(on) - cpu(off));
    }
    return {
      windows,
      throughputRatios,
      cpuRatios,
      cpuMicrosPerRequest: {
        on: median(windows.filter((window) => window.on).map(cpu)),
        off: median(windows.filter((window) => !window.on).map(cpu)),
      },
      cpuMicrosAdded,
    };
  } finally {
    await server.stop();
  }
}

/** Each part of tracking timed in place (see TrackingTimers) in a tracked server under one saturating load run. */
export async function measureTrackingTimes(
  load: LoadGenerator,
  options: { app: BenchApp; redisUrl: string; connections: number; warmupSeconds: number; seconds: number; serverCore?: number },
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
