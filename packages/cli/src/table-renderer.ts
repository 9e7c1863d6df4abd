import type { Colors } from 'picocolors/types.js';
import type { ColumnHead } from './column-catalog.js';
import type { TaskTable } from './task-table-model.js';
import { TerminalPalette } from './terminal-palette.js';
import { TerminalText } from './terminal-text.js';

export interface TableRequest {
  table: TaskTable;
  /** Widest a line may be; undefined: as wide as the values (piped output). */
  width: number | undefined;
  /** Leave room for the selection marker at the start of each line: `>` and inverted on the selected row. */
  marker?: boolean;
}

/**
 * Draws a task table as a borderless terminal table that fits a width: the
 * flexible columns (path, user agent...) give way first, widest first, then
 * columns at the right are left out. Values are cut with an ellipsis, never
 * wrapped; columns are one space apart.
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
    // Measured once, as painted: the widths decide the layout and then the padding.
    const cellWidths = rows.map((row) => columns.map((_, index) => TerminalText.width(TerminalPalette.printable(row.cells[index]?.text ?? ''))));
    const natural = columns.map((column, index) => Math.max(TerminalText.width(column.name), ...cellWidths.map((widths) => widths[index] ?? 0)));
    let widths = natural;
    if (request.width !== undefined) {
      widths = this.fit(columns, natural, request.width - markerWidth);
      if (widths.length < columns.length) columns = columns.slice(0, widths.length);
    }
    if (columns.length === 0) return [];

    const head = this.line(columns.map((column, index) => this.cell(this.colors.bold(column.name), TerminalText.width(column.name), widths[index] ?? 0, column.align)));
    const body = rows.map((row, rowIndex) =>
      this.line(
        columns.map((column, index) => {
          const width = widths[index] ?? 0;
          const cell = row.cells[index] ?? { text: '' };
          const cellWidth = cellWidths[rowIndex]?.[index] ?? 0;
          if (cellWidth <= width) return this.cell(this.palette.paint(cell), cellWidth, width, column.align);
          const cut = TerminalText.truncate(TerminalPalette.printable(cell.text), width);
          return this.cell(this.palette.paint({ ...cell, text: cut }), TerminalText.width(cut), width, column.align);
        }),
      ),
    );
    if (markerWidth === 0) return [head, ...body];
    return [`  ${head}`, ...body.map((line, index) => (rows[index]?.selected === true ? this.colors.inverse(`> ${line}`) : `  ${line}`))];
  }

  /** A value padded to its column's width, on the side its alignment says. */
  private cell(painted: string, textWidth: number, width: number, align: ColumnHead['align']): string {
    const padding = ' '.repeat(Math.max(0, width - textWidth));
    return align === 'right' ? padding + painted : painted + padding;
  }

  /** Trailing blanks only get in the way of pipes. */
  private line(cells: string[]): string {
    return cells.join(' ').trimEnd();
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
