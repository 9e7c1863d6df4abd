import { diag } from '@opentelemetry/api';
import { Redis, RedisOptions } from 'ioredis';
import { DEFAULT_TRACKER_URL, TRACKER_URL_ENV } from '@otel-top/model';

/** The URL with its password replaced by `***`, fit for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Why `url` is not a tracker URL we can use, or undefined when it is. */
export function trackerUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a URL: ${redactUrl(url)}`;
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    return `expected a redis:// or rediss:// URL, got ${redactUrl(url)}`;
  }
  if (parsed.hostname === '') return `no host in ${redactUrl(url)}`;
  if (parsed.pathname !== '' && parsed.pathname !== '/' && !/^\/\d+$/.test(parsed.pathname)) {
    return `the path of ${redactUrl(url)} must be a database number such as /0`;
  }
  return undefined;
}

/** The option if given, else env TOP_TRACKER_URL, else the default. Throws a clear error for a bad URL. */
export function resolveTrackerUrl(url: string | undefined): string {
  const resolved = url ?? process.env[TRACKER_URL_ENV] ?? DEFAULT_TRACKER_URL;
  const problem = trackerUrlProblem(resolved);
  if (problem !== undefined) {
    const source = url !== undefined ? 'the url option' : TRACKER_URL_ENV;
    throw new TypeError(`otel-top: ${source} is invalid: ${problem}`);
  }
  return resolved;
}

/**
 * An ioredis client whose failures stay bounded: commands time out, and
 * reconnects back off to at most a second so tracking resumes promptly.
 * Errors are reported through the OTel diagnostic logger, never thrown.
 */
export function createRedisClient(url: string, options: RedisOptions): Redis {
  const client = new Redis(url, {
    connectTimeout: 5_000,
    commandTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 1_000),
    ...options,
  });
  let lastReport = 0;
  client.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastReport >= 60_000) {
      lastReport = now;
      diag.warn(`otel-top: Redis at ${redactUrl(url)}: ${error.message}`);
    }
  });
  return client;
}
