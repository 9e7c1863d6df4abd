import type { ProcessFigures, Task, TrafficReport, TrafficWindowName } from '@otel-top/model';

/**
 * The actions of the Top Framework's tracker REST protocol (`?action=`), and
 * otel-top's own `traffic` (the live counters, `&window=10s|1m|5m`) and
 * `processes` (the health records), which Python readers do not ask for.
 */
export type TrackerAction = 'active-tasks' | 'completed-tasks' | 'traffic' | 'processes';

export interface MemoryTaskExporterConfig {
  /** Most tasks kept as active; beyond it new ones are dropped and counted (default 10,000). */
  maxActiveTasks?: number;
  /** Most completed tasks kept, newest first. Default: env TOP_MAX_COMPLETED_TASKS, then 256. */
  maxCompletedTasks?: number;
  /** Most task names counted by name (default 256); later ones are counted under `(other)`. */
  maxCountedNames?: number;
}

export interface MemoryTaskExporterStats {
  /** Tasks active now. */
  active: number;
  /** Completed tasks held. */
  completed: number;
  /** Task starts not kept because `maxActiveTasks` were active, or because the exporter shut down. */
  dropped: number;
  /** Tasks that could not be built when read; they are skipped. */
  errors: number;
}

export interface TrackerRequestHandlerConfig {
  /**
   * The key clients must send as `?api-key=`. Default: env TOP_WEB_API_KEY.
   * At least 32 characters, e.g. from `openssl rand -hex 32`.
   */
  apiKey?: string;
  /** Largest task JSON in bytes; bigger tasks shed headers and long strings (default 16 KiB, at least 4 KiB). */
  maxTaskBytes?: number;
}

export interface HttpTaskReaderConfig {
  /** The tracker endpoint, e.g. `https://shop.example.com/tracker`. */
  url: string;
  /** Default: env TOP_WEB_API_KEY. */
  apiKey?: string;
  /** How often subscribe() polls (ms, default 1,000). */
  pollIntervalMillis?: number;
  /** Longest a request may take (ms, default 5,000). */
  timeoutMillis?: number;
  /** Extra CA certificates (PEM) to trust for https, e.g. a self-signed one. */
  ca?: string | Buffer | Array<string | Buffer>;
}

/** Where a tracker endpoint reads tasks: a MemoryTaskExporter, or any TaskReader (a RedisTaskReader, say). */
export interface TaskSource {
  getActiveTasks(): Map<string, Task> | Promise<Map<string, Task>>;
  getCompletedTasks(): Task[] | Promise<Task[]>;
  getTraffic(window: TrafficWindowName): TrafficReport | Promise<TrafficReport>;
  getProcesses(): ProcessFigures[] | Promise<ProcessFigures[]>;
}
