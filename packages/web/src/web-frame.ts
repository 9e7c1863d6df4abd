import {
  FigureFormatter,
  FleetFigures,
  LIVE_KEYS,
  LiveModel,
  LiveState,
  LiveViewModel,
  RequestColumns,
  RequestsTable,
  ROUTE_SORTS,
  SORT_MODES,
  SourceStatus,
  TaskFormatter,
  TaskTable,
  TRAFFIC_WINDOW_LABELS,
  VIEW_NAMES,
} from '@otel-top/cli/view-model';
import { COARSE_LATENCY_BOUNDS_MILLIS, HTTPTask, TRAFFIC_WINDOW_NAMES } from '@otel-top/model';
import type { LiveFeed } from './live-feed.js';
import type { Body, Cell, Frame, HeaderFigure, Status, Table, TitledTable } from './page-protocol.js';
import type { ViewQuery } from './view-query.js';

export interface WebFrameInput {
  query: ViewQuery;
  feed: LiveFeed;
  /** The request whose detail is open, as last found; undefined when it was never found. */
  detailTask: HTTPTask | undefined;
  now: Date;
  columns: RequestColumns;
  format: TaskFormatter;
  source: Pick<SourceStatus, 'trackerUrl' | 'skipped'>;
  maxRows: number;
}

function bound(millis: number): string {
  if (millis < 1) return `${Math.round(millis * 1_000)}µs`;
  if (millis < 1_000) return `${millis}ms`;
  return `${millis / 1_000}s`;
}

/** The coarse latency buckets the counters keep, each by its upper bound: `<10µs`, `<100µs`, ..., `<100s`, `≥100s`. */
export const LATENCY_BUCKET_LABELS: readonly string[] = [
  ...COARSE_LATENCY_BOUNDS_MILLIS.map((upper) => `<${bound(upper)}`),
  `≥${bound(COARSE_LATENCY_BOUNDS_MILLIS[COARSE_LATENCY_BOUNDS_MILLIS.length - 1] ?? 0)}`,
];

function plainTable(table: TaskTable): Table {
  return {
    columns: table.columns.map(({ name, align }) => ({ name, align })),
    rows: table.rows.map(({ key, cells }) => ({ key, cells })),
  };
}

function counted(total: number, hidden: number, unread = 0): string {
  return `${total}${hidden > 0 ? `, ${hidden} not shown` : ''}${unread > 0 ? `, ${unread} more running not read` : ''}`;
}

function requestsTable(table: RequestsTable): TitledTable {
  return { title: `${table.title} (${counted(table.total, table.hidden, table.unread)})`, table: plainTable(table), emptyText: table.emptyText };
}

/**
 * One frame of the page: LiveViewModel's model of the view the page's
 * address asks for (the very model `otel-top live` draws), made plain data
 * for JSON, with the header's figures formatted as the terminal formats them.
 */
export class WebFrame {
  static of(input: WebFrameInput): Frame {
    const { feed, now, query } = input;
    const state: LiveState =
      input.detailTask === undefined ? query.state : { ...query.state, panel: { name: 'detail', task: input.detailTask, scroll: 0 } };
    const model = LiveViewModel.of({
      state,
      active: feed.store.activeTasks(),
      activeUnread: feed.store.activeUnread,
      completed: feed.store.completedTasks(),
      traffic: feed.trafficOf(state.window),
      processes: feed.store.processes,
      now,
      source: { ...input.source, problem: feed.problem, countersProblem: feed.countersProblem },
      columns: input.columns,
      format: input.format,
      rowBudget: input.maxRows,
    });
    const figures = new FigureFormatter(input.format);
    return {
      header: WebFrame.header(model.figures, figures),
      status: WebFrame.status(model),
      body: WebFrame.body(model, query.detailKey !== undefined),
      keys: model.footer.keys,
      help: LIVE_KEYS.help(state.view),
      rowKeys: model.rowKeys,
      scopes: [...model.scopes],
      choices: { views: VIEW_NAMES, windows: TRAFFIC_WINDOW_NAMES, sorts: SORT_MODES, routeSorts: ROUTE_SORTS },
      latencyBuckets: LATENCY_BUCKET_LABELS,
      sample: feed.history.latest,
    };
  }

  /** The fleet in one line, as the terminal's header says it. */
  private static header(fleet: FleetFigures, format: FigureFormatter): HeaderFigure[] {
    const plain = (text: string): Cell => ({ text });
    const figures: HeaderFigure[] = [
      { label: fleet.hosts === 1 ? 'host' : 'hosts', cell: plain(String(fleet.hosts)) },
      { label: fleet.processes === 1 ? 'process' : 'processes', cell: plain(String(fleet.processes)) },
    ];
    if (fleet.deadProcesses > 0) figures.push({ label: 'dead', cell: { text: String(fleet.deadProcesses), tone: 'bad' } });
    figures.push(
      { label: 'active', cell: plain(String(fleet.active)) },
      { label: 'req/s', cell: plain(format.rate(fleet.requestsPerSecond)) },
      { label: 'errors', cell: format.errorShare(fleet.errorShare) },
      { label: '4xx', cell: plain(format.share(fleet.clientErrorShare)) },
      { label: 'p50', cell: format.latency(fleet.p50) },
      { label: 'p95', cell: format.latency(fleet.p95) },
      { label: 'p99', cell: format.latency(fleet.p99) },
      { label: 'loop p99', cell: format.loopDelay(fleet.worstLoopDelayMillis) },
    );
    return figures;
  }

  private static status(model: LiveModel): Status {
    const { status } = model;
    const notes: Cell[] = [];
    if (status.skipped > 0) notes.push({ text: `warning: ${status.skipped} records did not decode and were skipped`, tone: 'warning' });
    if (status.problem !== undefined) notes.push({ text: `tracker unreachable, retrying: ${status.problem}`, tone: 'bad' });
    if (status.countersProblem !== undefined) notes.push({ text: `no live counters: ${status.countersProblem}`, tone: 'warning' });
    return {
      views: status.views,
      trackerUrl: status.trackerUrl,
      window: status.window,
      windowLabel: TRAFFIC_WINDOW_LABELS[status.window],
      sort: status.sort,
      filter: status.filter,
      scope: status.scope,
      notes,
    };
  }

  private static body(model: LiveModel, detailAsked: boolean): Body {
    const { body } = model;
    if (body.panel === 'detail') return { panel: 'detail', title: body.title, sections: body.sections, gone: false };
    // The address names a request the tracker no longer holds, and this page never saw.
    if (detailAsked) return { panel: 'detail', title: 'Request detail', sections: [], gone: true };
    if (body.panel === 'help') throw new RangeError('the page shows the keys itself');
    if (body.view === 'routes') {
      const { routes } = body;
      return {
        panel: 'main',
        view: 'routes',
        table: { title: `${routes.title} (${counted(routes.total, routes.hidden)})`, table: plainTable(routes.table), emptyText: routes.emptyText },
        legend: routes.legend,
        routes: routes.lines.map((line) => ({ name: line.name, count: line.figures.count, latencyDistribution: line.figures.latencyDistribution })),
      };
    }
    if (body.view === 'processes') {
      const { processes } = body;
      return {
        panel: 'main',
        view: 'processes',
        table: { title: `${processes.title} (${counted(processes.total, processes.hidden)})`, table: plainTable(processes.table), emptyText: processes.emptyText },
      };
    }
    return { panel: 'main', view: 'requests', tables: [requestsTable(body.requests.active), requestsTable(body.requests.completed)] };
  }
}
