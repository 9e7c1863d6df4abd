import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { ColumnCatalog, RequestColumns, taskKey, TaskFormatter } from '@otel-top/cli/view-model';
import type { HTTPTask } from '@otel-top/model';
import { AccessToken } from './access-token.js';
import { LiveFeed } from './live-feed.js';
import { PageAssets } from './page-assets.js';
import { EVENTS, PATHS, QUERY } from './page-protocol.js';
import { WEB_DEFAULTS, WebViewHandlerConfig, WebViewStats } from './types.js';
import { ViewQuery } from './view-query.js';
import { WebFrame } from './web-frame.js';

/** On every answer. The page loads nothing but its own files, runs no inline code, and may not be framed. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** The cookie that keeps the token, per port: browsers share cookies between the ports of a host. */
const COOKIE_PREFIX = 'otel-top-web-';

/** What a page that lost its stream waits before it asks again (ms). */
const STREAM_RETRY_MILLIS = 2_000;

function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || (isIP(plain) === 4 && plain.startsWith('127.'));
}

/** The Host header names this machine: `localhost`, `127.0.0.1:7070`, `[::1]:7070`. A page reached under another name may be a DNS rebinding. */
function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || isLoopbackAddress(name);
}

function cookies(request: IncomingMessage): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const equals = part.indexOf('=');
    if (equals > 0) found.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  return found;
}

interface Stream {
  readonly response: ServerResponse;
  readonly query: ViewQuery;
  /** The request of the detail, as last found: it stays shown once the tracker lets it go. */
  detailTask: HTTPTask | undefined;
  /** The client reads slower than frames come: frames are skipped until it drained. */
  congested: boolean;
  readonly detach: () => void;
}

/**
 * A node:http request listener that serves otel-top's live views as a web
 * page: the page and its files, and a live stream of frames (Server-Sent
 * Events) for each open page, each frame the model `otel-top live` draws for
 * the view in that page's address. Read-only (GET and HEAD). All pages share
 * one LiveFeed: the tracker is read once per refresh however many are open.
 *
 * Without a token it answers only requests to a loopback address that name a
 * loopback host (403 otherwise). With one, every request needs it: once as
 * `?token=`, which is answered with an HttpOnly, SameSite=Strict cookie and a
 * redirect to the address without it; then from the cookie; else 401.
 */
export class WebViewHandler {
  private readonly feed: LiveFeed;
  private readonly assets = new PageAssets();
  private readonly token: AccessToken | undefined;
  private readonly streams = new Set<Stream>();
  private readonly format: TaskFormatter;
  private readonly columns: RequestColumns;
  private readonly defaultWindow;
  private readonly maxStreams: number;
  private readonly maxRows: number;
  private readonly frameMillis: number;
  private readonly basePath: string;
  private refused = 0;
  private frameTimer: NodeJS.Timeout | undefined;
  private lastFrameAt = 0;
  private closed = false;

  constructor(private readonly config: WebViewHandlerConfig) {
    this.token = config.token === undefined || config.token === '' ? undefined : new AccessToken(config.token);
    this.format = new TaskFormatter(config.thresholds ?? WEB_DEFAULTS.thresholds);
    const catalog = new ColumnCatalog(this.format);
    this.columns = {
      active: catalog.choose(undefined, ColumnCatalog.ACTIVE_DEFAULT),
      completed: catalog.choose(undefined, ColumnCatalog.COMPLETED_DEFAULT),
    };
    const base = config.basePath ?? WEB_DEFAULTS.basePath;
    this.basePath = `${base.startsWith('/') ? '' : '/'}${base}${base.endsWith('/') ? '' : '/'}`;
    this.defaultWindow = config.window ?? WEB_DEFAULTS.window;
    this.maxStreams = config.maxStreams ?? WEB_DEFAULTS.maxStreams;
    this.maxRows = config.maxRows ?? WEB_DEFAULTS.maxRows;
    this.frameMillis = 1_000 / (config.framesPerSecond ?? WEB_DEFAULTS.framesPerSecond);
    this.feed = new LiveFeed(config.reader, {
      refreshMillis: config.refreshMillis ?? WEB_DEFAULTS.refreshMillis,
      activePage: WEB_DEFAULTS.activePage,
      lingerMillis: config.lingerMillis ?? WEB_DEFAULTS.lingerMillis,
      historySeconds: config.historySeconds ?? WEB_DEFAULTS.historySeconds,
      historyRoutes: WEB_DEFAULTS.historyRoutes,
      windowsWanted: () => [...this.streams].map((stream) => stream.query.state.window),
    });
  }

  get stats(): WebViewStats {
    return { streams: this.streams.size, refusedStreams: this.refused, refreshes: this.feed.refreshes, subscriptions: this.feed.subscriptions };
  }

