import type { HTTPTask } from '@otel-top/model';
import Table from 'cli-table3';
import type { Colors } from 'picocolors/types.js';
import stringWidth from 'string-width';
import type { Column } from './column-catalog.js';

export interface TableRequest {
  columns: readonly Column[];
  tasks: readonly HTTPTask[];
  now: Date;
  /** Widest a line may be; undefined: as wide as the values (piped output). */
  width: number | undefined;
  /** Row shown selected, with a `>` marker and inverted. */
  selectedIndex?: number;
  /** Leave room for the selection marker at the start of each line. */
  marker?: boolean;
}

const BORDERLESS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '',
  middle: ' ',
};

/**
 * Lays tasks out as a borderless table (cli-table3) that fits a width: the
 * flexible columns (path, user agent...) give way first, widest first, then
 * columns at the right are left out. Values are cut with an ellipsis, never
 * wrapped.
 */
export class TableRenderer {
  constructor(private readonly colors: Colors) {}

  /** The header line and one line per task. */
  render(request: TableRequest): string[] {
    const { tasks, now } = request;
    const markerWidth = request.marker === true ? 2 : 0;
    let columns = [...request.columns];
    const cells = tasks.map((task) => columns.map((column) => column.cell(task, now)));
    const natural = columns.map((column, index) =>
      Math.max(stringWidth(column.name), ...cells.map((row) => stringWidth(row[index] ?? ''))),
    );
    let widths = natural;
    if (request.width !== undefined) {
      const fitted = this.fit(columns, natural, request.width - markerWidth);
      widths = fitted;
      if (fitted.length < columns.length) columns = columns.slice(0, fitted.length);
    }
    if (columns.length === 0) return [];

    const table = new Table({
      head: columns.map((column) => this.colors.bold(column.name)),
      chars: BORDERLESS,
      style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 0 },
      colWidths: widths,
      colAligns: columns.map((column) => column.align),
      wordWrap: false,
    });
    for (const row of cells) table.push(row.slice(0, columns.length));
    // cli-table3 pads the last column; trailing blanks only get in the way of pipes.
    const lines = table
      .toString()
      .split('\n')
      .map((line) => line.trimEnd());
    if (markerWidth === 0) return lines;
    return lines.map((line, index) => {
      if (index === 0) return `  ${line}`;
      return index - 1 === request.selectedIndex ? this.colors.inverse(`> ${line}`) : `  ${line}`;
    });
  }

  /** Column widths that fit `width`, possibly fewer than the columns given. */
  private fit(columns: Column[], natural: number[], width: number): number[] {
    const widths = [...natural];
    const total = (): number => widths.reduce((sum, value) => sum + value, 0) + widths.length - 1;
    let excess = total() - width;
    while (excess > 0) {
      let widest = -1;
      for (let index = 0; index < widths.length; index++) {
        const column = columns[index];
        const current = widths[index] ?? 0;
        if (column === undefined || !column.flexible || current <= column.minWidth) continue;
        if (widest === -1 || current > (widths[widest] ?? 0)) widest = index;
      }
      if (widest === -1) break;
      const column = columns[widest];
      const current = widths[widest] ?? 0;
      const step = Math.min(excess, current - (column?.minWidth ?? current), Math.max(1, current - this.secondWidest(widths, widest)));
      widths[widest] = current - step;
      excess -= step;
    }
    while (excess > 0 && widths.length > 1) {
      widths.pop();
      excess = total() - width;
    }
    if (excess > 0 && widths.length === 1) widths[0] = Math.max(1, width);
    return widths;
  }

  /** Width of the widest column other than `except`, so shrinking stays even. */
  private secondWidest(widths: number[], except: number): number {
    let widest = 0;
    widths.forEach((value, index) => {
      if (index !== except && value > widest) widest = value;
    });
    return widest;
  }
}
