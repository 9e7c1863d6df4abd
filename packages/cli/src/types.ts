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
