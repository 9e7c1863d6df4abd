import type { WindowCounts } from './counter-history';
import { RequestCounts } from './request-counts';
import { compareText } from './text-order';
import type { TrafficReport } from './task-reader';
import type { TrafficWindowName } from './traffic-window';

/** Traffic figures of one task name (or of everything) over a window, from the live counters. */
export interface RouteFigures {
  /** The task name, `METHOD route`; for the total, the empty string. */
  name: string;
  count: number;
  errors: number;
  /** errors / count; undefined without requests. */
  errorShare: number | undefined;
  /** Requests per second over the seconds the window covers. */
  rps: number;
  p50Millis: number | undefined;
  p95Millis: number | undefined;
  p99Millis: number | undefined;
  /** Requests by status class: no response, 1xx, 2xx, 3xx, 4xx, 5xx. */
  statusClasses: number[];
  /** Requests per coarse latency bucket (COARSE_LATENCY_BOUNDS_MILLIS). */
  latencyDistribution: number[];
  /** Seconds the window covers. */
  seconds: number;
}

export function figuresOf(name: string, counts: RequestCounts, seconds: number): RouteFigures {
  return {
    name,
    count: counts.count,
    errors: counts.errors,
    errorShare: counts.count === 0 ? undefined : counts.errors / counts.count,
    rps: seconds > 0 ? counts.count / seconds : 0,
    p50Millis: counts.latency.percentile(50),
    p95Millis: counts.latency.percentile(95),
    p99Millis: counts.latency.percentile(99),
    statusClasses: [...counts.statusClasses],
    latencyDistribution: counts.latency.coarse(),
    seconds,
  };
}

/** Figures per task name, most requests first. */
export function routeFigures(window: WindowCounts): RouteFigures[] {
  return [...window.names]
    .map(([name, counts]) => figuresOf(name, counts, window.seconds))
    .sort((a, b) => b.count - a.count || compareText(a.name, b.name));
}

/** Figures of every name together. */
export function totalFigures(window: WindowCounts): RouteFigures {
  const total = new RequestCounts();
  for (const counts of window.names.values()) total.add(counts);
  return figuresOf('', total, window.seconds);
}

/** The report of a window's counts: the total and every name. */
export function trafficReport(window: TrafficWindowName, counts: WindowCounts): TrafficReport {
  return { window, seconds: counts.seconds, total: totalFigures(counts), routes: routeFigures(counts) };
}

/** RouteFigures as JSON for scripts and the tracker endpoint: snake_case, times in ms, unknown as null. */
export interface RouteFiguresWire {
  name: string;
  count: number;
  errors: number;
  error_share: number | null;
  rps: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  status_classes: number[];
  latency_distribution: number[];
  seconds: number;
}

export function routeFiguresToWire(figures: RouteFigures): RouteFiguresWire {
  return {
    name: figures.name,
    count: figures.count,
    errors: figures.errors,
    error_share: figures.errorShare ?? null,
    rps: figures.rps,
    p50_ms: figures.p50Millis ?? null,
    p95_ms: figures.p95Millis ?? null,
    p99_ms: figures.p99Millis ?? null,
    status_classes: figures.statusClasses,
    latency_distribution: figures.latencyDistribution,
    seconds: figures.seconds,
  };
}

function numberOr<T>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.map((item) => numberOr(item, 0)) : [];
}

/** Reads what routeFiguresToWire wrote; a field missing or of the wrong type reads as unknown or 0. */
export function routeFiguresFromWire(value: unknown): RouteFigures {
  const wire = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return {
    name: typeof wire.name === 'string' ? wire.name : '',
    count: numberOr(wire.count, 0),
    errors: numberOr(wire.errors, 0),
    errorShare: numberOr(wire.error_share, undefined),
    rps: numberOr(wire.rps, 0),
    p50Millis: numberOr(wire.p50_ms, undefined),
    p95Millis: numberOr(wire.p95_ms, undefined),
    p99Millis: numberOr(wire.p99_ms, undefined),
    statusClasses: numbers(wire.status_classes),
    latencyDistribution: numbers(wire.latency_distribution),
    seconds: numberOr(wire.seconds, 0),
  };
}
