import { diag } from '@opentelemetry/api';

/** What the exporter lost, as counted. */
export interface Losses {
  dropped: number;
  failed: number;
}

/**
 * Says what tracking lost through the OpenTelemetry diagnostic logger, at
 * most once per interval however often it is asked (a failing tracker must
 * not flood the app's logs), and once more at shutdown.
 */
export class LossReporter {
  private reported: Losses = { dropped: 0, failed: 0 };
  private lastReport = 0;
  /** The latest error Redis or the connection gave, for the next report. */
  lastError = '';

  constructor(
    private readonly intervalMillis: number,
    /** The queue's bounds, as the message states them. */
    private readonly bounds: string,
    /** Where the tasks go, without a password. */
    private readonly destination: string,
  ) {}

  report(losses: Losses, force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastReport < this.intervalMillis) return;
    const dropped = losses.dropped - this.reported.dropped;
    const failed = losses.failed - this.reported.failed;
    if (dropped === 0 && failed === 0) return;
    this.lastReport = now;
    this.reported = { ...losses };
    diag.warn(
      `otel-top: ${dropped} task events dropped (queue bounds: ${this.bounds}) and ${failed} task writes failed on ${this.destination}` +
        `${this.lastError === '' ? '' : ` (last error: ${this.lastError})`}; the app is not affected`,
    );
  }
}
