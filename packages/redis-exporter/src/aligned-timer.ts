/**
 * Calls back once every period, at the instants that are whole multiples of
 * the period since the epoch (each second on the second, for a period of one
 * second), rather than a period after it was started. Every exporter of a
 * fleet of clock-synchronized hosts then heartbeats in the same instant, and
 * Redis serves their heartbeats in a few wakeups of its event loop instead of
 * one wakeup each, which is most of what a heartbeat costs it. Unref'd: it
 * never keeps a process alive.
 */
export class AlignedTimer {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly periodMillis: number,
    private readonly callback: () => void,
  ) {}

  /** Milliseconds from `now` to the next multiple of `periodMillis` (a whole period when `now` is one). */
  static delay(now: number, periodMillis: number): number {
    return periodMillis - (now % periodMillis);
  }

  start(): void {
    if (this.stopped || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.start();
      this.callback();
    }, AlignedTimer.delay(Date.now(), this.periodMillis));
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
