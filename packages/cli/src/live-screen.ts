import type { HTTPTask } from '@otel-top/model';
import type { SkippedRecords } from '@otel-top/redis-exporter';
import cliTruncate from 'cli-truncate';
import type { Colors } from 'picocolors/types.js';
import type { Column } from './column-catalog.js';
import { taskKey } from './live-task-store.js';
import { TableRenderer } from './table-renderer.js';
import { TaskDetail } from './task-detail.js';
import { TaskFilter } from './task-filter.js';
import { TaskFormatter } from './task-formatter.js';
import { TaskSorter } from './task-sorter.js';
import { TrafficFigures, TrafficSummary } from './traffic-summary.js';

/** Everything one frame of the live view depends on. */
export interface LiveView {
  active: HTTPTask[];
  completed: HTTPTask[];
  now: Date;
  width: number;
  height: number;
  paused: boolean;
  sorter: TaskSorter;
  filter: TaskFilter;
  /** The filter being typed after `/`; undefined when not typing. */
  filterDraft: string | undefined;
  selectedKey: string | undefined;
  trackerUrl: string;
  /** Why the latest read of the tracker failed, while it fails. */
  problem: string | undefined;
  skipped: SkippedRecords;
  panel: 'tables' | 'detail' | 'help';
  detailTask: HTTPTask | undefined;
  detailScroll: number;
}

export interface LiveFrame {
  lines: string[];
  /** Keys of the rows on screen, top to bottom, for moving the selection. */
  rowKeys: string[];
  /** The tasks behind rowKeys. */
  rows: Map<string, HTTPTask>;
  /** Lines of the detail panel, to bound its scrolling. */
  detailLength: number;
}

const KEY_HELP: ReadonlyArray<readonly [string, string]> = [
  ['q', 'quit (Ctrl-C too)'],
  ['p', 'pause / resume updates'],
  ['s', 'cycle the sort: time, duration, status, path'],
  ['/', 'filter: words matching path, route, method, status (404, 5xx), IP, host, service; Enter applies, Esc cancels'],
  ['Esc', 'clear the filter and the selection'],
  ['Up / Down', 'select a request'],
  ['Enter', 'show every field of the selected request (Esc goes back)'],
  ['?', 'this help (any key closes it)'],
];

/**
 * Lays out one frame of `otel-top live` as lines that fit the terminal: a
 * header with the traffic figures, a status line, the active and completed
 * tables sharing the height, and a key line. Pure: the same view gives the
 * same lines.
 */
export class LiveScreen {
  private readonly tables: TableRenderer;
  private readonly detail: TaskDetail;

  constructor(
    private readonly colors: Colors,
    private readonly format: TaskFormatter,
    private readonly activeColumns: readonly Column[],
    private readonly completedColumns: readonly Column[],
    /** Hide the country column while no request has a country (the default columns). */
    private readonly hideEmptyCountry: boolean,
  ) {
    this.tables = new TableRenderer(colors);
    this.detail = new TaskDetail(format, colors);
  }

  render(view: LiveView): LiveFrame {
    // One line short of the terminal, so that the renderer never scrolls it.
    const budget = Math.max(3, view.height - 1);
    const frame: LiveFrame = { lines: [], rowKeys: [], rows: new Map(), detailLength: 0 };
    const active = view.sorter.sortActive(view.active.filter((task) => view.filter.matches(task)), view.now);
    const completed = view.sorter.sortCompleted(view.completed.filter((task) => view.filter.matches(task)), view.now);

    const top = [this.header(TrafficSummary.of(view.active, view.completed, view.now)), this.status(view)];
    const footer = this.footer(view);

    let body: string[];
    if (view.panel === 'help') {
      body = this.help();
    } else if (view.panel === 'detail' && view.detailTask !== undefined) {
      const all = this.detail.lines(view.detailTask, view.now);
      frame.detailLength = all.length;
      body = [this.colors.bold('Request detail (Esc: back, Up/Down: scroll)'), ...all.slice(view.detailScroll)];
    } else {
      body = this.bodyTables(view, active, completed, budget - top.length - 1, frame);
    }

    const lines = [...top, ...body.slice(0, Math.max(0, budget - top.length - 1))];
    while (lines.length < budget - 1) lines.push('');
    lines.push(footer);
    frame.lines = lines.map((line) => cliTruncate(line, view.width, { position: 'end' }));
    return frame;
  }

