/**
 * Names of the tracking table in Redis (docs/wire-format.md). Unprefixed by
 * default, because the Python reader knows only these exact names.
 */
export interface TrackingTableKeys {
  /** HASH: processor tracking id -> JSON of the task active on it. */
  readonly processors: string;
  /** LIST: JSON of completed tasks, newest first. */
  readonly pastTasks: string;
  /** PUB/SUB channel: JSON of a task each time it starts, is updated or ends. */
  readonly taskUpdates: string;
  /** STRING: ISO 8601 time of the last full clear. */
  readonly lastClearedAt: string;
  /**
   * HASH of otel-top's own bookkeeping beside the table (the Python reader
   * never looks at it): exporter id -> JSON {seen, dead_after, seq, host, pid},
   * or a tombstone once its tasks were cleaned up.
   */
  readonly exporters: string;
  /** HASH: exporter id -> JSON of its process's health, rewritten with every heartbeat (ProcessRecord). */
  readonly processes: string;
  /** ZSET: exporter id by the time (Redis's, ms) it counts as dead unless it is heard from again. */
  readonly deadlines: string;
  /**
   * ZSET: processor id of every task an otel-top exporter has in `processors`, by its start (ms), so a
   * viewer reads the longest-running first without reading them all. Python writers do not keep it.
   */
  readonly activeByStart: string;
  /** STRING with an expiry: the id of the one exporter or reader that looks for dead exporters now. */
  readonly cleanerLease: string;
  /** SET: the processor ids an exporter has in `processors`, so its tasks can be cleaned up if it dies. */
  ownedTasks(exporterId: string): string;
  /**
   * PUB/SUB channel of otel-top's own: one message per exporter flush with
   * what that flush wrote (docs/wire-format.md). Subscribing to it, unlike
   * to `taskUpdates`, costs the writers nothing per request.
   */
  readonly updates: string;
  /** HASH of the live counters of one second (whole seconds since the epoch), summed over every process. */
  countsPerSecond(second: number): string;
  /** HASH of the live counters of ten seconds starting at `decade` (a multiple of 10). */
  countsPerTenSeconds(decade: number): string;
}

/**
 * The key names, with an optional prefix for sharing a database or for Redis
 * Cluster (a hash tag such as `{shop}:` keeps every key in one slot).
 */
export function trackingTableKeys(keyPrefix = ''): TrackingTableKeys {
  return {
    processors: `${keyPrefix}processors`,
    pastTasks: `${keyPrefix}past_tasks`,
    taskUpdates: `${keyPrefix}task_updates`,
    lastClearedAt: `${keyPrefix}last_cleared_at`,
    // Same prefix as the table, so a Cluster hash tag keeps them in its slot.
    exporters: `${keyPrefix}otel_top:exporters`,
    processes: `${keyPrefix}otel_top:processes`,
    deadlines: `${keyPrefix}otel_top:deadlines`,
    activeByStart: `${keyPrefix}otel_top:active_by_start`,
    cleanerLease: `${keyPrefix}otel_top:cleaner`,
    ownedTasks: (exporterId) => `${keyPrefix}otel_top:tasks:${exporterId}`,
    updates: `${keyPrefix}otel_top:updates`,
    countsPerSecond: (second) => `${keyPrefix}otel_top:counts:1s:${second}`,
    countsPerTenSeconds: (decade) => `${keyPrefix}otel_top:counts:10s:${decade}`,
  };
}

/** Environment variable with the tracker URL, shared with the Python Top Framework. */
export const TRACKER_URL_ENV = 'TOP_TRACKER_URL';
/** Environment variable with the length of the completed list, shared with the Python Top Framework. */
export const MAX_COMPLETED_TASKS_ENV = 'TOP_MAX_COMPLETED_TASKS';
export const DEFAULT_TRACKER_URL = 'redis://127.0.0.1:6379/0';
export const DEFAULT_MAX_COMPLETED_TASKS = 256;
