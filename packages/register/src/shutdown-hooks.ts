type ExitSignal = 'SIGTERM' | 'SIGINT';

const SIGNALS: ExitSignal[] = ['SIGTERM', 'SIGINT'];

/**
 * Flushes tracking when the process ends, without changing how it ends: on
 * SIGTERM or SIGINT the flush runs and, unless the app listens for that
 * signal itself, the signal is raised again so the process dies of it as it
 * would have; when the event loop empties (beforeExit) the flush runs and the
 * process then exits with its own exit code.
 */
export class ShutdownHooks {
  private readonly listeners = new Map<ExitSignal, () => void>();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly flush: () => Promise<void>,
    private readonly deadlineMillis = 3_000,
  ) {}

  install(): void {
    for (const signal of SIGNALS) {
      const listener = (): void => this.onSignal(signal);
      this.listeners.set(signal, listener);
      process.on(signal, listener);
    }
    process.on('beforeExit', this.onBeforeExit);
  }

  uninstall(): void {
    for (const [signal, listener] of this.listeners) process.off(signal, listener);
    this.listeners.clear();
    process.off('beforeExit', this.onBeforeExit);
  }

  private readonly onBeforeExit = (): void => {
    // Only the flush's own I/O keeps the loop alive (not the deadline): with Redis away the app ends at once.
    // Once done, beforeExit comes again and finds nothing to do.
    void this.flushOnce(false);
  };

  private onSignal(signal: ExitSignal): void {
    const appListens = process.listenerCount(signal) > 1;
    if (appListens) {
      // The app decides when and how to exit; flush in the meantime.
      void this.flushOnce(true);
      return;
    }
    const again = this.flushing !== undefined;
    const reraise = (): void => {
      this.uninstall();
      process.kill(process.pid, signal);
    };
    // A second signal while flushing (Ctrl-C twice) ends the process at once.
    if (again) reraise();
    else void this.flushOnce(true).then(reraise);
  }

  /** The flush, bounded by the deadline; never rejects. */
  private flushOnce(holdProcess: boolean): Promise<void> {
    this.flushing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.deadlineMillis);
      if (!holdProcess) timer.unref();
      this.flush()
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(timer);
          resolve();
        });
    });
    return this.flushing;
  }
}
