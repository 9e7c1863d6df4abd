import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChildWorker } from './child-worker';
import type { SwitchWindow } from './tracking-switch-windows';
import type { TrackingTimes } from './tracking-timers';
import type { ServerOptions, ServerStats, ServerVariant } from './types';

/** Linux's clock tick for /proc/<pid>/stat times (USER_HZ, 100 on every mainstream kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used, from /proc: works for processes we did not instrument. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** A benchmark server (server-main.ts) in its own process, or a cluster of them. */
export class ServerProcess {
  private constructor(
    private readonly worker: ChildWorker,
    readonly variant: ServerVariant,
    readonly url: string,
    /** The processes that serve requests (the cluster workers, or the one process). */
    readonly pids: number[],
  ) {}

  static async start(options: ServerOptions): Promise<ServerProcess> {
    const execArgv = ['--require', join(__dirname, 'bench-tracing.js'), '--expose-gc'];
    if (options.cpuProfileDir !== undefined) {
      // A folder per server: cluster workers each write their own profile, named by pid.
      execArgv.push('--cpu-prof', '--cpu-prof-dir', join(options.cpuProfileDir, `server-${options.app}-${options.variant}-${options.workers}w-${Date.now()}`));
    }
    const worker = await ChildWorker.start(join(__dirname, 'server-main.js'), `server (${options.variant})`, {
      execArgv,
      env: { BENCH_VARIANT: options.variant, BENCH_APP: options.app, BENCH_REDIS_URL: options.redisUrl, BENCH_WORKERS: String(options.workers) },
    });
    const info = worker.info as { port: number; pids: number[] };
    return new ServerProcess(worker, options.variant, `http://127.0.0.1:${info.port}`, info.pids);
  }

  /** CPU seconds used so far by the serving processes. */
  cpuSeconds(): number {
    return this.pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
  }

  stats(): Promise<ServerStats> {
    return this.worker.request('stats', undefined, 10_000);
  }

  /** Memory after a full garbage collection. */
  collectGarbage(): Promise<ServerStats> {
    return this.worker.request('gc', undefined, 30_000);
  }

  /** In a `timed` server: the time each part of tracking took per response since the last reset, and maybe a reset. */
  timings(reset: boolean): Promise<TrackingTimes> {
    return this.worker.request('timings', reset, 10_000);
  }

  /** Switches all of tracking (header capture, processor, exporter) off or on in a tracked server. */
  setTracking(enabled: boolean): Promise<void> {
    return this.worker.request('tracking', enabled, 10_000);
  }

  /** Switches tracking off and on every `windowMillis`, `windows` times, while the caller loads the server. */
  switchTracking(windowMillis: number, windows: number): Promise<SwitchWindow[]> {
    return this.worker.request('switchTracking', { windowMillis, windows }, windowMillis * windows + 30_000);
  }

  /** In a `children` server: makes the spans inside requests seen by tracking and not, every `windowMillis`, `windows` times. */
  switchChildrenSeen(windowMillis: number, windows: number): Promise<SwitchWindow[]> {
    return this.worker.request('switchChildrenSeen', { windowMillis, windows }, windowMillis * windows + 30_000);
  }

  /** Waits until the exporter wrote what it queued; returns the stats after. */
  flush(): Promise<ServerStats> {
    return this.worker.request('flush', undefined, 30_000);
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }
}
