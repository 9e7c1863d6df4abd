import type { HTTPTask, TrafficReport, TrafficWindowName } from '@otel-top/model';
import { TRAFFIC_WINDOW_LABELS } from './figure-formatter.js';
import { FigureColumn, FigureTable } from './figure-table.js';
import type { RoutesViewState } from './live-reducer.js';
import type { RequestScope } from './request-scope.js';
import { RouteLine, RouteList } from './route-list.js';
import type { TaskTable } from './task-table-model.js';

export interface RoutesInput {
  /** The live counters; undefined while none were read. */
  traffic: TrafficReport | undefined;
  /** The active requests, for each route's active count and slowest. */
  active: readonly HTTPTask[];
  now: Date;
  state: RoutesViewState;
  columns: readonly FigureColumn<RouteLine>[];
  /** Most rows there is room for; undefined: every row. */
  rowBudget: number | undefined;
}

/** What the Routes view shows: plain data, the same for the terminal and a web page. */
export interface RoutesModel {
  /** `Routes over the last 1 min`: the window of the counters shown. */
  readonly title: string;
  /** The window the counters shown cover; undefined while none were read. */
  readonly window: TrafficWindowName | undefined;
  /** How to read the latency distribution. */
  readonly legend: string;
  readonly table: TaskTable;
  /** Routes in all; the rows are the first of them. */
  readonly total: number;
  /** Routes left out for want of room. */
  readonly hidden: number;
  /** Why there are no rows, when there are none. */
  readonly emptyText: string | undefined;
  /** The routes on screen, with every figure, top to bottom. */
  readonly lines: readonly RouteLine[];
  readonly rowKeys: readonly string[];
  /** What Enter on each row narrows the Requests view to. */
  readonly scopes: ReadonlyMap<string, RequestScope>;
}

/**
 * The Routes view: one row per task name across every process and host,
 * from the live counters over the window, with the requests running now,
 * in the order `s` chose.
 */
export class RoutesViewModel {
  static of(input: RoutesInput): RoutesModel {
    const { traffic, state } = input;
    const lines = RouteList.sort(RouteList.of(traffic, input.active, input.now), state.sort);
    const shown = input.rowBudget === undefined ? lines : lines.slice(0, Math.max(0, input.rowBudget));
    const table = FigureTable.of({ columns: input.columns, rows: shown, keyOf: (line) => line.name, selectedKey: state.selectedKey });
    return {
      title: traffic === undefined ? 'Routes' : `Routes over the last ${TRAFFIC_WINDOW_LABELS[traffic.window]}`,
      window: traffic?.window,
      legend: 'latency: a bar per decade, <10µs to ≥100s',
      table,
      total: lines.length,
      hidden: lines.length - shown.length,
      emptyText: lines.length > 0 ? undefined : traffic === undefined ? 'no live counters read yet' : 'none',
      lines: shown,
      rowKeys: table.rows.map((row) => row.key),
      scopes: new Map(shown.map((line) => [line.name, { kind: 'route', name: line.name }])),
    };
  }
}
