import type { ConnectionOptions } from 'node:tls';
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
  /** TLS options for a `rediss://` url, e.g. `{ ca: readFileSync('ca.crt') }` for a private CA, or a client certificate. */
  tls?: ConnectionOptions;
}

export interface RedisTaskExporterConfig extends RedisConnectionConfig {
  /** Length of `past_tasks`. Default: env TOP_MAX_COMPLETED_TASKS, then 256. */
  maxCompletedTasks?: number;
  /**
   * How often queued task events are written (ms, default 100). Starts wait
   * for `activeAfterMillis`, completed tasks under load for
   * `completedListRefreshMillis`.
   */
  flushIntervalMillis?: number;
  /**
   * Most task events held while Redis is slow or away (default 20,000). Over
   * it, the oldest completed tasks are dropped and counted. While Redis is
   * unreachable, at most `maxCompletedTasks` completed tasks are kept: older
   * ones would be trimmed from `past_tasks` anyway. Starts read from the
   * tracker's list of requests in flight (`readInFlightFrom`) are not held
   * here, so they do not count.
   */
  maxQueueSize?: number;
  /**
   * Most bytes held for tasks waiting to be written (default 16 MiB),
   * estimated from the encoded size of recent tasks. Over it, the oldest
   * completed tasks are dropped and counted.
   */
  maxQueueBytes?: number;
  /**
   * Most task events in one round trip. Default: as many as fit in about
   * 64 KiB (at most 1,000), which keeps building and sending a batch from holding the event loop.
   */
  maxBatchSize?: number;
  /** Largest task JSON in bytes; bigger tasks shed headers and long strings (default 16 KiB, at least 4 KiB). */
  maxTaskBytes?: number;
  /**
   * PUBLISH every change on `task_updates`: `true`, `false`, or `'auto'`
   * (default): only while somebody is subscribed, as Redis reports it.
   */
  publishUpdates?: boolean | 'auto';
  /**
   * While nobody subscribes and more tasks end than `past_tasks` keeps,
   * rewriting the whole list on every flush only replaces what the previous
   * flush wrote. So at most `maxCompletedTasks` completed tasks are written
   * per this many ms: a burst up to a full list at once, then the newest
   * eighth of a list every eighth of this period, older ones trimmed; their
   * removal from `processors` is not delayed. Default 1,000 (a viewer's
   * refresh); 0 writes every completed task at every flush. `forceFlush`
   * writes everything held. With 0 and a `maxCompletedTasks` of at least
   * `maxQueueSize`, every completed task is written, so each is encoded as it
   * ends and the queue holds its JSON rather than its span.
   */
  completedListRefreshMillis?: number;
  /**
   * A request is written to `processors` once it has run this long (ms,
   * default 100); one that ends sooner is written once, as completed. A
   * viewer sees every request that runs longer, which are the ones worth
   * watching, and a busy server does not write most of its requests twice.
   * 0 writes every start with the next flush. `forceFlush` writes everything.
   */
  activeAfterMillis?: number;
  /** How often dropped or failed writes are reported through the OTel diagnostic logger (ms, default 60,000). */
  reportIntervalMillis?: number;
  /**
   * How often this exporter proves it is alive in Redis, with its process's
   * health record, and looks for dead ones (ms, default 1,000).
   */
  heartbeatIntervalMillis?: number;
  /**
   * After how long without a heartbeat this exporter counts as dead, so that
   * any other exporter or reader moves its active tasks to `past_tasks` as
   * ended without a recorded result (ms, default 10,000; at least twice the
   * heartbeat interval). A dead process's tasks are cleaned within this plus
   * one heartbeat interval of a live exporter or reader.
   */
  deadAfterMillis?: number;
  /** Clean up the active tasks of dead exporters (default true). */
  cleanGhosts?: boolean;
  /**
   * A command Redis has not answered after this long fails, and the
   * connection is dropped and made again (ms, default 5,000). Only for the
   * exporter's own client (from `url`).
   */
  commandTimeoutMillis?: number;
  /**
   * How often the live counters (requests, errors and latencies per task
   * name) are added to Redis, with a flush (ms, default 1,000). Only seconds
   * that are over are written, so a reader's figures are a second or two
   * behind.
   */
  countersIntervalMillis?: number;
  /**
   * Most task names counted by name for the life of the process (default
   * 256); requests of later names are counted under `(other)`, so an app
   * without routes cannot flood Redis with paths.
   */
  maxCountedNames?: number;
  /**
   * Most active tasks written again in one flush because their open spans or
   * route changed (default 100); the others wait for the next flush.
   */
  maxRewritesPerFlush?: number;
}

export interface RedisTaskExporterStats {
  /** Task events queued to be written (not the starts still to be read from the tracker's list). */
  queued: number;
  /** Estimated bytes those events will take once encoded. */
  queuedBytes: number;
  /** Tasks written as active (HSET). */
  writtenActive: number;
  /** Active tasks written again because their open spans or route changed. */
  rewritten: number;
  /** Tasks written as completed (LPUSH). */
  writtenCompleted: number;
  /** Task events not queued: the queue was full or the exporter shut down. */
  dropped: number;
  /** Tasks whose write Redis refused or that a broken connection lost. */
  failed: number;
  /** Tasks that could not be built or encoded. */
  errors: number;
  /** Batches sent again after a connection broke before their reply arrived. */
  retried: number;
  /** Retried batches that Redis had already applied, and so did not apply twice. */
  duplicates: number;
  /** Ends not written because a cleaner had already moved the task (this process was taken for dead). */
  superseded: number;
  /** Active tasks of dead exporters this exporter moved to `past_tasks`. */
  ghostsCleaned: number;
  /**
   * Completed tasks not encoded because more of them were waiting than
   * `past_tasks` keeps: the newer ones written in the same drain would trim
   * them at once. Only while nobody subscribes to updates.
   */
  trimmed: number;
  /** Requests counted by the live counters: every request that ended, written to `past_tasks` or not. */
  counted: number;
  /** Batches that added the live counters to Redis (about one a second while requests end). */
  counterWrites: number;
}

export interface RedisTaskReaderConfig extends RedisConnectionConfig {
  /**
   * Clean up the active tasks of dead exporters while reading, so a lone
   * viewer shows no ghosts (default true). Needs write access; without it,
   * the reader only reads.
   */
  cleanGhosts?: boolean;
  /** Length of `past_tasks` kept when cleaning (default: env TOP_MAX_COMPLETED_TASKS, then 256). */
  maxCompletedTasks?: number;
  /** Records larger than this are skipped unparsed (bytes, default 1 MiB). */
  maxRecordBytes?: number;
}

export interface SkippedRecords {
  /** Records skipped by the latest getActiveTasks(). */
  active: number;
  /** Records skipped by the latest getCompletedTasks(). */
  completed: number;
  /** Update messages skipped since subscribe(). */
  updates: number;
  /** Tracking-table keys of the wrong type (e.g. a string where the hash should be) met by the latest reads. */
  keys: number;
}
