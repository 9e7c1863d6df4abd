import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import { encodeTask, processFiguresToWire, routeFiguresToWire, Task, TRAFFIC_WINDOW_NAMES, TrafficWindowName } from '@otel-top/model';
import { ApiKey } from './api-key';
import type { TaskSource, TrackerAction, TrackerRequestHandlerConfig } from './types';

const ACTIONS: ReadonlySet<string> = new Set<TrackerAction>(['active-tasks', 'completed-tasks', 'traffic', 'processes']);
const WINDOWS: ReadonlySet<string> = new Set<string>(TRAFFIC_WINDOW_NAMES);

/**
 * Serves tasks in the Top Framework's tracker REST protocol, which the
 * Python `web-top --tracker-url http://host/tracker` and otel-top read:
 * `GET ?api-key=KEY&action=active-tasks` answers a JSON object of processor
 * id to task, `action=completed-tasks` a JSON array, newest first;
 * otel-top's own `action=traffic&window=10s|1m|5m` the live counters
 * (`{"window","seconds","total","routes"}`, figures as `otel-top routes
 * --json` prints them) and `action=processes` the processes' health (an
 * array, as `otel-top processes --json` prints it). A missing
 * or wrong key is 403, another method 405, a missing or unknown action 400.
 * Error answers never echo the key.
 *
 * `handle` serves every request it is given: mount it on the path you want
 * (`app.get('/tracker', handler.handle)` in Express, or check the path in a
 * node:http server).
 */
export class TrackerRequestHandler {
  private readonly apiKey: ApiKey;
  private readonly maxTaskBytes: number;

  constructor(
    private readonly source: TaskSource,
    config: TrackerRequestHandlerConfig = {},
  ) {
    this.apiKey = ApiKey.resolve(config.apiKey);
    this.maxTaskBytes = Math.max(4096, config.maxTaskBytes ?? 16_384);
  }

  /** A request listener: `(request, response) => void`, bound so it can be passed around. */
  readonly handle = (request: IncomingMessage, response: ServerResponse): void => {
    this.serve(request, response).catch((error: unknown) => {
      diag.error('otel-top: the tracker endpoint failed to read tasks', error);
      if (!response.headersSent) this.answer(response, 500, 'could not read tasks');
      else response.destroy();
    });
  };

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      this.answer(response, 405, 'only GET is supported');
      return;
    }
    const query = new URL(request.url ?? '/', 'http://tracker').searchParams;
    const key = query.get('api-key');
    if (key === null || !this.apiKey.matches(key)) {
      this.answer(response, 403, key === null ? 'api-key parameter missing' : 'api-key does not match');
      return;
    }
    const action = query.get('action');
    if (action === null || !ACTIONS.has(action)) {
      this.answer(response, 400, 'action must be active-tasks, completed-tasks, traffic or processes');
      return;
    }
    const window = query.get('window') ?? '10s';
    if (action === 'traffic' && !WINDOWS.has(window)) {
      this.answer(response, 400, `window must be one of ${TRAFFIC_WINDOW_NAMES.join(', ')}`);
      return;
    }
    const body =
      action === 'active-tasks'
        ? await this.activeJson()
        : action === 'completed-tasks'
          ? await this.completedJson()
          : action === 'traffic'
            ? await this.trafficJson(window as TrafficWindowName)
            : JSON.stringify((await this.source.getProcesses()).map(processFiguresToWire));
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      // The answer holds users' addresses and requests: no cache may keep it.
      'cache-control': 'no-store',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  private async activeJson(): Promise<string> {
    const entries: string[] = [];
    for (const [id, task] of await this.source.getActiveTasks()) {
      const json = this.encode(task);
      if (json !== undefined) entries.push(`${JSON.stringify(id)}:${json}`);
    }
    return `{${entries.join(',')}}`;
  }

  private async completedJson(): Promise<string> {
    const items: string[] = [];
    for (const task of await this.source.getCompletedTasks()) {
      const json = this.encode(task);
      if (json !== undefined) items.push(json);
    }
    return `[${items.join(',')}]`;
  }

  private async trafficJson(window: TrafficWindowName): Promise<string> {
    const report = await this.source.getTraffic(window);
    return JSON.stringify({
      window: report.window,
      seconds: report.seconds,
      total: routeFiguresToWire(report.total),
      routes: report.routes.map(routeFiguresToWire),
    });
  }

  private encode(task: Task): string | undefined {
    try {
      return encodeTask(task, this.maxTaskBytes);
    } catch {
      return undefined;
    }
  }

  private answer(response: ServerResponse, status: number, message: string): void {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    response.end(`${message}\n`);
  }
}
