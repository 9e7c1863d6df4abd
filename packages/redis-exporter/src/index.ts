export { createRedisClient, redactUrl, resolveTrackerUrl, trackerUrlProblem } from './redis-connection';
export { MultiPrefixReader } from './multi-prefix-reader';
export { RedisTaskExporter } from './redis-task-exporter';
export { RedisTaskReader } from './redis-task-reader';
export {
  RedisClient,
  RedisConnectionConfig,
  RedisTaskExporterConfig,
  RedisTaskExporterStats,
  RedisTaskReaderConfig,
  SkippedRecords,
} from './types';
