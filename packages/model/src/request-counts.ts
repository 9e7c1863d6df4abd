import { LatencyHistogram } from './latency-histogram';

/** Status classes counted: index 0 is "no response" (the client went away, the process died), 1-5 are 1xx-5xx. */
export const STATUS_CLASSES = 6;

/** The status class index of a response status, 0 for none. */
export function statusClass(statusCode: number | null): number {
  if (statusCode === null) return 0;
  const hundreds = Math.floor(statusCode / 100);
  return hundreds >= 1 && hundreds <= 5 ? hundreds : 0;
}

/** A failed request: a server error, or no response at all. */
export function isErrorStatus(statusCode: number | null): boolean {
  return statusCode === null || statusCode >= 500;
}

/** What the live counters keep for one task name (or one process) over one period: they add up. */
export class RequestCounts {
  count = 0;
  errors = 0;
  readonly statusClasses = new Array<number>(STATUS_CLASSES).fill(0);
  readonly latency = new LatencyHistogram();

  record(statusCode: number | null, durationMillis: number): void {
    this.count++;
    if (isErrorStatus(statusCode)) this.errors++;
    this.statusClasses[statusClass(statusCode)]++;
    this.latency.record(durationMillis);
  }

  add(other: RequestCounts): void {
    this.count += other.count;
    this.errors += other.errors;
    for (let i = 0; i < STATUS_CLASSES; i++) this.statusClasses[i] += other.statusClasses[i];
    this.latency.add(other.latency);
  }
}
