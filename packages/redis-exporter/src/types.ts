import type { Cluster, Redis } from 'ioredis';

/** A connected ioredis client: a single server (with or without Sentinel) or a Cluster. */
export type RedisClient = Redis | Cluster;

export interface RedisConnectionConfig {
  /**
   * `redis://[user:password@]host:port/db` or `rediss://` for TLS.
   * Default: env TOP_TRACKER_URL, then `redis://127.0.0.1:6379/0`.
   */
  url?: string;
  /** An ioredis client of your own (Sentinel, Cluster, custom TLS). It is not closed by shutdown(). */
  client?: RedisClient;
  /** Prefix for every key; default none, as the Python reader expects. */
  keyPrefix?: string;
}

export interface RedisTaskExporterConfig extends RedisConnectionConfig {
  /** Length of `past_tasks`. Default: env TOP_MAX_COMPLETED_TASKS, then 256. */
  maxCompletedTasks?: number;
  /** Longest a task event waits before it is written (ms, default 100). */
  flushIntervalMillis?: number;
  /** Most task events held while Redis is slow or away; beyond it new ones are dropped and counted (default 20,000). */
  maxQueueSize?: number;
  /** Most task events in one round trip (default 1,000). */
  maxBatchSize?: number;
  /** Largest task JSON in bytes; bigger tasks shed headers and long strings (default 16 KiB, at least 4 KiB). */
  maxTaskBytes?: number;
  /**
   * PUBLISH every change on `task_updates`: `true`, `false`, or `'auto'`
   * (default): only while somebody is subscribed, as Redis reports it.
   */
  publishUpdates?: boolean | 'auto';
  /** How often dropped or failed writes are reported through the OTel diagnostic logger (ms, default 60,000). */
  reportIntervalMillis?: number;
}

export interface RedisTaskExporterStats {
  /** Task events waiting to be written. */
  queued: number;
  /** Tasks written as active (HSET). */
  writtenActive: number;
  /** Tasks written as completed (LPUSH). */
  writtenCompleted: number;
  /** Task events not queued: the queue was full or the exporter shut down. */
  dropped: number;
  /** Tasks whose write Redis refused or that a broken connection lost. */
  failed: number;
  /** Tasks that could not be built or encoded. */
  errors: number;
}

export type RedisTaskReaderConfig = RedisConnectionConfig;

export interface SkippedRecords {
  /** Records skipped by the latest getActiveTasks(). */
  active: number;
  /** Records skipped by the latest getCompletedTasks(). */
  completed: number;
  /** Update messages skipped since subscribe(). */
  updates: number;
}
