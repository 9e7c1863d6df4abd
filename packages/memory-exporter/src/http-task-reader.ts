import { Agent as HttpAgent, request as httpRequest, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import {
  ActivePage,
  HTTPTask,
  ProcessFigures,
  processFiguresFromWire,
  routeFiguresFromWire,
  TaskReader,
  TaskUpdate,
  TaskUpdateListener,
  TRAFFIC_WINDOWS,
  TrafficReport,
  TrafficWindowName,
} from '@otel-top/model';
import { WEB_API_KEY_ENV } from './api-key';
import type { HttpTaskReaderConfig, TrackerAction } from './types';

/** Records the latest reads skipped because they did not decode. */
export interface HttpSkippedRecords {
  active: number;
  completed: number;
  /** Polls of subscribe() that failed (network, status); polling goes on. */
  failedPolls: number;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

function decode(record: unknown): HTTPTask | undefined {
  try {
    return HTTPTask.fromJSON(record);
  } catch {
    return undefined;
  }
}

/**
 * Reads a tracker endpoint over HTTP(S) in the Top Framework's REST
 * protocol (`?api-key=&action=active-tasks|completed-tasks`, and otel-top's
 * `traffic`), as served by TrackerRequestHandler: the TaskReader for `http://` and `https://`
 * tracker URLs. The protocol has no push, so subscribe() polls and reports
 * what started or ended since the previous poll.
 */
export class HttpTaskReader implements TaskReader {
  private readonly url: URL;
  private readonly apiKey: string;
  private readonly pollIntervalMillis: number;
  private readonly timeoutMillis: number;
  private readonly agent: HttpAgent;
  private readonly stopFunctions = new Set<() => Promise<void>>();
  private readonly skippedCounts: HttpSkippedRecords = { active: 0, completed: 0, failedPolls: 0 };

  constructor(config: HttpTaskReaderConfig) {
    let url: URL;
    try {
      url = new URL(config.url);
    } catch {
      throw new TypeError(`otel-top: not a tracker URL: ${config.url.replace(/\?.*$/, '')}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`otel-top: expected an http:// or https:// tracker URL, got ${url.protocol}//${url.host}`);
    }
    const apiKey = config.apiKey ?? process.env[WEB_API_KEY_ENV];
    if (apiKey === undefined || apiKey === '') {
      throw new TypeError(`otel-top: reading ${url.origin}${url.pathname} needs its API key: set ${WEB_API_KEY_ENV}`);
    }
    this.url = url;
    this.apiKey = apiKey;
    this.pollIntervalMillis = config.pollIntervalMillis ?? 1_000;
    this.timeoutMillis = config.timeoutMillis ?? 5_000;
    this.agent =
      url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, ca: config.ca }) : new HttpAgent({ keepAlive: true });
  }

  /** How many records the latest reads skipped, and how many polls failed. */
  get skipped(): Readonly<HttpSkippedRecords> {
    return { ...this.skippedCounts };
  }

  async getActiveTasks(): Promise<Map<string, HTTPTask>> {
    const body = await this.fetch('active-tasks');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new Error(`otel-top: ${this.describe()} answered active-tasks with something other than a JSON object`);
    }
    const tasks = new Map<string, HTTPTask>();
    let skipped = 0;
    for (const [id, record] of Object.entries(body)) {
      const task = decode(record);
      if (task === undefined) skipped++;
      else tasks.set(id, task);
    }
    this.skippedCounts.active = skipped;
    return tasks;
  }

  /** The protocol has no index, and one process's table is small: everything, longest-running first. */
  async getActiveTasksPage(): Promise<ActivePage> {
    const all = await this.getActiveTasks();
    const sorted = [...all].sort(([, a], [, b]) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0));
    return { tasks: new Map(sorted), total: all.size };
  }

  /** Completed tasks, newest first; at most `limit` of them when given. */
  async getCompletedTasks(limit?: number): Promise<HTTPTask[]> {
    const body = await this.fetch('completed-tasks');
    if (!Array.isArray(body)) {
      throw new Error(`otel-top: ${this.describe()} answered completed-tasks with something other than a JSON array`);
    }
    const records = limit === undefined ? body : body.slice(0, Math.max(0, limit));
    const tasks: HTTPTask[] = [];
    for (const record of records) {
      const task = decode(record);
      if (task !== undefined) tasks.push(task);
    }
    this.skippedCounts.completed = records.length - tasks.length;
    return tasks;
  }

  /** The endpoint's live counters over the window (otel-top's `traffic` action). */
  async getTraffic(window: TrafficWindowName): Promise<TrafficReport> {
    const body = await this.fetch('traffic', { window });
    const wire = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    if (wire === undefined || !Array.isArray(wire.routes)) {
      throw new Error(`otel-top: ${this.describe()} answered traffic with something other than a traffic report`);
    }
    return {
      window,
      seconds: typeof wire.seconds === 'number' ? wire.seconds : TRAFFIC_WINDOWS[window],
      total: routeFiguresFromWire(wire.total),
      routes: wire.routes.map(routeFiguresFromWire),
    };
  }

  /** The endpoint's processes (otel-top's `processes` action): for a MemoryTaskExporter, its own. */
  async getProcesses(): Promise<ProcessFigures[]> {
    const body = await this.fetch('processes');
    if (!Array.isArray(body)) throw new Error(`otel-top: ${this.describe()} answered processes with something other than a JSON array`);
    return body.map(processFiguresFromWire);
  }

  /**
   * Polls every `pollIntervalMillis` and calls `listener` with what changed
   * since the previous poll: tasks that started or changed, tasks that
   * ended, and active ones that went without a completed task. Resolves once
   * the first poll has taken the current state as the starting point.
   */
  async subscribe(listener: TaskUpdateListener): Promise<() => Promise<void>> {
    let active = new Map<string, string>();
    let completed = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const completedKey = (task: HTTPTask): string => `${task.getProcessorTrackingId()} ${task.endedAt?.getTime()}`;

    const poll = async (emit: boolean): Promise<void> => {
      try {
        const [nowActive, nowCompleted] = await Promise.all([this.getActiveTasks(), this.getCompletedTasks()]);
        const update: TaskUpdate = { active: [], completed: [], removed: [] };
        const nextActive = new Map<string, string>();
        for (const [id, task] of nowActive) {
          const signature = JSON.stringify(task);
          nextActive.set(id, signature);
          if (active.get(id) !== signature) update.active.push(task);
        }
        const nextCompleted = new Set<string>();
        const ended = new Set<string>();
        // Oldest first, as a writer's updates list them.
        for (const task of [...nowCompleted].reverse()) {
          const key = completedKey(task);
          nextCompleted.add(key);
          if (!completed.has(key)) {
            update.completed.push(task);
            ended.add(task.getProcessorTrackingId());
          }
        }
        for (const id of active.keys()) {
          if (!nextActive.has(id) && !ended.has(id)) update.removed.push(id);
        }
        active = nextActive;
        completed = nextCompleted;
        const changed = update.active.length + update.completed.length + update.removed.length > 0;
        if (emit && !stopped && changed) listener(update);
      } catch {
        this.skippedCounts.failedPolls++;
      }
    };
    const schedule = (): void => {
      if (stopped) return;
      timer = setTimeout(() => void poll(true).then(schedule), this.pollIntervalMillis);
      timer.unref();
    };

    await poll(false);
    schedule();
    const stop = async (): Promise<void> => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      this.stopFunctions.delete(stop);
    };
    this.stopFunctions.add(stop);
    return stop;
  }

  async close(): Promise<void> {
    await Promise.all([...this.stopFunctions].map((stop) => stop()));
    this.agent.destroy();
  }

  /** The endpoint without its query or credentials, fit for messages. */
  private describe(): string {
    return `${this.url.origin}${this.url.pathname}`;
  }

  private fetch(action: TrackerAction, parameters: Record<string, string> = {}): Promise<unknown> {
    const url = new URL(this.url);
    url.searchParams.set('api-key', this.apiKey);
    url.searchParams.set('action', action);
    for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = send(url, { method: 'GET', agent: this.agent, headers: { accept: 'application/json' } }, (response) => {
        this.readBody(response, action).then(resolve, reject);
      });
      request.setTimeout(this.timeoutMillis, () =>
        request.destroy(new Error(`otel-top: ${this.describe()} did not answer within ${this.timeoutMillis} ms`)),
      );
      request.on('error', (error) =>
        // Node's messages name the host, never the query with the key.
        reject(error.message.startsWith('otel-top:') ? error : new Error(`otel-top: ${this.describe()}: ${error.message}`)),
      );
      request.end();
    });
  }

  private readBody(response: IncomingMessage, action: TrackerAction): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) response.destroy(new Error(`otel-top: ${this.describe()} answered more than 64 MiB`));
        else chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status === 403) {
          reject(new Error(`otel-top: ${this.describe()} refused the API key (403); check ${WEB_API_KEY_ENV}`));
        } else if (status !== 200) {
          reject(new Error(`otel-top: ${this.describe()} answered ${action} with ${status}: ${text.slice(0, 200).trim()}`));
        } else {
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`otel-top: ${this.describe()} answered ${action} with something other than JSON`));
          }
        }
      });
    });
  }
}