  /** A request listener: `(request, response) => void`, bound so it can be passed around. */
  readonly handle = (request: IncomingMessage, response: ServerResponse): void => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    try {
      this.serve(request, response);
    } catch (error) {
      if (!response.headersSent) this.answer(response, 500, `otel-top web: ${(error as Error).message}`);
      else response.destroy();
    }
  };

  /** Ends every stream and stops reading. The reader stays open: it is the caller's. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.frameTimer !== undefined) clearTimeout(this.frameTimer);
    for (const stream of this.streams) stream.response.end();
    this.streams.clear();
    await this.feed.close();
  }

  private serve(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      this.answer(response, 405, 'otel-top web is read-only: GET and HEAD only');
      return;
    }
    const url = new URL(request.url ?? '/', 'http://otel-top');
    if (!this.admitted(request, response, url)) return;
    const base = this.basePath;
    const path = url.pathname.startsWith(base) ? url.pathname.slice(base.length) : undefined;

    if (url.pathname === base.slice(0, -1)) {
      // The page's relative addresses need the slash.
      response.setHeader('location', `${base}${url.search}`);
      this.answer(response, 308, 'moved');
    } else if (path === PATHS.stream) {
      this.openStream(request, response, url);
    } else if (path === PATHS.page) {
      this.sendAsset(request, response, this.assets.page);
    } else if (path?.startsWith(PATHS.assets) === true) {
      const asset = this.assets.get(path.slice(PATHS.assets.length));
      if (asset === undefined) this.answer(response, 404, 'not found');
      else this.sendAsset(request, response, asset);
    } else {
      this.answer(response, 404, 'not found');
    }
  }

  /** Whether the request may be served; if not, it is answered. */
  private admitted(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
    const { token } = this;
    if (token === undefined) {
      if (isLoopbackAddress(request.socket.localAddress) && isLoopbackHost(request.headers.host)) return true;
      this.answer(response, 403, 'otel-top web: without an access token this page is served on loopback only (give it a token to serve it beyond)');
      return false;
    }
    const cookieName = `${COOKIE_PREFIX}${request.socket.localPort ?? 0}`;
    const given = url.searchParams.get(QUERY.token);
    if (given !== null) {
      if (!token.matchesToken(given)) {
        this.answer(response, 401, 'otel-top web: wrong access token');
        return false;
      }
      url.searchParams.delete(QUERY.token);
      response.setHeader('set-cookie', `${cookieName}=${token.session}; HttpOnly; SameSite=Strict; Path=${this.basePath}`);
      response.setHeader('location', `${url.pathname}${url.search}`);
      this.answer(response, 303, 'signed in');
      return false;
    }
    const session = cookies(request).get(cookieName);
    if (session !== undefined && token.matchesSession(session)) return true;
    this.answer(response, 401, 'otel-top web: this page needs its access token: open it once with ?token=...');
    return false;
  }

  private sendAsset(request: IncomingMessage, response: ServerResponse, asset: { body: Buffer; contentType: string; etag: string }): void {
    // Behind the token the files stay private to the browser; revalidated, so a new build is seen at once.
    response.setHeader('cache-control', 'private, no-cache');
    response.setHeader('etag', asset.etag);
    if (request.headers['if-none-match'] === asset.etag) {
      response.writeHead(304);
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': asset.contentType, 'content-length': asset.body.length });
    response.end(request.method === 'HEAD' ? undefined : asset.body);
  }

  private openStream(request: IncomingMessage, response: ServerResponse, url: URL): void {
    if (this.closed || this.streams.size >= this.maxStreams) {
      this.refused++;
      response.setHeader('retry-after', '10');
      this.answer(response, 503, `otel-top web: ${this.maxStreams} pages are open already, the most it serves`);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    const stream: Stream = {
      response,
      query: ViewQuery.parse(url.searchParams, this.defaultWindow),
      detailTask: undefined,
      congested: false,
      detach: this.feed.attach(() => this.changed()),
    };
    this.streams.add(stream);
    response.on('drain', () => (stream.congested = false));
    response.on('close', () => {
      this.streams.delete(stream);
      stream.detach();
    });
    response.write(`retry: ${STREAM_RETRY_MILLIS}\n\n`);
    this.send(stream, EVENTS.history, JSON.stringify(this.feed.history.history()));
    this.sendFrames([stream]);
  }

  /** Something changed: frames go out at most framesPerSecond times a second, merging the changes between. */
  private changed(): void {
    if (this.frameTimer !== undefined || this.closed) return;
    const wait = Math.max(0, this.lastFrameAt + this.frameMillis - Date.now());
    this.frameTimer = setTimeout(() => {
      this.frameTimer = undefined;
      this.sendFrames([...this.streams]);
    }, wait);
  }

  /** One frame per view shown, sent to every page that shows it. */
  private sendFrames(streams: readonly Stream[]): void {
    this.lastFrameAt = Date.now();
    const now = new Date(this.lastFrameAt);
    const groups = new Map<string, Stream[]>();
    for (const stream of streams) {
      if (stream.congested) continue;
      const group = groups.get(stream.query.signature) ?? [];
      group.push(stream);
      groups.set(stream.query.signature, group);
    }
    for (const group of groups.values()) {
      const first = group[0];
      if (first === undefined) continue;
      const found = this.findTask(first.query.detailKey);
      for (const stream of group) if (found !== undefined) stream.detailTask = found;
      const frame = WebFrame.of({
        query: first.query,
        feed: this.feed,
        detailTask: found ?? group.find((stream) => stream.detailTask !== undefined)?.detailTask,
        now,
        columns: this.columns,
        format: this.format,
        source: {
          trackerUrl: this.config.trackerUrl ?? '(this process)',
          skipped: this.config.skipped?.() ?? { active: 0, completed: 0, updates: 0, keys: 0 },
        },
        maxRows: this.maxRows,
      });
      const json = JSON.stringify(frame);
      for (const stream of group) this.send(stream, EVENTS.frame, json);
    }
  }

  private findTask(key: string | undefined): HTTPTask | undefined {
    if (key === undefined) return undefined;
    const { store } = this.feed;
    return store.activeTasks().find((task) => taskKey(task) === key) ?? store.completedTasks().find((task) => taskKey(task) === key);
  }

  private send(stream: Stream, event: string, json: string): void {
    // JSON holds no raw newline, so the data is one line.
    if (!stream.response.write(`event: ${event}\ndata: ${json}\n\n`)) stream.congested = true;
  }

  private answer(response: ServerResponse, status: number, message: string): void {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    response.end(`${message}\n`);
  }
}
