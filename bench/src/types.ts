/**
 * How a benchmark server tracks its requests.
 * - `noop`: OTel SDK + instrumentation-http (+ instrumentation-express for the Express app), a span processor
 *   that does nothing (the baseline).
 * - `tracked`: the same plus HttpTaskSpanProcessor + RedisTaskExporter and the recommended http instrumentation
 *   config. Watched or not depends on its Redis: the scenarios run the real `otel-top live` on one of them.
 * - `timed`: `tracked` with each hook, processor and exporter call timed where it runs.
 * - `python`: the baseline plus tracking done the way the Python writer does it: awaited HSET+PUBLISH before the
 *   handler, awaited HDEL+PUBLISH+LPUSH+LTRIM before the response goes out (Express only).
 */
export type ServerVariant = 'noop' | 'tracked' | 'timed' | 'python';

export const SERVER_VARIANTS: ReadonlyArray<ServerVariant> = ['noop', 'tracked', 'timed', 'python'];

/** What the server serves: node:http hello world, the same with spans inside each request, or a small Express API. */
export type BenchApp = 'hello' | 'children' | 'express';

export const BENCH_APPS: ReadonlyArray<BenchApp> = ['hello', 'children', 'express'];

export interface ServerOptions {
  variant: ServerVariant;
  app: BenchApp;
  redisUrl: string;
  /** Server processes sharing the port (node:cluster when more than one). */
  workers: number;
  /** Write a V8 CPU profile of every server process into this folder when it exits. */
  cpuProfileDir?: string;
}

/** What a server process says about itself. */
export interface ServerStats {
  heapUsed: number;
  rss: number;
  /** Writes on connections to Redis so far: the round trips the process asked for. */
  redisWrites: number;
  /** RedisTaskExporter.getStats(), for the tracked variant. */
  exporter?: Record<string, number>;
  /** Errors the span processor swallowed. */
  processorErrors?: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Run for this long... */
  durationSeconds?: number;
  /** ...or until this many requests completed (then `maxSeconds` bounds the time). */
  amount?: number;
  /** Requests per second over all connections; saturating when absent. */
  overallRate?: number;
  /** Hard stop, whatever else is set. */
  maxSeconds: number;
}

export interface LoadResult {
  /** Responses received. */
  requests: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  durationSeconds: number;
}

export type ScenarioId = 'hello' | 'overhead' | 'children' | 'redis' | 'throughput' | 'reader' | 'memory' | 'scaling' | 'fleet';

export const SCENARIO_IDS: ReadonlyArray<ScenarioId> = ['hello', 'overhead', 'children', 'redis', 'throughput', 'reader', 'memory', 'scaling', 'fleet'];

export interface BenchOptions {
  quick: boolean;
  scenarios: ReadonlyArray<ScenarioId>;
  /** Also write V8 CPU profiles of the servers and workers (bench-results/profiles). */
  profile: boolean;
  /** Where the JSON goes (bench-results at the repo root). */
  resultsDir: string;
}

/** One figure of a scenario, as printed and as written to JSON. */
export interface Figure {
  scenario: ScenarioId;
  /** Row label, e.g. `tracked` or `10k active`. */
  label: string;
  metric: string;
  value: number;
  unit: string;
  /** The samples the value is the median of, in run order. */
  samples?: number[];
}

/** A line of the budget table in docs/performance.md, with what the run measured. */
export interface BudgetCheck {
  budget: string;
  limit: string;
  measured: string;
  pass: boolean;
  /**
   * The measurement cannot tell on this host: the 95% interval holds the
   * limit, or what ran fell short of what the budget is about (a fleet that
   * did not reach the size asked for), so the budget is neither shown met nor
   * shown missed. Shown as OPEN; `pass` is false.
   */
  unresolved?: boolean;
}

export interface ScenarioResult {
  id: ScenarioId;
  title: string;
  figures: Figure[];
  budgets: BudgetCheck[];
  notes: string[];
  /** Everything measured, raw, for the JSON. */
  details: unknown;
}

/** What every scenario gets from the runner. */
export interface BenchContext {
  options: BenchOptions;
  /** Folder for CPU profiles, when profiling. */
  profileDir?: string;
  log: (line: string) => void;
}
