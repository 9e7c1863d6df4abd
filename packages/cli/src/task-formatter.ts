import type { HTTPTask } from '@otel-top/model';
import prettyMilliseconds from 'pretty-ms';
import type { Thresholds } from './types.js';

/** An empty cell: the value is unknown, not zero. */
export const MISSING = '-';

/**
 * How a value reads at a glance. Each renderer decides what a tone looks like:
 * the terminal a colour (TerminalPalette), a web page a CSS class.
 */
export type Tone = 'good' | 'info' | 'warning' | 'bad' | 'critical';

/** A value as shown: plain text (never escape sequences) and, where it matters, its tone. */
export interface Cell {
  readonly text: string;
  readonly tone?: Tone;
}

/**
 * Turns the model's derived values into cells, toned by the thresholds: fast /
 * slow / very slow durations, 2xx / 3xx / 4xx / 5xx statuses.
 */
export class TaskFormatter {
  constructor(readonly thresholds: Thresholds) {}

  /** `12ms`, `1.2s`, `3m 5s`. */
  millis(value: number | undefined): string {
    if (value === undefined) return MISSING;
    return prettyMilliseconds(Math.max(0, value), { secondsDecimalDigits: 1, unitCount: 2 });
  }

  /** The duration; an active request past the stall threshold is marked. */
  duration(task: HTTPTask, now: Date): Cell {
    const value = task.getDuration(now);
    if (value === undefined) return { text: MISSING };
    const text = this.millis(value);
    const { thresholds } = this;
    if (task.endedAt === null && value >= thresholds.stalledMillis) return { text: `${text} STALLED`, tone: 'critical' };
    if (value >= thresholds.verySlowMillis) return { text, tone: 'bad' };
    if (value >= thresholds.slowMillis) return { text, tone: 'warning' };
    return { text, tone: 'good' };
  }

  ago(task: HTTPTask, now: Date): Cell {
    if (task.endedAt === null) return { text: 'running', tone: 'info' };
    return { text: this.millis(task.getAgo(now)) };
  }

  /** The status code by class; a completed request without one was abandoned or lost. */
  status(task: HTTPTask): Cell {
    const code = task.statusCode;
    if (code === null) {
      if (task.endedAt === null) return { text: MISSING };
      return { text: task.recordedSuccessfully === false ? 'lost' : 'abort', tone: 'bad' };
    }
    const text = String(code);
    if (code >= 500) return { text, tone: 'critical' };
    if (code >= 400) return { text, tone: 'warning' };
    if (code >= 300) return { text, tone: 'info' };
    return { text, tone: 'good' };
  }
}
