import { IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/** What ProcessHealth measured since its previous sample. */
export interface HealthSample {
  eventLoopDelayP99Millis: number | undefined;
  eventLoopDelayMaxMillis: number | undefined;
  cpuShare: number | undefined;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
}

/** How often the event loop delay is sampled (ms): libuv's own timer, nothing per request. */
const DELAY_RESOLUTION_MILLIS = 20;

/**
 * How often ProcessHealth checks its own timer's lateness (ms). The monitor
 * records a block only on its first tick after it, and its reset() forgets a
 * block not yet recorded; a heartbeat that runs first after a block would
 * lose it. This coarse timer sees that block still pending.
 */
const LATENESS_TICK_MILLIS = 100;

/**
 * The process's health for its heartbeat record, measured only when asked
 * (once per heartbeat): event-loop delay from Node's monitor, CPU share from
 * process.cpuUsage(), memory from process.memoryUsage(). Nothing of it runs
 * per request. One per process (`ProcessHealth.shared`): exporters in the
 * same process share it, and a sample younger than they ask for.
 */
export class ProcessHealth {
  private static instance: ProcessHealth | undefined;
  private users = 0;
  private latest: { at: number; sample: HealthSample } | undefined;

  /** The process's one health monitor; release it with `stop()` once done. */
  static shared(): ProcessHealth {
    ProcessHealth.instance ??= new ProcessHealth();
    ProcessHealth.instance.users++;
    return ProcessHealth.instance;
  }

  private readonly delay: IntervalHistogram | undefined;
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();
  private lastTickAt = performance.now();
  private maxLatenessMillis = 0;
  private readonly ticker: NodeJS.Timeout;

  private constructor() {
    this.ticker = setInterval(() => this.tick(), LATENESS_TICK_MILLIS).unref();
    try {
      this.delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MILLIS });
      this.delay.enable();
    } catch {
      this.delay = undefined;
    }
  }

  /** The health since the previous sample, or that previous sample while it is younger than `maxAgeMillis`. */
  sample(maxAgeMillis = 0): HealthSample {
    const now = performance.now();
    if (this.latest !== undefined && now - this.latest.at < maxAgeMillis) return this.latest.sample;
    const cpu = process.cpuUsage();
    const wallMicros = (now - this.lastAt) * 1000;
    const cpuMicros = cpu.user - this.lastCpu.user + (cpu.system - this.lastCpu.system);
    this.lastCpu = cpu;
    this.lastAt = now;
    const memory = process.memoryUsage();
    // Only a monitor that has recorded something has figures.
    const recorded = this.delay !== undefined && this.delay.count > 0 ? this.delay : undefined;
    // The monitor counts its own resolution in every delay; what is over it is the delay.
    const over = (nanos: number): number => Math.max(0, nanos / 1e6 - DELAY_RESOLUTION_MILLIS);
    const recordedMax = recorded === undefined ? undefined : over(recorded.max);
    const lateness = Math.max(this.maxLatenessMillis, now - this.lastTickAt - LATENESS_TICK_MILLIS);
    const sample: HealthSample = {
      eventLoopDelayP99Millis: recorded === undefined ? undefined : over(recorded.percentile(99)),
      eventLoopDelayMaxMillis: lateness > 0 ? Math.max(recordedMax ?? 0, lateness) : recordedMax,
      cpuShare: wallMicros > 0 ? cpuMicros / wallMicros : undefined,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
    };
    this.delay?.reset();
    this.maxLatenessMillis = 0;
    // The pending block is in this sample; the ticker's next lateness starts from now.
    this.lastTickAt = Math.max(this.lastTickAt, now - LATENESS_TICK_MILLIS);
    this.latest = { at: now, sample };
    return sample;
  }

  private tick(): void {
    const now = performance.now();
    this.maxLatenessMillis = Math.max(this.maxLatenessMillis, now - this.lastTickAt - LATENESS_TICK_MILLIS);
    this.lastTickAt = now;
  }

  /** One user is done with it; the monitor stops with the last. */
  stop(): void {
    if (--this.users > 0) return;
    this.delay?.disable();
    clearInterval(this.ticker);
    if (ProcessHealth.instance === this) ProcessHealth.instance = undefined;
  }
}
