import { HTTPTask, TRAFFIC_WINDOW_NAMES, TrafficWindowName } from '@otel-top/model';
import { KeyPress, KeyScope, LIVE_KEYS } from './key-table.js';
import type { RequestScope } from './request-scope.js';
import { ROUTE_SORTS, RouteSort } from './route-list.js';
import { SORT_MODES, SortMode, TaskSorter } from './task-sorter.js';
import { DEFAULT_TRAFFIC_WINDOW } from './types.js';

/** The views of `otel-top live`, in the order Tab goes through them and `1`, `2`, `3` choose them. */
export const VIEW_NAMES = ['requests', 'routes', 'processes'] as const;
/** Each has its own state in LiveState.views. */
export type ViewName = (typeof VIEW_NAMES)[number];

/** The Requests view: active and completed requests. */
export interface RequestsViewState {
  readonly sort: SortMode;
  /** The applied `/` filter; '' for none. */
  readonly filter: string;
  /** The route or process that Enter on the Routes or Processes view narrowed the view to. */
  readonly scope: RequestScope | undefined;
  /** taskKey of the selected row. */
  readonly selectedKey: string | undefined;
}

/** The Routes view: one row per task name. */
export interface RoutesViewState {
  readonly sort: RouteSort;
  /** Name of the selected route. */
  readonly selectedKey: string | undefined;
}

/** The Processes view: one row per process. */
export interface ProcessesViewState {
  /** ProcessLine key of the selected process. */
  readonly selectedKey: string | undefined;
}

/** Each view's own sort, filter and selection, kept while another view is shown. */
export interface ViewStates {
  readonly requests: RequestsViewState;
  readonly routes: RoutesViewState;
  readonly processes: ProcessesViewState;
}

/** What fills the screen below the header: the current view, the detail of a request, or the keys. */
export type Panel =
  | { readonly name: 'main' }
  | { readonly name: 'help' }
  | { readonly name: 'detail'; readonly task: HTTPTask; readonly scroll: number };

/** Everything the live view's keys change. Plain data: the same state draws the same screen. */
export interface LiveState {
  readonly view: ViewName;
  readonly views: ViewStates;
  /** The window of the live counters: the header's figures, the Routes and the Processes views. */
  readonly window: TrafficWindowName;
  readonly panel: Panel;
  readonly paused: boolean;
  /** The filter being typed after `/`; undefined when not typing. */
  readonly filterDraft: string | undefined;
  /** Set by `q`: the app exits. */
  readonly quit: boolean;
}

/** What is on screen when a key is pressed, as the actions that depend on it need it. */
export interface ScreenContext {
  /** Keys of the selectable rows on screen, top to bottom. */
  readonly rowKeys: readonly string[];
  /** The tasks behind rowKeys, on the Requests view. */
  readonly rows: ReadonlyMap<string, HTTPTask>;
  /** What each row of the Routes or Processes view narrows the Requests view to. */
  readonly scopes: ReadonlyMap<string, RequestScope>;
  /** Lines one page of the detail scrolls by. */
  readonly detailPage: number;
  /** Furthest the detail scrolls: its last line at the bottom of the screen. */
  readonly detailLast: number;
}

export type LiveAction =
  /** A key, resolved through LIVE_KEYS in the state it arrives in. */
  | { readonly type: 'key'; readonly press: KeyPress; readonly screen: ScreenContext }
  | { readonly type: 'quit' }
  | { readonly type: 'toggle-pause' }
  | { readonly type: 'next-view' }
  | { readonly type: 'show-view'; readonly view: ViewName }
  | { readonly type: 'next-window' }
  /** The next sort of the current view. */
  | { readonly type: 'next-sort' }
  | { readonly type: 'open-help' }
  | { readonly type: 'close-panel' }
  | { readonly type: 'edit-filter' }
  | { readonly type: 'type-filter'; readonly text: string }
  | { readonly type: 'erase-filter' }
  | { readonly type: 'apply-filter' }
  | { readonly type: 'cancel-filter' }
  /** Esc on the Requests view: no filter, no scope, no selection. */
  | { readonly type: 'clear' }
  /** Over the rows of the current view. */
  | { readonly type: 'move-selection'; readonly by: 1 | -1; readonly rowKeys: readonly string[] }
  | { readonly type: 'open-detail'; readonly rows: ReadonlyMap<string, HTTPTask> }
  /** The Requests view, narrowed to the selected route or process. */
  | { readonly type: 'open-requests'; readonly scopes: ReadonlyMap<string, RequestScope> }
  | { readonly type: 'scroll-detail'; readonly by: number; readonly last: number };

