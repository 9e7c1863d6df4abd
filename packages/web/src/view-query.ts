import { initialLiveState, LiveState, RequestScope, ROUTE_SORTS, RouteSort, SORT_MODES, SortMode, VIEW_NAMES, ViewName } from '@otel-top/cli/view-model';
import { TRAFFIC_WINDOW_NAMES, TrafficWindowName } from '@otel-top/model';
import { QUERY } from './page-protocol.js';

/** Longest filter, route name or request key taken from an address: enough for any real one. */
const MAX_PARAMETER_LENGTH = 512;

function oneOf<T extends string>(choices: readonly T[], value: string | null): T | undefined {
  return choices.find((choice) => choice === value);
}

function text(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value.slice(0, MAX_PARAMETER_LENGTH);
}

/**
 * A page's view as its address says it (`?view=routes&filter=5xx`): the
 * terminal's LiveState, with the request whose detail is open. Anything
 * unknown in the address falls back to the terminal's defaults.
 */
export class ViewQuery {
  private constructor(
    readonly state: LiveState,
    /** The key (taskKey) of the request whose detail is open. */
    readonly detailKey: string | undefined,
    /** The same for pages that show the same: their frame is computed once. */
    readonly signature: string,
  ) {}

  static parse(query: URLSearchParams, defaultWindow: TrafficWindowName): ViewQuery {
    const initial = initialLiveState(oneOf(TRAFFIC_WINDOW_NAMES, query.get(QUERY.window)) ?? defaultWindow);
    const view: ViewName = oneOf(VIEW_NAMES, query.get(QUERY.view)) ?? initial.view;
    const sort: SortMode = oneOf(SORT_MODES, query.get(QUERY.sort)) ?? initial.views.requests.sort;
    const routeSort: RouteSort = oneOf(ROUTE_SORTS, query.get(QUERY.routeSort)) ?? initial.views.routes.sort;
    const route = text(query, QUERY.route);
    const pid = Number(query.get(QUERY.pid));
    const scope: RequestScope | undefined =
      route !== undefined
        ? { kind: 'route', name: route }
        : query.has(QUERY.pid) && Number.isSafeInteger(pid)
          ? { kind: 'process', host: text(query, QUERY.host) ?? '', pid }
          : undefined;
    const state: LiveState = {
      ...initial,
      view,
      views: {
        ...initial.views,
        requests: { ...initial.views.requests, sort, filter: text(query, QUERY.filter) ?? '', scope },
        routes: { ...initial.views.routes, sort: routeSort },
      },
    };
    const detailKey = text(query, QUERY.detail);
    const signature = JSON.stringify([view, state.window, sort, routeSort, state.views.requests.filter, scope, detailKey]);
    return new ViewQuery(state, detailKey, signature);
  }
}