  private bodyTables(view: LiveView, active: HTTPTask[], completed: HTTPTask[], height: number, frame: LiveFrame): string[] {
    const hasCountry = [...active, ...completed].some((task) => task.getIpCountry() !== undefined);
    const columns = (chosen: readonly Column[]): Column[] =>
      this.hideEmptyCountry && !hasCountry ? chosen.filter((column) => column.name !== 'Cty') : [...chosen];

    // Title and header line per table, a blank line between them.
    const rowSpace = Math.max(2, height - 5);
    const half = Math.floor(rowSpace / 2);
    const activeRows = Math.min(active.length, Math.max(half, rowSpace - Math.max(1, completed.length)));
    const completedRows = Math.min(completed.length, Math.max(0, rowSpace - Math.max(activeRows, 1)));

    const lines: string[] = [];
    lines.push(...this.table('Active HTTP requests', columns(this.activeColumns), active, activeRows, view, frame));
    lines.push('');
    lines.push(...this.table('Completed HTTP responses', columns(this.completedColumns), completed, completedRows, view, frame));
    return lines;
  }

  private table(title: string, columns: Column[], tasks: HTTPTask[], rows: number, view: LiveView, frame: LiveFrame): string[] {
    const shown = tasks.slice(0, rows);
    const hidden = tasks.length - shown.length;
    const heading = this.colors.bold(`${title} (${tasks.length}${hidden > 0 ? `, ${hidden} not shown` : ''})`);
    if (tasks.length === 0) return [heading, this.colors.dim(view.filter.isEmpty ? '  none' : '  none match the filter')];
    const keys = shown.map(taskKey);
    keys.forEach((key, index) => {
      frame.rowKeys.push(key);
      const task = shown[index];
      if (task !== undefined) frame.rows.set(key, task);
    });
    const selectedIndex = view.selectedKey === undefined ? -1 : keys.indexOf(view.selectedKey);
    const lines = this.tables.render({
      columns,
      tasks: shown,
      now: view.now,
      width: view.width,
      selectedIndex,
      marker: true,
    });
    return [heading, ...lines];
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

  private status(view: LiveView): string {
    const { colors } = this;
    const parts = [colors.dim(`tracker ${view.trackerUrl}`), `sort: ${view.sorter.mode}`];
    if (!view.filter.isEmpty) parts.push(`filter: ${colors.cyan(view.filter.query)}`);
    if (view.paused) parts.push(colors.bold(colors.yellow('PAUSED')));
    const skipped = view.skipped.active + view.skipped.completed + view.skipped.updates + view.skipped.keys;
    if (skipped > 0) parts.push(colors.yellow(`warning: ${skipped} records did not decode and were skipped`));
    if (view.problem !== undefined) parts.push(colors.red(`tracker unreachable, retrying: ${view.problem}`));
    return parts.join('  ');
  }

  private footer(view: LiveView): string {
    const { colors } = this;
    if (view.filterDraft !== undefined) {
      return `${colors.bold('Filter:')} ${view.filterDraft}${colors.inverse(' ')}  ${colors.dim('(Enter: apply, Esc: cancel)')}`;
    }
    const key = (name: string, what: string): string => `${colors.inverse(` ${name} `)} ${what}`;
    return [key('q', 'quit'), key('p', 'pause'), key('s', 'sort'), key('/', 'filter'), key('↑↓', 'select'), key('Enter', 'detail'), key('?', 'help')].join(' ');
  }

  private help(): string[] {
    const { colors } = this;
    return [colors.bold('Keys (any key closes this help)'), '', ...KEY_HELP.map(([key, what]) => `  ${colors.bold(key.padEnd(10))} ${what}`)];
  }
}