export function initialLiveState(window: TrafficWindowName = DEFAULT_TRAFFIC_WINDOW): LiveState {
  return {
    view: 'requests',
    views: {
      requests: { sort: SORT_MODES[0], filter: '', scope: undefined, selectedKey: undefined },
      routes: { sort: ROUTE_SORTS[0], selectedKey: undefined },
      processes: { selectedKey: undefined },
    },
    window,
    panel: { name: 'main' },
    paused: false,
    filterDraft: undefined,
    quit: false,
  };
}

/** Which keys apply now: typing a filter takes every key, else the panel decides. */
export function keyScope(state: LiveState): KeyScope {
  return state.filterDraft !== undefined ? 'filter' : state.panel.name;
}

function withRequests(state: LiveState, change: Partial<RequestsViewState>): LiveState {
  return { ...state, views: { ...state.views, requests: { ...state.views.requests, ...change } } };
}

function withRoutes(state: LiveState, change: Partial<RoutesViewState>): LiveState {
  return { ...state, views: { ...state.views, routes: { ...state.views.routes, ...change } } };
}

function withSelection(state: LiveState, selectedKey: string | undefined): LiveState {
  return { ...state, views: { ...state.views, [state.view]: { ...state.views[state.view], selectedKey } } };
}

function following<T>(list: readonly T[], current: T): T {
  return list[(list.indexOf(current) + 1) % list.length] ?? current;
}

function moveSelection(selected: string | undefined, by: 1 | -1, keys: readonly string[]): string | undefined {
  if (keys.length === 0) return selected;
  const current = selected === undefined ? -1 : keys.indexOf(selected);
  const next = current === -1 ? (by > 0 ? 0 : keys.length - 1) : current + by;
  return keys[Math.min(keys.length - 1, Math.max(0, next))];
}

/**
 * The live view's state machine: pure, so that it is tested without a
 * terminal, and so that keys arriving faster than frames are drawn are each
 * handled in the state the previous one left.
 */
export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case 'key': {
      const binding = LIVE_KEYS.find(keyScope(state), state.view, action.press);
      return binding === undefined ? state : liveReducer(state, binding.action(action.press, action.screen));
    }
    case 'quit':
      return { ...state, quit: true };
    case 'toggle-pause':
      return { ...state, paused: !state.paused };
    case 'next-view':
      return { ...state, view: following(VIEW_NAMES, state.view) };
    case 'show-view':
      return state.view === action.view ? state : { ...state, view: action.view };
    case 'next-window':
      return { ...state, window: following(TRAFFIC_WINDOW_NAMES, state.window) };
    case 'next-sort':
      if (state.view === 'routes') return withRoutes(state, { sort: following(ROUTE_SORTS, state.views.routes.sort) });
      if (state.view === 'requests') return withRequests(state, { sort: new TaskSorter(state.views.requests.sort).next().mode });
      return state;
    case 'open-help':
      return { ...state, panel: { name: 'help' } };
    case 'close-panel':
      return { ...state, panel: { name: 'main' } };
    case 'edit-filter':
      return { ...state, filterDraft: state.views.requests.filter };
    case 'type-filter':
      return state.filterDraft === undefined ? state : { ...state, filterDraft: state.filterDraft + action.text };
    case 'erase-filter':
      return state.filterDraft === undefined ? state : { ...state, filterDraft: state.filterDraft.slice(0, -1) };
    case 'apply-filter':
      if (state.filterDraft === undefined) return state;
      return { ...withRequests(state, { filter: state.filterDraft, selectedKey: undefined }), filterDraft: undefined };
    case 'cancel-filter':
      return { ...state, filterDraft: undefined };
    case 'clear':
      return withRequests(state, { filter: '', scope: undefined, selectedKey: undefined });
    case 'move-selection': {
      const was = state.views[state.view].selectedKey;
      const selectedKey = moveSelection(was, action.by, action.rowKeys);
      return selectedKey === was ? state : withSelection(state, selectedKey);
    }
    case 'open-detail': {
      if (state.view !== 'requests') return state;
      const key = state.views.requests.selectedKey;
      const task = key === undefined ? undefined : action.rows.get(key);
      return task === undefined ? state : { ...state, panel: { name: 'detail', task, scroll: 0 } };
    }
    case 'open-requests': {
      if (state.view === 'requests') return state;
      const key = state.views[state.view].selectedKey;
      const scope = key === undefined ? undefined : action.scopes.get(key);
      if (scope === undefined) return state;
      return { ...withRequests(state, { scope, filter: '', selectedKey: undefined }), view: 'requests' };
    }
    case 'scroll-detail': {
      const { panel } = state;
      if (panel.name !== 'detail') return state;
      const scroll = Math.min(action.last, Math.max(0, panel.scroll + action.by));
      return scroll === panel.scroll ? state : { ...state, panel: { ...panel, scroll } };
    }
  }
}
