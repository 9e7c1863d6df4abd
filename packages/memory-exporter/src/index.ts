export { ApiKey, MIN_API_KEY_LENGTH, WEB_API_KEY_ENV } from './api-key';
export { HttpSkippedRecords, HttpTaskReader } from './http-task-reader';
export { MemoryTaskExporter } from './memory-task-exporter';
export { TrackerRequestHandler } from './tracker-request-handler';
export {
  HttpTaskReaderConfig,
  MemoryTaskExporterConfig,
  MemoryTaskExporterStats,
  TaskSource,
  TrackerAction,
  TrackerRequestHandlerConfig,
} from './types';
