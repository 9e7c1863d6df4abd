import cliTruncate from 'cli-truncate';
import type { Colors } from 'picocolors/types.js';
import type { KeyHint } from './key-table.js';
import type { LiveFooter, LiveModel, LiveStatus } from './live-view-model.js';
import type { RequestsModel, RequestsTable } from './requests-view-model.js';
import { TableRenderer } from './table-renderer.js';
import { TaskDetail } from './task-detail.js';
import { TaskFormatter } from './task-formatter.js';
import type { TrafficFigures } from './traffic-summary.js';

/** The header line and the status line. */
const TOP_LINES = 2;
/** Per table a title and a header line, and a blank line between the tables. */
const TABLE_CHROME_LINES = 5;

export interface ScreenSize {
  width: number;
  height: number;
}

export interface LiveFrame {
  /** Exactly as many lines as fit, none wider than the screen. */
  lines: string[];
  /** Lines one page of the detail scrolls by. */
  detailPage: number;
  /** Furthest the detail scrolls (0 outside the detail). */
  detailLast: number;
}

/** Lines available below the top lines and above the footer; one line short of the terminal, so that it never scrolls. */
function bodyHeight(height: number): number {
  return Math.max(3, height - 1) - TOP_LINES - 1;
}

/**
 * Draws one frame of `otel-top live` (a LiveModel) as lines that fit the
 * terminal: a header with the traffic figures, a status line, the panel and a
 * key line. Pure: the same model and size give the same lines.
 */
export class LiveScreen {
  private readonly tables: TableRenderer;
  private readonly detail: TaskDetail;

  constructor(
    private readonly colors: Colors,
    private readonly format: TaskFormatter,
  ) {
    this.tables = new TableRenderer(colors);
    this.detail = new TaskDetail(colors);
  }

  /** Table rows that fit a terminal this high: what LiveViewModel's rowBudget should be. */
  static rowBudget(height: number): number {
    return Math.max(2, bodyHeight(height) - TABLE_CHROME_LINES);
  }

  render(model: LiveModel, size: ScreenSize): LiveFrame {
    const height = bodyHeight(size.height);
    // The detail's title takes a line of the body.
    const frame: LiveFrame = { lines: [], detailPage: Math.max(1, height - 1), detailLast: 0 };
    let body: string[];
    const { body: panel } = model;
    if (panel.panel === 'help') {
      body = [this.colors.bold(panel.title), '', ...panel.keys.map(({ keys, text }) => `  ${this.colors.bold(keys.padEnd(10))} ${text}`)];
    } else if (panel.panel === 'detail') {
      const all = this.detail.lines(panel.sections);
      frame.detailLast = Math.max(0, all.length - frame.detailPage);
      body = [this.colors.bold(panel.title), ...all.slice(panel.scroll)];
    } else {
      body = this.requests(panel.requests, size.width);
    }

    const lines = [this.header(model.figures), this.status(model.status), ...body.slice(0, Math.max(0, height))];
    while (lines.length < TOP_LINES + height) lines.push('');
    lines.push(this.footer(model.footer));
    frame.lines = lines.map((line) => cliTruncate(line, size.width, { position: 'end' }));
    return frame;
  }

  private requests(model: RequestsModel, width: number): string[] {
    return [...this.table(model.active, width), '', ...this.table(model.completed, width)];
  }

  private table(table: RequestsTable, width: number): string[] {
    const heading = this.colors.bold(`${table.title} (${table.total}${table.hidden > 0 ? `, ${table.hidden} not shown` : ''})`);
    if (table.emptyText !== undefined) return [heading, this.colors.dim(`  ${table.emptyText}`)];
    return [heading, ...this.tables.render({ table, width, marker: true })];
  }

  private header(figures: TrafficFigures): string {
    const { colors } = this;
    const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 'es'}`;
    const percent = (share: number | undefined): string => (share === undefined ? '-' : `${(share * 100).toFixed(1)}%`);
    const millis = (value: number | undefined): string => this.format.millis(value);
    const errors = figures.errorShare !== undefined && figures.errorShare > 0 ? colors.red(percent(figures.errorShare)) : percent(figures.errorShare);
    return [
      colors.bold('otel-top'),
      `${figures.hosts === 1 ? '1 host' : `${figures.hosts} hosts`}, ${plural(figures.processes, 'process')}`,
      `active ${colors.bold(String(figures.active))}`,
      `${figures.requestsPerSecond.toFixed(1)} req/s`,
      `errors ${errors} (4xx ${percent(figures.clientErrorShare)})`,
      `p50 ${millis(figures.p50)} p95 ${millis(figures.p95)} p99 ${millis(figures.p99)}`,
    ].join('  ');
  }

  private status(status: LiveStatus): string {
    const { colors } = this;
    const parts = [colors.dim(`tracker ${status.trackerUrl}`), `sort: ${status.sort}`];
    if (status.filter !== '') parts.push(`filter: ${colors.cyan(status.filter)}`);
    if (status.paused) parts.push(colors.bold(colors.yellow('PAUSED')));
    if (status.skipped > 0) parts.push(colors.yellow(`warning: ${status.skipped} records did not decode and were skipped`));
    if (status.problem !== undefined) parts.push(colors.red(`tracker unreachable, retrying: ${status.problem}`));
    return parts.join('  ');
  }

  private footer(footer: LiveFooter): string {
    const { colors } = this;
    if (footer.filterDraft !== undefined) {
      const hints = footer.keys.map((hint: KeyHint) => `${hint.key}: ${hint.label}`).join(', ');
      return `${colors.bold('Filter:')} ${footer.filterDraft}${colors.inverse(' ')}  ${colors.dim(`(${hints})`)}`;
    }
    return footer.keys.map((hint) => `${colors.inverse(` ${hint.key} `)} ${hint.label}`).join(' ');
  }
}
