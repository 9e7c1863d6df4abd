import type { HTTPTask } from '@otel-top/model';
import type { Column, ColumnHead } from './column-catalog.js';
import { taskKey } from './live-task-store.js';
import { Cell, MISSING } from './task-formatter.js';

/** One request of a table: its key (taskKey) and its cells, column by column. */
export interface TaskRow {
  readonly key: string;
  readonly cells: readonly Cell[];
  readonly selected: boolean;
}

/** A table of requests as plain data: what a terminal or a web page draws. */
export interface TaskTable {
  readonly columns: readonly ColumnHead[];
  readonly rows: readonly TaskRow[];
}

export interface TaskTableInput {
  /** The columns wanted; those whose showWhen does not hold are left out. */
  columns: readonly Column[];
  tasks: readonly HTTPTask[];
  now: Date;
  /** The rows a column's showWhen is judged over; default the tasks of this table. */
  shownOver?: readonly HTTPTask[];
  selectedKey?: string;
}

function hasValue(cell: Cell): boolean {
  return cell.text !== '' && cell.text !== MISSING;
}

/** Builds task tables: which columns show, and every cell's text and tone. */
export class TaskTableModel {
  static of(input: TaskTableInput): TaskTable {
    const { tasks, now } = input;
    const columns = TaskTableModel.shownColumns(input.columns, input.shownOver ?? tasks, now);
    return {
      columns: columns.map(({ name, align, flexible, minWidth }) => ({ name, align, flexible, minWidth })),
      rows: tasks.map((task) => {
        const key = taskKey(task);
        return { key, cells: columns.map((column) => column.cell(task, now)), selected: key === input.selectedKey };
      }),
    };
  }

  /** The columns whose showWhen holds over these rows. */
  static shownColumns(columns: readonly Column[], rows: readonly HTTPTask[], now: Date): Column[] {
    return columns.filter((column) => column.showWhen === 'always' || rows.some((task) => hasValue(column.cell(task, now))));
  }
}
