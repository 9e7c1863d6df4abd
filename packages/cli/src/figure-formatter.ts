import type { TrafficWindowName } from '@otel-top/model';
import prettyMilliseconds from 'pretty-ms';
import { Cell, MISSING, TaskFormatter } from './task-formatter.js';

/** How the windows of the live counters read on screen. */
export const TRAFFIC_WINDOW_LABELS: Readonly<Record<TrafficWindowName, string>> = { '10s': '10 s', '1m': '1 min', '5m': '5 min' };

/** The bars of a latency distribution, lowest to highest; a bucket without requests is a dot. */
const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const NO_BAR = '·';

const BYTE_UNITS = ['K', 'M', 'G', 'T'];

/**
 * Turns the live counters' figures (rates, shares, latencies, bytes) into
 * cells, toned by the same thresholds as the task durations.
 */
export class FigureFormatter {
  constructor(readonly tasks: TaskFormatter) {}

  /** Requests per second: `0.25`, `15.0`, `2400`. */
  rate(value: number | undefined): string {
    if (value === undefined) return MISSING;
    if (value >= 100) return value.toFixed(0);
    return value.toFixed(value >= 10 ? 1 : 2);
  }

  /** A share as a percentage with one decimal: `1.2%`. */
  share(value: number | undefined): string {
    return value === undefined ? MISSING : `${(value * 100).toFixed(1)}%`;
  }

  /** A count of errors: red when there are any. */
  errors(count: number | undefined): Cell {
    if (count === undefined) return { text: MISSING };
    return count > 0 ? { text: String(count), tone: 'bad' } : { text: '0' };
  }

  /** A share of errors: red when above 0. */
  errorShare(share: number | undefined): Cell {
    const text = this.share(share);
    return share !== undefined && share > 0 ? { text, tone: 'bad' } : { text };
  }

  /**
   * A latency from the counters (a bucket's middle, within 5%): `0.42ms`,
   * `1.7ms`, `18ms`, `2.4s`; toned as durations are.
   */
  latency(millis: number | undefined): Cell {
    if (millis === undefined) return { text: MISSING };
    const text = millis < 1 ? `${millis.toFixed(2)}ms` : millis < 10 ? `${millis.toFixed(1)}ms` : this.tasks.millis(millis);
    const { thresholds } = this.tasks;
    if (millis >= thresholds.verySlowMillis) return { text, tone: 'bad' };
    if (millis >= thresholds.slowMillis) return { text, tone: 'warning' };
    return { text, tone: 'good' };
  }

  /** How long a request has been running: toned as durations, marked past the stall threshold. */
  running(millis: number | undefined): Cell {
    if (millis === undefined) return { text: MISSING };
    const text = this.tasks.millis(millis);
    const { thresholds } = this.tasks;
    if (millis >= thresholds.stalledMillis) return { text: `${text} STALLED`, tone: 'critical' };
    if (millis >= thresholds.verySlowMillis) return { text, tone: 'bad' };
    if (millis >= thresholds.slowMillis) return { text, tone: 'warning' };
    return { text, tone: 'good' };
  }

  /** Event-loop delay: yellow from 100 ms, red from 1 s (the loop is blocked and requests wait). */
  loopDelay(millis: number | undefined): Cell {
    if (millis === undefined) return { text: MISSING };
    const text = millis < 10 ? `${millis.toFixed(1)}ms` : this.tasks.millis(millis);
    if (millis >= 1_000) return { text, tone: 'bad' };
    if (millis >= 100) return { text, tone: 'warning' };
    return { text };
  }

  /** Bytes with a binary unit: `640K`, `94M`, `1.2G`. */
  bytes(value: number | undefined): string {
    if (value === undefined) return MISSING;
    let amount = value / 1024;
    let unit = 0;
    while (amount >= 1024 && unit < BYTE_UNITS.length - 1) {
      amount /= 1024;
      unit++;
    }
    return `${amount < 10 ? amount.toFixed(1) : amount.toFixed(0)}${BYTE_UNITS[unit]}`;
  }

  /** How long a process has run: `45s`, `3m 5s`, `2h 3m`, `4d 2h`. */
  uptime(millis: number | undefined): string {
    if (millis === undefined) return MISSING;
    return prettyMilliseconds(Math.max(0, millis), { secondsDecimalDigits: 0, unitCount: 2 });
  }

  /** Time since a heartbeat: `0.4s`, `12s`, `3m 5s`. */
  age(millis: number | undefined): string {
    if (millis === undefined) return MISSING;
    return millis < 10_000 ? `${(Math.max(0, millis) / 1000).toFixed(1)}s` : this.tasks.millis(millis);
  }

  /**
   * A latency distribution in one bar per coarse bucket (one per decade, as
   * zPages draws them), each as high as its share of the fullest bucket;
   * an empty bucket is a dot.
   */
  distribution(counts: readonly number[]): string {
    const most = Math.max(0, ...counts);
    return counts
      .map((count) => (count > 0 ? (BARS[Math.max(1, Math.round((count / most) * BARS.length)) - 1] ?? NO_BAR) : NO_BAR))
      .join('');
  }
}
