import type { HTTPTask } from '@otel-top/model';
import type { SkippedRecords } from '@otel-top/redis-exporter';
import { KeyHelp, KeyHint, LIVE_KEYS } from './key-table.js';
import { keyScope, LiveState } from './live-reducer.js';
import { DetailSection, RequestDetail } from './request-detail.js';
import { RequestColumns, RequestsModel, RequestsViewModel } from './requests-view-model.js';
import type { TaskFormatter } from './task-formatter.js';
import type { SortMode } from './task-sorter.js';
import { TrafficFigures, TrafficSummary } from './traffic-summary.js';

/** How the reading of the tracker goes. */
export interface SourceStatus {
  /** The tracker URL without its password or key. */
  trackerUrl: string;
  /** Why the latest read failed, while it fails. */
  problem: string | undefined;
  skipped: SkippedRecords;
}

export interface LiveInput {
  state: LiveState;
  active: readonly HTTPTask[];
  completed: readonly HTTPTask[];
  now: Date;
  source: SourceStatus;
  columns: RequestColumns;
  format: TaskFormatter;
  /** Most table rows there is room for; undefined: every row. */
  rowBudget: number | undefined;
}

/** The line under the header: where the data comes from and what the view does to it. */
export interface LiveStatus {
  readonly trackerUrl: string;
  readonly sort: SortMode;
  /** The applied filter; '' for none. */
  readonly filter: string;
  readonly paused: boolean;
  /** Records the latest reads skipped because they did not decode. */
  readonly skipped: number;
  readonly problem: string | undefined;
}

export type LiveBody =
  | { readonly panel: 'main'; readonly view: 'requests'; readonly requests: RequestsModel }
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
  readonly figures: TrafficFigures;
  readonly status: LiveStatus;
  readonly body: LiveBody;
  readonly footer: LiveFooter;
  /** The selectable rows on screen (none outside the main panel), for the keys that move over them. */
  readonly rowKeys: readonly string[];
  readonly rows: ReadonlyMap<string, HTTPTask>;
}

/**
 * What `otel-top live` shows, computed from the state and the tasks alone:
 * the fleet's figures, the status line, the panel (the current view, the
 * detail of a request, or the keys) and the footer's keys. The terminal draws
 * it (LiveScreen); a web page can draw the same model.
 */
export class LiveViewModel {
  static of(input: LiveInput): LiveModel {
    const { state, now } = input;
    const requestsState = state.views.requests;
    const skipped = input.source.skipped;
    const status: LiveStatus = {
      trackerUrl: input.source.trackerUrl,
      sort: requestsState.sort,
      filter: requestsState.filter.trim(),
      paused: state.paused,
      skipped: skipped.active + skipped.completed + skipped.updates + skipped.keys,
      problem: input.source.problem,
    };
    const footer: LiveFooter = { keys: LIVE_KEYS.footer(keyScope(state), state.view), filterDraft: state.filterDraft };
    const figures = TrafficSummary.of(input.active, input.completed, now);
    const base = { figures, status, footer, rowKeys: [], rows: new Map<string, HTTPTask>() };

    const { panel } = state;
    if (panel.name === 'help') return { ...base, body: { panel: 'help', title: 'Keys (any key closes this help)', keys: LIVE_KEYS.help(state.view) } };
    if (panel.name === 'detail') {
      return { ...base, body: { panel: 'detail', title: 'Request detail', sections: RequestDetail.of(panel.task, now, input.format), scroll: panel.scroll } };
    }
    const requests = RequestsViewModel.of({
      active: input.active,
      completed: input.completed,
      now,
      columns: input.columns,
      state: requestsState,
      rowBudget: input.rowBudget,
    });
    return { ...base, body: { panel: 'main', view: 'requests', requests }, rowKeys: requests.rowKeys, rows: requests.rows };
  }
}
