import type { Thresholds } from '@otel-top/cli/view-model';
import type { TaskReader, TrafficWindowName } from '@otel-top/model';

/** Every default of the package, in one place. */
export const WEB_DEFAULTS = {
  /** Live streams (open pages) at once; the next one is answered 503. */
  maxStreams: 32,
  /** How often the tracking table is re-read, however many pages are open (ms). */
  refreshMillis: 1_000,
  /** Most frames a page gets per second: updates between are merged. */
  framesPerSecond: 4,
  /** Most rows of a view's tables together sent to a page. */
  maxRows: 300,
  /** How far back the charts go (s). */
  historySeconds: 300,
  /** The busiest routes whose figures the charts keep. */
  historyRoutes: 50,
  /** Most active requests read per refresh: the longest-running of a larger table. */
  activePage: 2_000,
  /** After the last page closed, reading stops this much later (ms): a reload does not restart it. */
  lingerMillis: 10_000,
  /** The counters' window a page starts with. */
  window: '1m' as TrafficWindowName,
  thresholds: { slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 } satisfies Thresholds,
  /** Where the page is served: everything the handler serves is under it. */
  basePath: '/',
  /** Shortest access token accepted. */
  minTokenLength: 16,
} as const;

/** Where the page's tasks come from, and how they are shown. */
export interface WebViewHandlerConfig {
  /** Any TaskReader: a RedisTaskReader, an HttpTaskReader, or an ExporterTaskReader for one process. */
  reader: TaskReader;
  /** How the page names where the data comes from: the tracker URL without its password. */
  trackerUrl?: string;
  /** Records the reads skipped because they did not decode (a RedisTaskReader's `skipped`). */
  skipped?: () => { active: number; completed: number; updates: number; keys: number };
  /**
   * The access token. Without one the page answers only on loopback (requests
   * to another local address, or naming another host, get 403); with one,
   * every request needs it, once as `?token=` and then from its cookie.
   */
  token?: string;
  /** The path the page is served at, e.g. `/top/` beside an app's own routes. Default WEB_DEFAULTS.basePath. */
  basePath?: string;
  /** Default WEB_DEFAULTS.thresholds. */
  thresholds?: Thresholds;
  /** Default WEB_DEFAULTS.window. */
  window?: TrafficWindowName;
  /** Default WEB_DEFAULTS.maxStreams. */
  maxStreams?: number;
  /** Default WEB_DEFAULTS.refreshMillis. */
  refreshMillis?: number;
  /** Default WEB_DEFAULTS.framesPerSecond. */
  framesPerSecond?: number;
  /** Default WEB_DEFAULTS.maxRows. */
  maxRows?: number;
  /** Default WEB_DEFAULTS.historySeconds. */
  historySeconds?: number;
  /** Default WEB_DEFAULTS.lingerMillis. */
  lingerMillis?: number;
}

/** What the handler has done: for tests and for whoever watches its cost. */
export interface WebViewStats {
  /** Live streams open now. */
  streams: number;
  /** Streams refused because maxStreams were open. */
  refusedStreams: number;
  /** Reads of the tracking table since the handler was made: one per refresh, however many streams. */
  refreshes: number;
  /** Subscriptions to the writers' updates open now (0 or 1). */
  subscriptions: number;
}
