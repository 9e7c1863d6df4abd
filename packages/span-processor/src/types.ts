import type { TaskExporter } from '@otel-top/model';

/** A header or query parameter name to redact: exact (case-insensitive) or a pattern. */
export type NameMatcher = string | RegExp;

export interface HttpTaskSpanProcessorConfig {
  /** Where task lifecycles go, e.g. a RedisTaskExporter. */
  exporter: TaskExporter;
  /**
   * Worker column text. Default: `<pid>:main`, or `<pid>:thread-<id>` in a
   * worker thread.
   */
  processorName?: string;
  /** Default: os.hostname(). */
  hostName?: string;
  /**
   * Redact credentials before anything leaves the process (default true).
   * Turning it off writes header and query values as they are.
   */
  redact?: boolean;
  /** Header names whose values are replaced by `[REDACTED]`. Replaces the default list. */
  redactHeaders?: ReadonlyArray<NameMatcher>;
  /** Query parameter names whose values are replaced by `[REDACTED]`. Replaces the default list. */
  redactQueryParams?: ReadonlyArray<NameMatcher>;
  /** Resource attributes that become task tags. Default: `service.*` and `deployment.*`. */
  tagResourceAttributes?: ReadonlyArray<NameMatcher>;
  /** Longest header value, in characters (default 2048). */
  maxHeaderValueLength?: number;
  /** Longest URI, in characters (default 8192). */
  maxUriLength?: number;
  /** Longest other string (path, route, names, tags), in characters (default 2048). */
  maxStringLength?: number;
  /** Most headers kept per direction, and most query parameters (default 64). */
  maxEntries?: number;
}
