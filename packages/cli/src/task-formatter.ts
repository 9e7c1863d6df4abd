import type { HTTPTask } from '@otel-top/model';
import type { Colors } from 'picocolors/types.js';
import prettyMilliseconds from 'pretty-ms';
import type { Thresholds } from './types.js';

/** An empty cell: the value is unknown, not zero. */
export const MISSING = '-';

/**
 * Turns the model's derived values into the text of a cell, coloured by the
 * thresholds: fast / slow / very slow durations, 2xx / 3xx / 4xx / 5xx statuses.
 */
export class TaskFormatter {
  constructor(
    readonly colors: Colors,
    readonly thresholds: Thresholds,
  ) {}

  /** `12ms`, `1.2s`, `3m 5s`. */
  millis(value: number | undefined): string {
    if (value === undefined) return MISSING;
    return prettyMilliseconds(Math.max(0, value), { secondsDecimalDigits: 1, unitCount: 2 });
  }

  /** The duration, coloured; an active request past the stall threshold is marked. */
  duration(task: HTTPTask, now: Date): string {
    const value = task.getDuration(now);
    if (value === undefined) return MISSING;
    const text = this.millis(value);
    const { colors, thresholds } = this;
    if (task.endedAt === null && value >= thresholds.stalledMillis) return colors.bold(colors.red(`${text} STALLED`));
    if (value >= thresholds.verySlowMillis) return colors.red(text);
    if (value >= thresholds.slowMillis) return colors.yellow(text);
    return colors.green(text);
  }

  ago(task: HTTPTask, now: Date): string {
    if (task.endedAt === null) return this.colors.cyan('running');
    return this.millis(task.getAgo(now));
  }

  /** The status code coloured by class; a completed request without one was abandoned or lost. */
  status(task: HTTPTask): string {
    const { colors } = this;
    const code = task.statusCode;
    if (code === null) {
      if (task.endedAt === null) return MISSING;
      return colors.red(task.recordedSuccessfully === false ? 'lost' : 'abort');
    }
    const text = String(code);
    if (code >= 500) return colors.bold(colors.red(text));
    if (code >= 400) return colors.yellow(text);
    if (code >= 300) return colors.cyan(text);
    return colors.green(text);
  }
}
