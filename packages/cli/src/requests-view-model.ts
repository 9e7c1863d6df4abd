import type { HTTPTask } from '@otel-top/model';
import type { Column } from './column-catalog.js';
import type { RequestsViewState } from './live-reducer.js';
import { taskKey } from './live-task-store.js';
import { inScope } from './request-scope.js';
import { TaskFilter } from './task-filter.js';
import { TaskSorter } from './task-sorter.js';
import { TaskTable, TaskTableModel } from './task-table-model.js';

/** The columns of the two tables of the Requests view. */
export interface RequestColumns {
  readonly active: readonly Column[];
  readonly completed: readonly Column[];
}

export interface RequestsInput {
  active: readonly HTTPTask[];
  /** Active requests the viewer did not read (it reads the longest-running of a large table): counted, not filtered. */
  activeUnread?: number;
  completed: readonly HTTPTask[];
  now: Date;
  columns: RequestColumns;
  state: RequestsViewState;
  /** Most rows of both tables together; undefined: every row (a page that scrolls). */
  rowBudget: number | undefined;
}

/** One of the two tables, with what its title says. */
export interface RequestsTable extends TaskTable {
  readonly title: string;
  /** Requests that match the filter; the rows are the first of them. */
  readonly total: number;
  /** Matching requests left out for want of room. */
  readonly hidden: number;
  /** Requests in the tracker not read at all: the viewer read the longest-running of a large table. */
  readonly unread: number;
  /** Why there are no rows, when there are none: nothing there, or nothing matching the filter. */
  readonly emptyText: string | undefined;
}

/** What the Requests view shows: plain data, the same for the terminal and a web page. */
export interface RequestsModel {
  readonly active: RequestsTable;
  readonly completed: RequestsTable;
  /** Keys of the rows shown, active then completed, top to bottom: what the selection moves over. */
  readonly rowKeys: readonly string[];
  readonly rows: ReadonlyMap<string, HTTPTask>;
}

/**
 * The Requests view: the active requests (longest running first) and the
 * completed ones (newest first), narrowed to a route or a process when Enter
 * on those views asked for it, filtered, sorted, and cut to the rows there
 * is room for. Which columns show is judged over every request that matches
 * the filter, in both tables, so that the tables do not change shape as rows
 * come and go at the bottom.
 */
export class RequestsViewModel {
  static of(input: RequestsInput): RequestsModel {
    const { now, state } = input;
    const filter = new TaskFilter(state.filter);
    const matches = (task: HTTPTask): boolean => inScope(task, state.scope) && filter.matches(task);
    const sorter = new TaskSorter(state.sort);
    const active = sorter.sortActive(input.active.filter(matches), now);
    const completed = sorter.sortCompleted(input.completed.filter(matches), now);
    const [activeRows, completedRows] = RequestsViewModel.split(active.length, completed.length, input.rowBudget);
    const matching = [...active, ...completed];
    const emptyText = filter.isEmpty && state.scope === undefined ? 'none' : 'none match the filter';

    const table = (title: string, columns: readonly Column[], tasks: HTTPTask[], rows: number, unread: number): RequestsTable => {
      const shown = tasks.slice(0, rows);
      return {
        title,
        total: tasks.length,
        hidden: tasks.length - shown.length,
        unread,
        emptyText: tasks.length === 0 ? emptyText : undefined,
        ...TaskTableModel.of({ columns, tasks: shown, now, shownOver: matching, selectedKey: state.selectedKey }),
      };
    };
    const activeTable = table('Active HTTP requests', input.columns.active, active, activeRows, input.activeUnread ?? 0);
    const completedTable = table('Completed HTTP responses', input.columns.completed, completed, completedRows, 0);
    const shownTasks = [...active.slice(0, activeRows), ...completed.slice(0, completedRows)];
    return {
      active: activeTable,
      completed: completedTable,
      rowKeys: [...activeTable.rows, ...completedTable.rows].map((row) => row.key),
      rows: new Map(shownTasks.map((task) => [taskKey(task), task])),
    };
  }

  /**
   * Rows of each table out of the budget: the active table gets at least half
   * (more when the completed need less), the completed table the rest, less
   * the line an empty active table needs to say so.
   */
  static split(active: number, completed: number, budget: number | undefined): [number, number] {
    if (budget === undefined) return [active, completed];
    const half = Math.floor(budget / 2);
    const activeRows = Math.min(active, Math.max(half, budget - Math.max(1, completed)));
    const completedRows = Math.min(completed, Math.max(0, budget - Math.max(activeRows, 1)));
    return [activeRows, completedRows];
  }
}
