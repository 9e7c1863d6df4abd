import type { HTTPTask } from '@otel-top/model';

/** Completed requests per second are counted over at most this much of the recent past. */
const RATE_WINDOW_MILLIS = 10_000;

/** What the header line says about the whole tracking table. */
export interface TrafficFigures {
  hosts: number;
  processes: number;
  active: number;
  completed: number;
  /** Completed requests per second over the last 10 s (or what the buffer covers). */
  requestsPerSecond: number;
  /** Share of completed requests that failed: 5xx, abandoned or lost (0..1); undefined without any. */
  errorShare: number | undefined;
  /** Share of completed requests answered 4xx (0..1). */
  clientErrorShare: number | undefined;
  p50: number | undefined;
  p95: number | undefined;
  p99: number | undefined;
}

/** A failed request: a server error, or no response at all. */
export function isError(task: HTTPTask): boolean {
  return task.statusCode === null ? task.endedAt !== null : task.statusCode >= 500;
}

/** Figures over the active requests and the completed buffer, as the header line shows them. */
export class TrafficSummary {
  static of(active: readonly HTTPTask[], completed: readonly HTTPTask[], now: Date): TrafficFigures {
    const hosts = new Set<string>();
    const processes = new Set<string>();
    for (const task of [...active, ...completed]) {
      hosts.add(task.hostName ?? '?');
      processes.add(`${task.hostName ?? '?'}/${task.processId ?? '?'}`);
    }

    const durations = completed
      .map((task) => task.getDuration(now))
      .filter((value): value is number => value !== undefined)
      .sort((a, b) => a - b);

    return {
      hosts: hosts.size,
      processes: processes.size,
      active: active.length,
      completed: completed.length,
      requestsPerSecond: TrafficSummary.rate(completed, now),
      errorShare: TrafficSummary.share(completed, isError),
      clientErrorShare: TrafficSummary.share(completed, (task) => task.statusCode !== null && task.statusCode >= 400 && task.statusCode < 500),
      p50: TrafficSummary.percentile(durations, 50),
      p95: TrafficSummary.percentile(durations, 95),
      p99: TrafficSummary.percentile(durations, 99),
    };
  }

  /** Nearest-rank percentile of sorted values. */
  static percentile(sorted: readonly number[], percent: number): number | undefined {
    if (sorted.length === 0) return undefined;
    const rank = Math.ceil((percent / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }

  /**
   * Requests that ended in the window, per second. When the buffer is shorter
   * than the window (a busy server fills it in less time), the window is the
   * time the buffer covers.
   */
  private static rate(completed: readonly HTTPTask[], now: Date): number {
    const ends = completed.map((task) => task.endedAt?.getTime()).filter((value): value is number => value !== undefined);
    if (ends.length === 0) return 0;
    const since = now.getTime() - RATE_WINDOW_MILLIS;
    const recent = ends.filter((end) => end >= since);
    if (recent.length === 0) return 0;
    const oldest = ends.reduce((a, b) => Math.min(a, b));
    const windowMillis = oldest > since ? Math.max(1_000, now.getTime() - oldest) : RATE_WINDOW_MILLIS;
    return (recent.length * 1_000) / windowMillis;
  }

  private static share(tasks: readonly HTTPTask[], predicate: (task: HTTPTask) => boolean): number | undefined {
    if (tasks.length === 0) return undefined;
    return tasks.filter(predicate).length / tasks.length;
  }
}
