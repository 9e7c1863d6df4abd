export { CliError, EXIT_UNREACHABLE, EXIT_USAGE } from './cli-error.js';
export { CliProgram } from './cli-program.js';
export { Column, ColumnCatalog, ColumnHead, ShowWhen, taskRoute, taskService } from './column-catalog.js';
export { ANY_KEY, KeyBinding, KeyHelp, KeyHint, KeyPress, KeyScope, KeyTable, LIVE_KEYS, NamedKey, TYPED_TEXT } from './key-table.js';
export { inkKeyPresses, LiveApp, LiveAppProps, LiveSource } from './live-app.js';
export { LiveCommand } from './live-command.js';
export {
  initialLiveState,
  keyScope,
  LiveAction,
  liveReducer,
  LiveState,
  Panel,
  RequestsViewState,
  ScreenContext,
  ViewName,
  ViewStates,
} from './live-reducer.js';
export { LiveFrame, LiveScreen, ScreenSize } from './live-screen.js';
export { LiveTaskStore, taskKey } from './live-task-store.js';
export { LiveBody, LiveFooter, LiveInput, LiveModel, LiveStatus, LiveViewModel, SourceStatus } from './live-view-model.js';
export { Output, RecentCommand } from './recent-command.js';
export { DetailField, DetailSection, RequestDetail } from './request-detail.js';
export { RequestColumns, RequestsInput, RequestsModel, RequestsTable, RequestsViewModel } from './requests-view-model.js';
export { TableRenderer, TableRequest } from './table-renderer.js';
export { TaskDetail } from './task-detail.js';
export { TaskFilter } from './task-filter.js';
export { Cell, MISSING, TaskFormatter, Tone } from './task-formatter.js';
export { SORT_MODES, SortMode, TaskSorter } from './task-sorter.js';
export { TaskRow, TaskTable, TaskTableInput, TaskTableModel } from './task-table-model.js';
export { TerminalPalette } from './terminal-palette.js';
export { TrackerConnection } from './tracker-connection.js';
export { isError, TrafficFigures, TrafficSummary } from './traffic-summary.js';
export { LiveOptions, RecentMode, RecentOptions, Thresholds, TrackerOptions } from './types.js';
