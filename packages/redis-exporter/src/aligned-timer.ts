import { EXPORTER_DEFAULTS } from './exporter-options';

/**
 * Where in each second a reader that refreshes on a schedule reads: half a
 * heartbeat period away from the instant at which every exporter of a fleet
 * heartbeats and writes its counters, so that its reads do not queue in
 * Redis behind the whole fleet's writes.
 */
export const READER_OFFSET_MILLIS = EXPORTER_DEFAULTS.heartbeatIntervalMillis / 2;

/**
 * Calls back once every period, at the instants that are whole multiples of
 * the period since the epoch (each second on the second, for a period of one
 * second), plus an offset, rather than a period after it was started. Every
 * exporter of a fleet of clock-synchronized hosts then heartbeats in the
 * same instant, and Redis serves their heartbeats in a few wakeups of its
 * event loop instead of one wakeup each, which is most of what a heartbeat
 * costs it; readers use the offset to stay out of that instant. Unref'd: it
 * never keeps a process alive.
 */
export class AlignedTimer {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly periodMillis: number,
    private readonly callback: () => void,
    private readonly offsetMillis = 0,
  ) {}

  /** Milliseconds from `now` to the next instant `offsetMillis` past a multiple of `periodMillis` (a whole period when `now` is one). */
  static delay(now: number, periodMillis: number, offsetMillis = 0): number {
    const phase = (((now - offsetMillis) % periodMillis) + periodMillis) % periodMillis;
    return periodMillis - phase;
  }

  start(): void {
    if (this.stopped || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.start();
      this.callback();
    }, AlignedTimer.delay(Date.now(), this.periodMillis, this.offsetMillis));
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
