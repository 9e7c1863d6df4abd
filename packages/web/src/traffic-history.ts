import { TRAFFIC_WINDOWS, TrafficReport, TrafficWindowName } from '@otel-top/model';
import type { History, Sample } from './page-protocol.js';

/** The window each sample of the charts is read over: short, so the lines follow what happens. */
export const SAMPLE_WINDOW: TrafficWindowName = '10s';

/**
 * What the charts draw: req/s and p95 of the fleet and of its busiest
 * routes, one sample per read of the live counters, over the last minutes.
 * The figures are the counters' own (RouteFigures), only remembered.
 */
export class TrafficHistory {
  private readonly samples: Sample[] = [];

  constructor(
    private readonly seconds: number,
    private readonly maxRoutes: number,
    /** Samples further apart than this have a gap between them (the server read nothing: no page was open). */
    private readonly gapMillis: number,
  ) {}

  /** The figures of a report over SAMPLE_WINDOW, as of `now`. */
  add(report: TrafficReport, now: number): Sample {
    const routes: Record<string, { rps: number; p95: number | null }> = {};
    // The report lists the routes most requests first.
    for (const figures of report.routes.slice(0, this.maxRoutes)) routes[figures.name] = { rps: figures.rps, p95: figures.p95Millis ?? null };
    const sample: Sample = { time: now, rps: report.total.rps, p95: report.total.p95Millis ?? null, routes };
    const last = this.latest;
    // A sample of nothing, so the lines break rather than join the two sides of the gap.
    if (last !== undefined && now - last.time > this.gapMillis) this.samples.push({ time: last.time + 1, rps: null, p95: null, routes: {} });
    this.samples.push(sample);
    const since = now - this.seconds * 1_000;
    let old = 0;
    while (old < this.samples.length && (this.samples[old]?.time ?? 0) < since) old++;
    if (old > 0) this.samples.splice(0, old);
    return sample;
  }

  get latest(): Sample | undefined {
    return this.samples[this.samples.length - 1];
  }

  history(): History {
    return { sampleWindowSeconds: TRAFFIC_WINDOWS[SAMPLE_WINDOW], samples: [...this.samples] };
  }
}
