export { countryFlag } from './country-flag';
export { HeaderPair, HTTP_TASK_WIRE_FIELDS, HTTPTask, HTTPTaskFields } from './http-task';
export { maxCompletedTasks, positiveInteger } from './settings';
export { Task, TASK_WIRE_FIELDS, TaskFields, TaskWire } from './task';
export { TaskDecodeError } from './task-decode-error';
export { encodeTask } from './task-encoding';
export { TaskExporter, TrackedTask } from './task-exporter';
export { TaskReader, TaskUpdateListener } from './task-reader';
export {
  DEFAULT_MAX_COMPLETED_TASKS,
  DEFAULT_TRACKER_URL,
  MAX_COMPLETED_TASKS_ENV,
  TRACKER_URL_ENV,
  TrackingTableKeys,
  trackingTableKeys,
} from './tracking-table-keys';
export { formatWireTime, parseWireTime } from './wire-time';
