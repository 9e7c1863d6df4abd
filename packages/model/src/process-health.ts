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
 * The process's health for its heartbeat record, measured only when asked
 * (once per heartbeat): event-loop delay from Node's monitor, CPU share from
 * process.cpuUsage(), memory from process.memoryUsage(). Nothing of it runs
 * per request.
 */
export class ProcessHealth {
  private readonly delay: IntervalHistogram | undefined;
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();

  constructor() {
    try {
      this.delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MILLIS });
      this.delay.enable();
    } catch {
      this.delay = undefined;
    }
  }

  sample(): HealthSample {
    const now = performance.now();
    const cpu = process.cpuUsage();
    const wallMicros = (now - this.lastAt) * 1000;
    const cpuMicros = cpu.user - this.lastCpu.user + (cpu.system - this.lastCpu.system);
    this.lastCpu = cpu;
    this.lastAt = now;
    const memory = process.memoryUsage();
    const delay = this.delay;
    // The monitor counts its own resolution in every delay; what is over it is the delay.
    const over = (nanos: number): number => Math.max(0, nanos / 1e6 - DELAY_RESOLUTION_MILLIS);
    const sample: HealthSample = {
      eventLoopDelayP99Millis: delay === undefined || delay.count === 0 ? undefined : over(delay.percentile(99)),
      eventLoopDelayMaxMillis: delay === undefined || delay.count === 0 ? undefined : over(delay.max),
      cpuShare: wallMicros > 0 ? cpuMicros / wallMicros : undefined,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
    };
    delay?.reset();
    return sample;
  }

  stop(): void {
    this.delay?.disable();
  }
}
