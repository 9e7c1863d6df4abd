export { CliError, EXIT_UNREACHABLE, EXIT_USAGE } from './cli-error.js';
export { CliProgram } from './cli-program.js';
export { Column, ColumnCatalog, ColumnHead, ShowWhen, taskRoute, taskService } from './column-catalog.js';
export { FigureFormatter, TRAFFIC_WINDOW_LABELS } from './figure-formatter.js';
export { FigureColumn, figureColumn, FigureColumnOptions, FigureTable, FigureTableInput } from './figure-table.js';
export { FleetFigures, FleetSummary } from './fleet-summary.js';
export { ANY_KEY, KeyBinding, KeyHelp, KeyHint, KeyPress, KeyScope, KeyTable, LIVE_KEYS, NamedKey, TYPED_TEXT } from './key-table.js';
export { LiveApp, LiveAppOptions, LiveSource } from './live-app.js';
export { LiveCommand } from './live-command.js';
export { ACTIVE_PAGE, LiveReads, readLive } from './live-reads.js';
export {
  initialLiveState,
  keyScope,
  LiveAction,
  liveReducer,
  LiveState,
  Panel,
  ProcessesViewState,
  RequestsViewState,
  RoutesViewState,
  ScreenContext,
  VIEW_NAMES,
  ViewName,
  ViewStates,
} from './live-reducer.js';
export { LiveFrame, LiveScreen, ScreenSize } from './live-screen.js';
export { LiveTaskStore, taskKey } from './live-task-store.js';
export { LiveBody, LiveFooter, LiveInput, LiveModel, LiveStatus, LiveViewModel, SourceStatus, ViewTab } from './live-view-model.js';
export { ProcessColumns, stateCell } from './process-columns.js';
export { ProcessesCommand } from './processes-command.js';
export { ProcessesInput, ProcessesModel, ProcessesViewModel } from './processes-view-model.js';
export { ProcessLine, ProcessLineState, ProcessList, RUNNING_STATES } from './process-list.js';
export { Output, RecentCommand } from './recent-command.js';
export { DetailField, DetailSection, DetailSpan, RequestDetail } from './request-detail.js';
export { describeScope, inScope, RequestScope, routeName } from './request-scope.js';
export { RequestColumns, RequestsInput, RequestsModel, RequestsTable, RequestsViewModel } from './requests-view-model.js';
export { RouteColumns } from './route-columns.js';
export { ROUTE_SORTS, RouteLine, RouteLineWire, RouteList, RouteSort } from './route-list.js';
export { RoutesCommand } from './routes-command.js';
export { RoutesInput, RoutesModel, RoutesViewModel } from './routes-view-model.js';
export { TableRenderer, TableRequest } from './table-renderer.js';
export { TaskDetail } from './task-detail.js';
export { TaskFilter } from './task-filter.js';
export { Cell, MISSING, TaskFormatter, Tone } from './task-formatter.js';
export { SORT_MODES, SortMode, TaskSorter } from './task-sorter.js';
export { TaskRow, TaskTable, TaskTableInput, TaskTableModel } from './task-table-model.js';
export { FrameOutput, TerminalFrameWriter } from './terminal-frame-writer.js';
export { isInterrupt, KeyInputStream, ReadlineKey, readlineKeyPresses, TerminalKeyInput } from './terminal-key-input.js';
export { TerminalPalette } from './terminal-palette.js';
export { TrackerConnection } from './tracker-connection.js';
export {
  DEFAULT_REFRESH_RATE_SECONDS,
  DEFAULT_TRAFFIC_WINDOW,
  LiveOptions,
  ProcessesOptions,
  RecentMode,
  RecentOptions,
  RoutesOptions,
  Thresholds,
  TrackerOptions,
} from './types.js';
