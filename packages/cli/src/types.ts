import type { TrafficWindowName } from '@otel-top/model';

/** Options every command takes. */
export interface TrackerOptions {
  /** `redis://...`; default env TOP_TRACKER_URL, then `redis://127.0.0.1:6379/0`. */
  trackerUrl?: string;
  /** Prefixes of the tracking tables to read as one view; default one table without a prefix. */
  keyPrefixes?: string[];
  /** How long to wait for the tracker before giving up (ms). */
  connectTimeoutMillis: number;
}

/** Where durations turn from fast to slow to very slow, and when an active request counts as stalled (ms). */
export interface Thresholds {
  slowMillis: number;
  verySlowMillis: number;
  stalledMillis: number;
}

export type RecentMode = 'all' | 'active' | 'complete';

export interface RecentOptions extends TrackerOptions, Thresholds {
  mode: RecentMode;
  /** Most active and most completed requests shown. */
  limit: number | undefined;
  /** Column names; default: the reference's. */
  columns: string[] | undefined;
  json: boolean;
}

/** The window of the live counters that `live`, `routes` and `processes` show unless told otherwise. */
export const DEFAULT_TRAFFIC_WINDOW: TrafficWindowName = '1m';
/** How often live views re-read the table by default (`--refresh-rate`). */
export const DEFAULT_REFRESH_RATE_SECONDS = 1;

export interface LiveOptions extends TrackerOptions, Thresholds {
  /** The counters' window the header, Routes and Processes start with. */
  window: TrafficWindowName;
  activeColumns: string[] | undefined;
  completedColumns: string[] | undefined;
  /** Durations tick and the table is re-read at least this often (seconds). */
  refreshRateSeconds: number;
  /** Most redraws per second. */
  maxFps: number;
}

export interface RoutesOptions extends TrackerOptions, Thresholds {
  window: TrafficWindowName;
  json: boolean;
}

export interface ProcessesOptions extends TrackerOptions, Thresholds {
  /** The window of the req/s and errors columns. */
  window: TrafficWindowName;
  json: boolean;
}

/** Where `otel-top web` listens unless told otherwise: loopback only, so nothing reaches it from the network. */
export const DEFAULT_WEB_HOST = '127.0.0.1';
export const DEFAULT_WEB_PORT = 7070;
/** The environment variable with the access token of `otel-top web` (required to listen beyond loopback). */
export const WEB_TOKEN_ENV = 'TOP_WEB_TOKEN';

export interface WebOptions extends TrackerOptions, Thresholds {
  /** The address to listen on; any but a loopback one needs a token. */
  host: string;
  /** 0: any free port. */
  port: number;
  /** The access token; undefined: env TOP_WEB_TOKEN, else none (loopback only). */
  token: string | undefined;
  /** The counters' window a page starts with. */
  window: TrafficWindowName;
  /** The tracking table is re-read this often (seconds). */
  refreshRateSeconds: number;
}

/**
 * What `otel-top web` needs of `@otel-top/web`. That package builds on this
 * one's view models, so this one loads it by name when the command runs, and
 * it checks its WebCommand against this contract.
 */
export interface WebCommandModule {
  WebCommand: new (options: WebOptions) => { run(): Promise<number> };
}
