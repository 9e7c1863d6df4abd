export { countryFlag } from './country-flag';
export { addCounterFields, counterIncrements } from './counter-fields';
export { CounterHistory, WindowCounts } from './counter-history';
export { HeaderPair, HTTP_TASK_WIRE_FIELDS, HTTPTask, HTTPTaskFields } from './http-task';
export {
  BUCKETS_PER_DECADE,
  COARSE_LATENCY_BOUNDS_MILLIS,
  coarseLatencyBucket,
  LATENCY_BUCKETS,
  latencyBucket,
  latencyBucketMillis,
  LatencyHistogram,
} from './latency-histogram';
export {
  DEFAULT_MAX_COUNTED_NAMES,
  LiveCounters,
  OVERFLOW_TASK_NAME,
  outcomeOfTask,
  outcomeSecond,
  SecondCounts,
  secondTotal,
  TaskOutcome,
} from './live-counters';
export { describeOpenSpan, innermostOpenSpan, OpenSpan, OpenSpanAttributeValue, openSpanDepths } from './open-span';
export { HealthSample, ProcessHealth } from './process-health';
export {
  decodeProcessRecord,
  encodeProcessRecord,
  LATE_AFTER_HEARTBEATS,
  ProcessFigures,
  processFiguresFromWire,
  processFiguresToWire,
  ProcessRecord,
  processRecordFromWire,
  processRecordToWire,
  ProcessState,
  processState,
  ProcessTraffic,
  processTraffic,
  TrackingFigures,
} from './process-record';
export { isErrorStatus, RequestCounts, STATUS_CLASSES, statusClass } from './request-counts';
export {
  figuresOf,
  RouteFigures,
  routeFigures,
  routeFiguresFromWire,
  routeFiguresToWire,
  RouteFiguresWire,
  totalFigures,
  trafficReport,
} from './route-figures';
export { maxCompletedTasks, positiveInteger } from './settings';
export { Task, TASK_WIRE_FIELDS, TaskFields, TaskWire } from './task';
export { TaskDecodeError } from './task-decode-error';
export { encodeTask } from './task-encoding';
export { InFlightTask, InFlightTasks, TaskExporter, TrackedTask } from './task-exporter';
export { ActivePage, SubscribeOptions, TaskReader, TaskUpdate, TaskUpdateListener, TrafficReport } from './task-reader';
export { compareText } from './text-order';
export {
  DEFAULT_MAX_COMPLETED_TASKS,
  DEFAULT_TRACKER_URL,
  MAX_COMPLETED_TASKS_ENV,
  TRACKER_URL_ENV,
  TrackingTableKeys,
  trackingTableKeys,
} from './tracking-table-keys';
export {
  COUNTER_LAG_SECONDS,
  lastCompleteSecond,
  ONE_SECOND_HISTORY_SECONDS,
  TEN_SECOND_HISTORY_SECONDS,
  TRAFFIC_WINDOW_NAMES,
  TRAFFIC_WINDOWS,
  TrafficWindowName,
  WindowSlots,
  windowSlots,
} from './traffic-window';
export { formatWireTime, parseWireTime } from './wire-time';
