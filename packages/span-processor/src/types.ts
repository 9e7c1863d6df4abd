import type { TaskExporter } from '@otel-top/model';

/** Default of `maxOpenSpansPerRequest`: more than any request a person can read in a viewer. */
export const DEFAULT_MAX_OPEN_SPANS_PER_REQUEST = 32;
/** Default of `maxOpenSpans`: bounds what the processor holds when many requests wait at once. */
export const DEFAULT_MAX_OPEN_SPANS = 10_000;

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
  /**
   * Most open spans followed inside one request (default 32); 0 follows none.
   * Spans beyond it are counted in `openSpanCounts`, not followed.
   */
  maxOpenSpansPerRequest?: number;
  /** Most open spans followed inside all requests together (default 10,000); beyond it they are counted, not followed. */
  maxOpenSpans?: number;
}

/** The processor's counts of the spans it follows inside requests. */
export interface OpenSpanCounts {
  /** Followed now: started inside a tracked request, not ended, the request still running. */
  open: number;
  /** Not followed since the start because their request already had `maxOpenSpansPerRequest`. */
  overRequestCap: number;
  /** Not followed since the start because `maxOpenSpans` were followed already. */
  overTotalCap: number;
}
