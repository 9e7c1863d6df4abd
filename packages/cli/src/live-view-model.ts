import { HTTPTask, ProcessFigures, TRAFFIC_WINDOWS, TrafficReport, TrafficWindowName } from '@otel-top/model';
import type { SkippedRecords } from '@otel-top/redis-exporter';
import { FigureFormatter } from './figure-formatter.js';
import { FleetFigures, FleetSummary } from './fleet-summary.js';
import { KeyHelp, KeyHint, LIVE_KEYS } from './key-table.js';
import { keyScope, LiveState, VIEW_NAMES, ViewName } from './live-reducer.js';
import { ProcessesModel, ProcessesViewModel } from './processes-view-model.js';
import { ProcessList } from './process-list.js';
import { DetailSection, RequestDetail } from './request-detail.js';
import { describeScope, RequestScope } from './request-scope.js';
import { RequestColumns, RequestsModel, RequestsViewModel } from './requests-view-model.js';
import { RouteColumns } from './route-columns.js';
import { RoutesModel, RoutesViewModel } from './routes-view-model.js';
import type { TaskFormatter } from './task-formatter.js';

/** How the reading of the tracker goes. */
export interface SourceStatus {
  /** The tracker URL without its password or key. */
  trackerUrl: string;
  /** Why the latest read of the tasks failed, while it fails. */
  problem: string | undefined;
  /** Why the latest read of the live counters or the processes failed, while it fails (a tracker without them). */
  countersProblem: string | undefined;
  /** Why the live updates cannot be had (the tables are then only read, every refresh). */
  updatesProblem?: string;
  skipped: SkippedRecords;
}

export interface LiveInput {
  state: LiveState;
  active: readonly HTTPTask[];
  /** Active requests in the tracker left out of `active`: a large table is read a page at a time (0 if omitted). */
  activeUnread?: number;
  completed: readonly HTTPTask[];
  /** The live counters over the state's window (or the one before, until it is read); undefined while none were read. */
  traffic: TrafficReport | undefined;
  /** Every process with a heartbeat; undefined while none were read. */
  processes: readonly ProcessFigures[] | undefined;
  now: Date;
  source: SourceStatus;
  columns: RequestColumns;
  format: TaskFormatter;
  /** Most table rows there is room for; undefined: every row. */
  rowBudget: number | undefined;
}

/** A view as the status line names it. */
export interface ViewTab {
  readonly view: ViewName;
  /** The key that shows it. */
  readonly key: string;
  readonly title: string;
  readonly current: boolean;
}

/** The line under the header: the views, where the data comes from and what the view does to it. */
export interface LiveStatus {
  readonly views: readonly ViewTab[];
  readonly trackerUrl: string;
  /** The window of the live counters. */
  readonly window: TrafficWindowName;
  /** The sort of the current view; undefined where it has none. */
  readonly sort: string | undefined;
  /** The applied filter of the Requests view; '' for none (or on another view). */
  readonly filter: string;
  /** The route or process the Requests view is narrowed to: `route GET /x`. */
  readonly scope: string | undefined;
  readonly paused: boolean;
  /** Records the latest reads skipped because they did not decode. */
  readonly skipped: number;
  readonly problem: string | undefined;
  readonly countersProblem: string | undefined;
  readonly updatesProblem: string | undefined;
}

export type LiveBody =
  | { readonly panel: 'main'; readonly view: 'requests'; readonly requests: RequestsModel }
  | { readonly panel: 'main'; readonly view: 'routes'; readonly routes: RoutesModel }
  | { readonly panel: 'main'; readonly view: 'processes'; readonly processes: ProcessesModel }
  | { readonly panel: 'detail'; readonly title: string; readonly sections: readonly DetailSection[]; readonly scroll: number }
  | { readonly panel: 'help'; readonly title: string; readonly keys: readonly KeyHelp[] };

export interface LiveFooter {
  /** The keys of the current panel, or of the filter being typed. */
  readonly keys: readonly KeyHint[];
  /** The filter being typed, when it is. */
  readonly filterDraft: string | undefined;
}

