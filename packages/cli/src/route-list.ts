import { compareText, figuresOf, HTTPTask, RequestCounts, RouteFigures, routeFiguresToWire, RouteFiguresWire, TrafficReport } from '@otel-top/model';
import { routeName } from './request-scope.js';

/** One route (task name) of the fleet: the live counters over a window, and its requests running now. */
export interface RouteLine {
  readonly name: string;
  /** From the counters; all zero for a route that only has requests running. */
  readonly figures: RouteFigures;
  /** Active requests of this name in the tracking table now. */
  readonly active: number;
  /** How long the longest-running of them has run (ms); undefined without any. */
  readonly slowestActiveMillis: number | undefined;
}

/** The orders `s` cycles through on the Routes view; `count`, most requests first, is the default. */
export const ROUTE_SORTS = ['count', 'active', 'errors', 'p99', 'name'] as const;
export type RouteSort = (typeof ROUTE_SORTS)[number];

/** A route as `otel-top routes --json` prints it: its figures' wire form, with `active` beside the name. */
export interface RouteLineWire extends RouteFiguresWire {
  active: number;
  slowest_active_ms: number | null;
}

const byName = (a: RouteLine, b: RouteLine): number => compareText(a.name, b.name);
const byCount = (a: RouteLine, b: RouteLine): number => b.figures.count - a.figures.count || b.active - a.active || byName(a, b);

/** The routes of the fleet: every name the counters have, and every name that has requests running. */
export class RouteList {
  /** One line per name, most requests first. */
  static of(traffic: TrafficReport | undefined, active: readonly HTTPTask[], now: Date): RouteLine[] {
    const running = new Map<string, { count: number; slowest: number | undefined }>();
    for (const task of active) {
      const name = routeName(task);
      const seen = running.get(name) ?? { count: 0, slowest: undefined };
      const duration = task.getDuration(now);
      seen.count++;
      if (duration !== undefined && (seen.slowest === undefined || duration > seen.slowest)) seen.slowest = duration;
      running.set(name, seen);
    }
    const lines: RouteLine[] = [];
    const counted = new Set<string>();
    for (const figures of traffic?.routes ?? []) {
      counted.add(figures.name);
      const runs = running.get(figures.name);
      lines.push({ name: figures.name, figures, active: runs?.count ?? 0, slowestActiveMillis: runs?.slowest });
    }
    const seconds = traffic?.seconds ?? 0;
    for (const [name, runs] of running) {
      if (!counted.has(name)) lines.push({ name, figures: figuresOf(name, new RequestCounts(), seconds), active: runs.count, slowestActiveMillis: runs.slowest });
    }
    return lines.sort(byCount);
  }

  /** The lines in a sort order (a new array). */
  static sort(lines: readonly RouteLine[], sort: RouteSort): RouteLine[] {
    const sorted = [...lines];
    switch (sort) {
      case 'count':
        return sorted.sort(byCount);
      case 'active':
        return sorted.sort((a, b) => b.active - a.active || byCount(a, b));
      case 'errors':
        return sorted.sort((a, b) => b.figures.errors - a.figures.errors || byCount(a, b));
      case 'p99':
        return sorted.sort((a, b) => (b.figures.p99Millis ?? -1) - (a.figures.p99Millis ?? -1) || byCount(a, b));
      case 'name':
        return sorted.sort(byName);
    }
  }

  static toWire(line: RouteLine): RouteLineWire {
    const { name, ...figures } = routeFiguresToWire(line.figures);
    return { name, active: line.active, ...figures, slowest_active_ms: line.slowestActiveMillis ?? null };
  }
}
