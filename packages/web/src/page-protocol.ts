// What the server sends the page and what the page asks for: plain data, shared by the server (src/) and the
// page (src/page/), which esbuild bundles with this file. No imports: the page bundle must not pull in Node code.

/** The paths the handler serves, under the path it is mounted on (`/` or `/top/`, say): relative, so the page works wherever it is mounted. */
export const PATHS = {
  page: '',
  stream: 'stream',
  assets: 'assets/',
} as const;

/** Query parameters of the page's address and its stream: what a shared link keeps. */
export const QUERY = {
  view: 'view',
  window: 'window',
  /** The sort of the Requests view. */
  sort: 'sort',
  /** The sort of the Routes view. */
  routeSort: 'route-sort',
  filter: 'filter',
  /** The route the Requests view is narrowed to (Enter on Routes). */
  route: 'route',
  /** The process the Requests view is narrowed to (Enter on Processes): its host and pid. */
  host: 'host',
  pid: 'pid',
  /** The request whose detail is shown: its key. */
  detail: 'detail',
  /** The access token, once: the server keeps it in a cookie and redirects to the address without it. */
  token: 'token',
} as const;

/** Server-Sent Events the stream sends. */
export const EVENTS = {
  /** Once, first: the charts' history (History). */
  history: 'history',
  /** Whenever something changed (Frame). */
  frame: 'frame',
} as const;

export type Tone = 'good' | 'info' | 'warning' | 'bad' | 'critical';

/** A value as shown: text, and how it reads at a glance. */
export interface Cell {
  readonly text: string;
  readonly tone?: Tone;
}

export interface ColumnHead {
  readonly name: string;
  readonly align: 'left' | 'right';
}

export interface Row {
  readonly key: string;
  readonly cells: readonly Cell[];
}

export interface Table {
  readonly columns: readonly ColumnHead[];
  readonly rows: readonly Row[];
}

/** A table under its heading: `Active HTTP requests (12, 3 not shown)`. */
export interface TitledTable {
  readonly title: string;
  readonly table: Table;
  /** Why there are no rows, when there are none. */
  readonly emptyText: string | undefined;
}

export type Scope = { readonly kind: 'route'; readonly name: string } | { readonly kind: 'process'; readonly host: string; readonly pid: number };

/** One figure of the header: `req/s 15.0`. */
export interface HeaderFigure {
  readonly label: string;
  readonly cell: Cell;
}

export interface ViewTab {
  readonly view: string;
  readonly key: string;
  readonly title: string;
  readonly current: boolean;
}

export interface Status {
  readonly views: readonly ViewTab[];
  readonly trackerUrl: string;
  readonly window: string;
  readonly windowLabel: string;
  readonly sort: string | undefined;
  readonly filter: string;
  /** `route GET /x`: what the Requests view is narrowed to. */
  readonly scope: string | undefined;
  /** Warnings and problems, each a line. */
  readonly notes: readonly Cell[];
}

/** An open span of an active request: what it waits on, `depth` levels inside the request. */
export interface DetailSpan {
  readonly depth: number;
  readonly name: string;
  readonly kind: string;
  /** `pg SELECT orders`, `GET payments.internal /charge`. */
  readonly summary: string;
  /** How long it has been open. */
  readonly open: Cell;
  readonly attributes: ReadonlyArray<readonly [string, string]>;
}

export type DetailSection =
  | { readonly title: string; readonly kind: 'fields'; readonly fields: ReadonlyArray<{ readonly name: string; readonly value: Cell }> }
  | { readonly title: string; readonly kind: 'pairs'; readonly pairs: ReadonlyArray<readonly [string, string]> }
  | { readonly title: string; readonly kind: 'spans'; readonly spans: readonly DetailSpan[] };

/** One route's figures the Routes view charts: its latency distribution over the window. */
export interface RouteChartFigures {
  readonly name: string;
  readonly count: number;
  /** Requests per coarse latency bucket (Frame.latencyBuckets). */
  readonly latencyDistribution: readonly number[];
}

export type Body =
  | { readonly panel: 'main'; readonly view: 'requests'; readonly tables: readonly TitledTable[] }
  | { readonly panel: 'main'; readonly view: 'routes'; readonly table: TitledTable; readonly legend: string; readonly routes: readonly RouteChartFigures[] }
  | { readonly panel: 'main'; readonly view: 'processes'; readonly table: TitledTable }
  | { readonly panel: 'detail'; readonly title: string; readonly sections: readonly DetailSection[]; readonly gone: boolean };

export interface KeyHint {
  readonly key: string;
  readonly label: string;
}

export interface KeyHelp {
  readonly keys: string;
  readonly text: string;
}

/** What the page's keys and buttons cycle through, in the terminal's order. */
export interface Choices {
  readonly views: readonly string[];
  readonly windows: readonly string[];
  readonly sorts: readonly string[];
  readonly routeSorts: readonly string[];
}

/** The charts' figures of one moment: req/s and p95 of the fleet and of each busy route, over the last 10 s. */
export interface Sample {
  /** Epoch milliseconds. */
  readonly time: number;
  readonly rps: number | null;
  readonly p95: number | null;
  readonly routes: Readonly<Record<string, { readonly rps: number; readonly p95: number | null }>>;
}

/** The charts' figures over the last minutes, oldest first. */
export interface History {
  /** Seconds of the window each sample's figures are over. */
  readonly sampleWindowSeconds: number;
  readonly samples: readonly Sample[];
}

/** One frame of the page: the same model `otel-top live` draws. */
export interface Frame {
  readonly header: readonly HeaderFigure[];
  readonly status: Status;
  readonly body: Body;
  /** The keys of the current panel, as the terminal's footer names them. */
  readonly keys: readonly KeyHint[];
  /** Every key of the current view, as the terminal's help lists them. */
  readonly help: readonly KeyHelp[];
  /** Keys of the rows shown, top to bottom: what the selection moves over. */
  readonly rowKeys: readonly string[];
  /** What opening each row of the Routes or Processes view narrows the Requests view to. */
  readonly scopes: ReadonlyArray<readonly [string, Scope]>;
  readonly choices: Choices;
  /** The coarse latency buckets, lowest first: `<10µs` ... `≥100s`. */
  readonly latencyBuckets: readonly string[];
  /** The newest figures of the charts; the page appends it to the history when it is new. */
  readonly sample: Sample | undefined;
}
