import type { Colors } from 'picocolors/types.js';
import { FigureFormatter, TRAFFIC_WINDOW_LABELS } from './figure-formatter.js';
import type { FleetFigures } from './fleet-summary.js';
import type { KeyHint } from './key-table.js';
import type { ViewName } from './live-reducer.js';
import type { LiveFooter, LiveModel, LiveStatus } from './live-view-model.js';
import type { ProcessesModel } from './processes-view-model.js';
import type { RequestsModel, RequestsTable } from './requests-view-model.js';
import type { RoutesModel } from './routes-view-model.js';
import { TableRenderer } from './table-renderer.js';
import { TaskDetail } from './task-detail.js';
import { TaskFormatter } from './task-formatter.js';
import type { TaskTable } from './task-table-model.js';
import { TerminalPalette } from './terminal-palette.js';
import { TerminalText } from './terminal-text.js';

/** The header line and the status line. */
const TOP_LINES = 2;
/** Lines of each view's body that are not table rows: per table a title and a header line, and a blank line between two tables. */
const TABLE_CHROME_LINES: Readonly<Record<ViewName, number>> = { requests: 5, routes: 2, processes: 2 };

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
  private readonly figures: FigureFormatter;
  private readonly palette: TerminalPalette;

  constructor(
    private readonly colors: Colors,
    format: TaskFormatter,
  ) {
    this.tables = new TableRenderer(colors);
    this.detail = new TaskDetail(colors);
    this.figures = new FigureFormatter(format);
    this.palette = new TerminalPalette(colors);
  }

  /** Table rows of a view that fit a terminal this high: what LiveViewModel's rowBudget should be. */
  static rowBudget(height: number, view: ViewName): number {
    return Math.max(2, bodyHeight(height) - TABLE_CHROME_LINES[view]);
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
    } else if (panel.view === 'routes') {
      body = this.routes(panel.routes, size.width);
    } else if (panel.view === 'processes') {
      body = this.processes(panel.processes, size.width);
    } else {
      body = this.requests(panel.requests, size.width);
    }

    const lines = [this.header(model.figures), this.status(model.status), ...body.slice(0, Math.max(0, height))];
    while (lines.length < TOP_LINES + height) lines.push('');
    lines.push(this.footer(model.footer));
    frame.lines = lines.map((line) => TerminalText.truncateLine(line, size.width));
    return frame;
  }

  private requests(model: RequestsModel, width: number): string[] {
    return [...this.table(model.active, width), '', ...this.table(model.completed, width)];
  }

  private table(table: RequestsTable, width: number): string[] {
    const unread = table.unread > 0 ? `, ${table.unread} more running not read` : '';
    return this.titled(`${table.title} (${table.total}${table.hidden > 0 ? `, ${table.hidden} not shown` : ''}${unread})`, table, table.emptyText, width);
  }

  private routes(model: RoutesModel, width: number): string[] {
    const count = `${model.total}${model.hidden > 0 ? `, ${model.hidden} not shown` : ''}`;
    const title = `${this.colors.bold(`${model.title} (${count})`)}  ${this.colors.dim(model.legend)}`;
    return this.titled(title, model.table, model.emptyText, width);
  }

  private processes(model: ProcessesModel, width: number): string[] {
    return this.titled(`${model.title} (${model.total}${model.hidden > 0 ? `, ${model.hidden} not shown` : ''})`, model.table, model.emptyText, width);
  }

  /** A heading, then the table, or why it has no rows. */
  private titled(heading: string, table: TaskTable, emptyText: string | undefined, width: number): string[] {
    const title = this.colors.bold(heading);
    if (emptyText !== undefined) return [title, this.colors.dim(`  ${emptyText}`)];
    return [title, ...this.tables.render({ table, width, marker: true })];
  }

  private header(figures: FleetFigures): string {
    const { colors } = this;
    const format = this.figures;
    const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 'es'}`;
    const errors = format.errorShare(figures.errorShare);
    const latency = (value: number | undefined): string => format.latency(value).text;
    const processes = `${figures.hosts === 1 ? '1 host' : `${figures.hosts} hosts`}, ${plural(figures.processes, 'process')}`;
    return [
      colors.bold('otel-top'),
      figures.deadProcesses > 0 ? `${processes}, ${colors.red(`${figures.deadProcesses} dead`)}` : processes,
      `active ${colors.bold(String(figures.active))}`,
      `${format.rate(figures.requestsPerSecond)} req/s`,
      `errors ${this.palette.paint(errors)} (4xx ${format.share(figures.clientErrorShare)})`,
      `p50 ${latency(figures.p50)} p95 ${latency(figures.p95)} p99 ${latency(figures.p99)}`,
      `loop p99 ${this.palette.paint(format.loopDelay(figures.worstLoopDelayMillis))}`,
    ].join('  ');
  }

  private status(status: LiveStatus): string {
    const { colors } = this;
    const tabs = status.views
      .map((tab) => (tab.current ? colors.bold(colors.inverse(`[${tab.key} ${tab.title}]`)) : `${tab.key} ${tab.title}`))
      .join(' ');
    const parts = [tabs, colors.dim(`tracker ${status.trackerUrl}`), `window ${TRAFFIC_WINDOW_LABELS[status.window]}`];
    if (status.sort !== undefined) parts.push(`sort: ${status.sort}`);
    if (status.scope !== undefined) parts.push(colors.cyan(status.scope));
    if (status.filter !== '') parts.push(`filter: ${colors.cyan(status.filter)}`);
    if (status.paused) parts.push(colors.bold(colors.yellow('PAUSED')));
    if (status.skipped > 0) parts.push(colors.yellow(`warning: ${status.skipped} records did not decode and were skipped`));
    if (status.problem !== undefined) parts.push(colors.red(`tracker unreachable, retrying: ${status.problem}`));
    if (status.countersProblem !== undefined) parts.push(colors.yellow(`no live counters: ${status.countersProblem}`));
    if (status.updatesProblem !== undefined) parts.push(colors.yellow(`no live updates, read every refresh: ${status.updatesProblem}`));
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
