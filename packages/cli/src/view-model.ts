// `@otel-top/cli/view-model`: what `otel-top live` shows, as plain data, without the terminal. The pure modules
// only (no terminal input or output), so that a web page's server computes the very same models; and the
// tracker connection and errors of the commands, for a command built on them in another package.
export { CliError, EXIT_UNREACHABLE, EXIT_USAGE } from './cli-error.js';
export { Column, ColumnCatalog, ColumnHead, ShowWhen, taskRoute, taskService } from './column-catalog.js';
export { FigureFormatter, TRAFFIC_WINDOW_LABELS } from './figure-formatter.js';
export { FigureColumn, FigureTable } from './figure-table.js';
export { FleetFigures, FleetSummary } from './fleet-summary.js';
export { KeyHelp, KeyHint, LIVE_KEYS } from './key-table.js';
export { initialLiveState, keyScope, LiveState, Panel, VIEW_NAMES, ViewName } from './live-reducer.js';
export { LiveTaskStore, taskKey } from './live-task-store.js';
export { LiveBody, LiveInput, LiveModel, LiveStatus, LiveViewModel, SourceStatus, ViewTab } from './live-view-model.js';
export { ProcessesModel } from './processes-view-model.js';
export { ProcessLine } from './process-list.js';
export { DetailField, DetailSection } from './request-detail.js';
export { RequestScope } from './request-scope.js';
export { RequestColumns, RequestsModel, RequestsTable } from './requests-view-model.js';
export { ROUTE_SORTS, RouteLine, RouteSort } from './route-list.js';
export { RoutesModel } from './routes-view-model.js';
export { Cell, MISSING, TaskFormatter, Tone } from './task-formatter.js';
export { SORT_MODES, SortMode } from './task-sorter.js';
export { TaskRow, TaskTable } from './task-table-model.js';
export { TrackerConnection } from './tracker-connection.js';
export { DEFAULT_TRAFFIC_WINDOW, DEFAULT_WEB_HOST, DEFAULT_WEB_PORT, Thresholds, TrackerOptions, WEB_TOKEN_ENV, WebCommandModule, WebOptions } from './types.js';
