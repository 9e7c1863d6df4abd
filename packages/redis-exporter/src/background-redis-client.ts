import type { Redis, RedisOptions } from 'ioredis';
import { createRedisClient } from './redis-connection';
import { untraced } from './untraced';

const MAX_RETRY_DELAY_MILLIS = 1_000;

/**
 * A Redis client for the exporter that never keeps the app's process alive:
 * its socket is unreferenced, and reconnecting is driven by an unreferenced
 * timer of ours instead of ioredis's own. An app that would end by itself
 * still ends when its work is done, whether Redis is there or not. It
 * connects untraced, and only once the code that made it has run: an app's
 * SDK is registered after its span processors are made, and a connection
 * made before would carry no context to suppress its tracing with.
 */
export class BackgroundRedisClient {
  readonly client: Redis;
  private attempts = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private holding = false;

  constructor(url: string, options: RedisOptions) {
    this.client = createRedisClient(url, { ...options, lazyConnect: true, retryStrategy: () => null });
    this.client.on('connect', () => {
      if (!this.holding) this.client.stream.unref();
    });
    this.client.on('ready', () => {
      this.attempts = 0;
    });
    this.client.on('end', () => this.scheduleReconnect());
  }

  /** Connects with the next turn of the event loop. */
  connectSoon(): void {
    setImmediate(() => this.connect()).unref();
  }

  /** Lets the connection keep the process alive again, so that a final flush is not cut short. */
  holdProcess(): void {
    this.holding = true;
    if (this.client.status === 'ready') this.client.stream.ref();
    // Not connecting yet: someone waits, so now (a connecting socket keeps the process alive).
    else if (this.client.status === 'wait') this.connect();
  }

  releaseProcess(): void {
    this.holding = false;
    if (this.client.status === 'ready') this.client.stream.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private connect(): void {
    if (this.closed) return;
    untraced(() => this.client.connect()).catch(() => undefined);
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer !== undefined) return;
    const delay = Math.min(50 * 2 ** this.attempts++, MAX_RETRY_DELAY_MILLIS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}
