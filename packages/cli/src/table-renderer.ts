import Table from 'cli-table3';
import type { Colors } from 'picocolors/types.js';
import stringWidth from 'string-width';
import type { ColumnHead } from './column-catalog.js';
import type { TaskTable } from './task-table-model.js';
import { TerminalPalette } from './terminal-palette.js';

export interface TableRequest {
  table: TaskTable;
  /** Widest a line may be; undefined: as wide as the values (piped output). */
  width: number | undefined;
  /** Leave room for the selection marker at the start of each line: `>` and inverted on the selected row. */
  marker?: boolean;
}

const BORDERLESS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '',
  middle: ' ',
};

/**
 * Draws a task table as a borderless terminal table (cli-table3) that fits a
 * width: the flexible columns (path, user agent...) give way first, widest
 * first, then columns at the right are left out. Values are cut with an
 * ellipsis, never wrapped.
 */
export class TableRenderer {
  private readonly palette: TerminalPalette;

  constructor(private readonly colors: Colors) {
    this.palette = new TerminalPalette(colors);
  }

  /** The header line and one line per row. */
  render(request: TableRequest): string[] {
    const { rows } = request.table;
    const markerWidth = request.marker === true ? 2 : 0;
    let columns = [...request.table.columns];
    const natural = columns.map((column, index) =>
      Math.max(stringWidth(column.name), ...rows.map((row) => stringWidth(row.cells[index]?.text ?? ''))),
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
    for (const row of rows) table.push(row.cells.slice(0, columns.length).map((cell) => this.palette.paint(cell)));
    // cli-table3 pads the last column; trailing blanks only get in the way of pipes.
    const lines = table
      .toString()
      .split('\n')
      .map((line) => line.trimEnd());
    if (markerWidth === 0) return lines;
    return lines.map((line, index) => {
      if (index === 0) return `  ${line}`;
      return rows[index - 1]?.selected === true ? this.colors.inverse(`> ${line}`) : `  ${line}`;
    });
  }

  /** Column widths that fit `width`, possibly fewer than the columns given. */
  private fit(columns: ColumnHead[], natural: number[], width: number): number[] {
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
