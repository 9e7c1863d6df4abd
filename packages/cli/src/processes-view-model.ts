import type { TrafficWindowName } from '@otel-top/model';
import { FigureFormatter, TRAFFIC_WINDOW_LABELS } from './figure-formatter.js';
import { FigureTable } from './figure-table.js';
import type { ProcessesViewState } from './live-reducer.js';
import { ProcessColumns } from './process-columns.js';
import type { ProcessLine } from './process-list.js';
import type { RequestScope } from './request-scope.js';
import type { TaskTable } from './task-table-model.js';

export interface ProcessesInput {
  /** Every process, as ProcessList found them. */
  processes: readonly ProcessLine[];
  now: Date;
  state: ProcessesViewState;
  /** The window of the req/s and errors columns. */
  window: TrafficWindowName;
  format: FigureFormatter;
  /** Most rows there is room for; undefined: every row. */
  rowBudget: number | undefined;
}

/** What the Processes view shows: plain data, the same for the terminal and a web page. */
export interface ProcessesModel {
  /** `Processes, req/s and errors over the last 1 min`. */
  readonly title: string;
  readonly table: TaskTable;
  readonly total: number;
  readonly hidden: number;
  readonly emptyText: string | undefined;
  /** The processes on screen, top to bottom. */
  readonly lines: readonly ProcessLine[];
  readonly rowKeys: readonly string[];
  /** What Enter on each row narrows the Requests view to. */
  readonly scopes: ReadonlyMap<string, RequestScope>;
}

/**
 * The Processes view: one row per process writing to the tracker, from its
 * heartbeat (health, traffic, tracking's own figures, alive or not), and the
 * writers without one from their tasks.
 */
export class ProcessesViewModel {
  static of(input: ProcessesInput): ProcessesModel {
    const { processes, state } = input;
    const shown = input.rowBudget === undefined ? processes : processes.slice(0, Math.max(0, input.rowBudget));
    const columns = new ProcessColumns(input.format, input.window, input.now).columns;
    const table = FigureTable.of({ columns, rows: shown, keyOf: (line) => line.key, selectedKey: state.selectedKey });
    return {
      title: `Processes, req/s and errors over the last ${TRAFFIC_WINDOW_LABELS[input.window]}`,
      table,
      total: processes.length,
      hidden: processes.length - shown.length,
      emptyText: processes.length === 0 ? 'none' : undefined,
      lines: shown,
      rowKeys: table.rows.map((row) => row.key),
      scopes: new Map(shown.map((line) => [line.key, { kind: 'process', host: line.host, pid: line.pid }])),
    };
  }
}