/** One frame of `otel-top live` as plain data: no colours, no layout. */
export interface LiveModel {
  readonly figures: FleetFigures;
  readonly status: LiveStatus;
  readonly body: LiveBody;
  readonly footer: LiveFooter;
  /** The selectable rows on screen (none outside the main panel), for the keys that move over them. */
  readonly rowKeys: readonly string[];
  /** The tasks behind rowKeys on the Requests view. */
  readonly rows: ReadonlyMap<string, HTTPTask>;
  /** What Enter on each row of the Routes or Processes view narrows the Requests view to. */
  readonly scopes: ReadonlyMap<string, RequestScope>;
}

const VIEW_TITLES: Readonly<Record<ViewName, string>> = { requests: 'Requests', routes: 'Routes', processes: 'Processes' };

/**
 * What `otel-top live` shows, computed from the state, the tasks, the live
 * counters and the processes alone: the fleet's figures, the status line,
 * the panel (the current view, the detail of a request, or the keys) and the
 * footer's keys. The terminal draws it (LiveScreen); a web page can draw the
 * same model.
 */
export class LiveViewModel {
  static of(input: LiveInput): LiveModel {
    const { state, now } = input;
    const figureFormat = new FigureFormatter(input.format);
    // A writer without a heartbeat is listed while its tasks are recent: over the window of the counters.
    const processes = ProcessList.of(input.processes, input.active, input.completed, now, TRAFFIC_WINDOWS[state.window] * 1_000);
    const requestsState = state.views.requests;
    const skipped = input.source.skipped;
    const onRequests = state.view === 'requests';
    const status: LiveStatus = {
      views: VIEW_NAMES.map((view, index) => ({ view, key: String(index + 1), title: VIEW_TITLES[view], current: view === state.view })),
      trackerUrl: input.source.trackerUrl,
      window: state.window,
      sort: onRequests ? requestsState.sort : state.view === 'routes' ? state.views.routes.sort : undefined,
      filter: onRequests ? requestsState.filter.trim() : '',
      scope: onRequests && requestsState.scope !== undefined ? describeScope(requestsState.scope) : undefined,
      paused: state.paused,
      skipped: skipped.active + skipped.completed + skipped.updates + skipped.keys,
      problem: input.source.problem,
      countersProblem: input.source.countersProblem,
      updatesProblem: input.source.updatesProblem,
    };
    const footer: LiveFooter = { keys: LIVE_KEYS.footer(keyScope(state), state.view), filterDraft: state.filterDraft };
    const figures = FleetSummary.of(processes, input.active.length + (input.activeUnread ?? 0), input.traffic);
    const base = { figures, status, footer, rowKeys: [], rows: new Map<string, HTTPTask>(), scopes: new Map<string, RequestScope>() };

    const { panel } = state;
    if (panel.name === 'help') return { ...base, body: { panel: 'help', title: 'Keys (any key closes this help)', keys: LIVE_KEYS.help(state.view) } };
    if (panel.name === 'detail') {
      return { ...base, body: { panel: 'detail', title: 'Request detail', sections: RequestDetail.of(panel.task, now, input.format), scroll: panel.scroll } };
    }
    if (state.view === 'routes') {
      const routes = RoutesViewModel.of({
        traffic: input.traffic,
        active: input.active,
        now,
        state: state.views.routes,
        columns: new RouteColumns(figureFormat).columns,
        rowBudget: input.rowBudget,
      });
      return { ...base, body: { panel: 'main', view: 'routes', routes }, rowKeys: routes.rowKeys, scopes: routes.scopes };
    }
    if (state.view === 'processes') {
      const model = ProcessesViewModel.of({ processes, now, state: state.views.processes, window: state.window, format: figureFormat, rowBudget: input.rowBudget });
      return { ...base, body: { panel: 'main', view: 'processes', processes: model }, rowKeys: model.rowKeys, scopes: model.scopes };
    }
    const requests = RequestsViewModel.of({
      active: input.active,
      activeUnread: input.activeUnread ?? 0,
      completed: input.completed,
      now,
      columns: input.columns,
      state: requestsState,
      rowBudget: input.rowBudget,
    });
    return { ...base, body: { panel: 'main', view: 'requests', requests }, rowKeys: requests.rowKeys, rows: requests.rows };
  }
}
