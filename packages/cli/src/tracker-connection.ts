import { TaskReader, TRACKER_URL_ENV } from '@otel-top/model';
import type { HttpTaskReader } from '@otel-top/memory-exporter';
import {
  createRedisClient,
  MultiPrefixReader,
  redactUrl,
  RedisTaskReader,
  resolveTrackerUrl,
  SkippedRecords,
  trackerUrlProblem,
} from '@otel-top/redis-exporter';
import { CliError, EXIT_UNREACHABLE, EXIT_USAGE } from './cli-error.js';
import type { TrackerOptions } from './types.js';

/** Reconnects back off to at most this, once the first connection worked. */
const MAX_RECONNECT_DELAY_MILLIS = 2_000;

/**
 * A reader on the tracking table that fails fast: the first connection gets
 * `connectTimeoutMillis` and no retries, so an unreachable tracker is an error
 * within seconds, not a hang. Once connected, it reconnects by itself (a
 * restarted Redis comes back into view). An `http(s)://` URL reads a tracker
 * endpoint instead (the REST protocol web-top reads, key from TOP_WEB_API_KEY).
 */
export class TrackerConnection {
  private constructor(
    readonly reader: TaskReader,
    /** The tracker URL without its password or key. */
    readonly displayUrl: string,
    /** Records the latest reads skipped because they did not decode. */
    readonly skipped: () => SkippedRecords,
    private readonly closeClient: () => Promise<void>,
  ) {}

  static async open(options: TrackerOptions): Promise<TrackerConnection> {
    const given = options.trackerUrl ?? process.env[TRACKER_URL_ENV];
    if (given !== undefined && /^https?:\/\//i.test(given)) return TrackerConnection.openEndpoint(given, options);
    const problem = given === undefined ? undefined : trackerUrlProblem(given);
    if (problem !== undefined) {
      const source = options.trackerUrl !== undefined ? '--tracker-url' : TRACKER_URL_ENV;
      throw new CliError(`otel-top: ${source} is not a tracker URL: ${problem}`, EXIT_USAGE);
    }
    const url = resolveTrackerUrl(options.trackerUrl);
    const displayUrl = redactUrl(url);
    let connected = false;
    const client = createRedisClient(url, {
      lazyConnect: true,
      connectTimeout: options.connectTimeoutMillis,
      commandTimeout: Math.max(options.connectTimeoutMillis, 5_000),
      maxRetriesPerRequest: 1,
      connectionName: 'otel-top',
      retryStrategy: (attempt) => (connected ? Math.min(100 * 2 ** attempt, MAX_RECONNECT_DELAY_MILLIS) : null),
    });
    let lastError: Error | undefined;
    client.on('error', (error: Error) => {
      lastError = error;
    });
    try {
      // Connected means answered: the client is ready only once the server replied to its first command.
      await withDeadline(client.connect(), options.connectTimeoutMillis);
      connected = true;
    } catch (error) {
      // disconnect() on an ended client would hold the process for seconds.
      if (client.status !== 'end') client.disconnect();
      const reason = describe(lastError ?? (error as Error), options.connectTimeoutMillis);
      throw new CliError(`otel-top: cannot reach the tracker at ${displayUrl}: ${reason}`, EXIT_UNREACHABLE);
    }
    const prefixes = options.keyPrefixes ?? [''];
    const reader = prefixes.length === 1 ? new RedisTaskReader({ client, keyPrefix: prefixes[0] }) : new MultiPrefixReader({ client }, prefixes);
    return new TrackerConnection(reader, displayUrl, () => reader.skipped, async () => {
      await reader.close();
      await client.quit().catch(() => client.disconnect());
    });
  }

  private static async openEndpoint(url: string, options: TrackerOptions): Promise<TrackerConnection> {
    // Loaded only for an endpoint: a viewer of Redis starts without it.
    const { HttpTaskReader } = await import('@otel-top/memory-exporter');
    let reader: HttpTaskReader;
    let displayUrl: string;
    try {
      reader = new HttpTaskReader({ url, timeoutMillis: options.connectTimeoutMillis });
      const parsed = new URL(url);
      displayUrl = `${parsed.origin}${parsed.pathname}`;
    } catch (error) {
      throw new CliError(`otel-top: --tracker-url is not a tracker URL: ${(error as Error).message}`, EXIT_USAGE);
    }
    try {
      await reader.getActiveTasks(); // reachable, and the key is accepted
    } catch (error) {
      throw new CliError(`otel-top: cannot read the tracker at ${displayUrl}: ${(error as Error).message}`, EXIT_UNREACHABLE);
    }
    const skipped = (): SkippedRecords => ({ active: reader.skipped.active, completed: reader.skipped.completed, updates: 0, keys: 0 });
    return new TrackerConnection(reader, displayUrl, skipped, () => reader.close());
  }

  /** The line to print on stderr for the records the latest reads skipped, or undefined when they skipped none. */
  skippedWarning(): string | undefined {
    const { active, completed, keys } = this.skipped();
    const count = active + completed + keys;
    if (count === 0) return undefined;
    return `otel-top: warning: ${count} record${count === 1 ? '' : 's'} in the tracking table did not decode and ${count === 1 ? 'was' : 'were'} skipped\n`;
  }

  async close(): Promise<void> {
    await this.closeClient();
  }
}

class DeadlineError extends Error {}

function withDeadline<T>(promise: Promise<T>, millis: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineError()), millis);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function describe(error: Error, timeoutMillis: number): string {
  if (error instanceof DeadlineError) return `no answer within ${timeoutMillis} ms`;
  const code = (error as NodeJS.ErrnoException).code;
  const message = error.message.replace(/^connect /, '');
  return code !== undefined && !message.includes(code) ? `${code} ${message}` : message;
}
