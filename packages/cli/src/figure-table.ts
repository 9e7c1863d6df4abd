import type { ColumnHead, ShowWhen } from './column-catalog.js';
import { Cell, MISSING } from './task-formatter.js';
import type { TaskTable } from './task-table-model.js';

/** A column of a table of figures (routes, processes), as a task column is of requests. */
export interface FigureColumn<Row> extends ColumnHead {
  readonly showWhen: ShowWhen;
  cell(row: Row): Cell;
}

export interface FigureColumnOptions {
  align?: 'left' | 'right';
  flexible?: boolean;
  minWidth?: number;
  showWhen?: ShowWhen;
}

/** A column; numbers align right unless told otherwise. */
export function figureColumn<Row>(name: string, cell: (row: Row) => Cell, options: FigureColumnOptions = {}): FigureColumn<Row> {
  return {
    name,
    cell,
    align: options.align ?? 'right',
    flexible: options.flexible ?? false,
    minWidth: options.minWidth ?? name.length,
    showWhen: options.showWhen ?? 'always',
  };
}

export interface FigureTableInput<Row> {
  columns: readonly FigureColumn<Row>[];
  rows: readonly Row[];
  /** The rows a column's showWhen is judged over; default the rows of this table. */
  shownOver?: readonly Row[];
  keyOf(row: Row): string;
  selectedKey?: string;
}

function hasValue(cell: Cell): boolean {
  return cell.text !== '' && cell.text !== MISSING;
}

/** Builds tables of figures as the same plain data as task tables: what TableRenderer (or a web page) draws. */
export class FigureTable {
  static of<Row>(input: FigureTableInput<Row>): TaskTable {
    const over = input.shownOver ?? input.rows;
    const columns = input.columns.filter((column) => column.showWhen === 'always' || over.some((row) => hasValue(column.cell(row))));
    return {
      columns: columns.map(({ name, align, flexible, minWidth }) => ({ name, align, flexible, minWidth })),
      rows: input.rows.map((row) => {
        const key = input.keyOf(row);
        return { key, cells: columns.map((column) => column.cell(row)), selected: key === input.selectedKey };
      }),
    };
  }
}
