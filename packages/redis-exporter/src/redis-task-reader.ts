import { HTTPTask, TaskReader, TaskUpdateListener, TrackingTableKeys, trackingTableKeys } from '@otel-top/model';
import { createRedisClient, resolveTrackerUrl } from './redis-connection';
import type { RedisClient, RedisTaskReaderConfig, SkippedRecords } from './types';

/**
 * Reads the tracking table, whoever wrote it (this project or the Python Top
 * Framework): one round trip per key. A record that does not decode is
 * skipped and counted in `skipped`, never thrown.
 */
export class RedisTaskReader implements TaskReader {
  private readonly client: RedisClient;
  private readonly ownsClient: boolean;
  private readonly keys: TrackingTableKeys;
  private readonly subscribers = new Set<RedisClient>();
  private readonly skippedCounts: SkippedRecords = { active: 0, completed: 0, updates: 0 };

  constructor(config: RedisTaskReaderConfig = {}) {
    this.keys = trackingTableKeys(config.keyPrefix);
    if (config.client !== undefined) {
      this.client = config.client;
      this.ownsClient = false;
    } else {
      this.client = createRedisClient(resolveTrackerUrl(config.url), {
        maxRetriesPerRequest: 1,
        connectionName: 'otel-top-reader',
      });
      this.ownsClient = true;
    }
  }

  /** How many records the latest reads skipped because they did not decode. */
  get skipped(): Readonly<SkippedRecords> {
    return { ...this.skippedCounts };
  }

  async getActiveTasks(): Promise<Map<string, HTTPTask>> {
    const records = await this.client.hgetall(this.keys.processors);
    const tasks = new Map<string, HTTPTask>();
    let skipped = 0;
    for (const field in records) {
      const task = decode(records[field]);
      if (task === undefined) skipped++;
      else tasks.set(field, task);
    }
    this.skippedCounts.active = skipped;
    return tasks;
  }

  /** Completed tasks, newest first; at most `limit` of them when given. */
  async getCompletedTasks(limit?: number): Promise<HTTPTask[]> {
    const records = await this.client.lrange(this.keys.pastTasks, 0, limit === undefined ? -1 : Math.max(0, limit - 1));
    const tasks: HTTPTask[] = [];
    for (const record of records) {
      const task = decode(record);
      if (task !== undefined) tasks.push(task);
    }
    this.skippedCounts.completed = records.length - tasks.length;
    return tasks;
  }

  /** Calls `listener` with every task published on `task_updates`, on a connection of its own. */
  async subscribe(listener: TaskUpdateListener): Promise<() => Promise<void>> {
    const subscriber = this.client.duplicate();
    subscriber.on('error', () => {
      // Reported by the main client's handler; reconnects and resubscribes by itself.
    });
    this.subscribers.add(subscriber);
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.keys.taskUpdates) return;
      const task = decode(message);
      if (task === undefined) this.skippedCounts.updates++;
      else listener(task);
    });
    await subscriber.subscribe(this.keys.taskUpdates);
    return async () => {
      this.subscribers.delete(subscriber);
      await subscriber.quit().catch(() => subscriber.disconnect());
    };
  }

  async close(): Promise<void> {
    const closing = [...this.subscribers].map((subscriber) => subscriber.quit().catch(() => subscriber.disconnect()));
    this.subscribers.clear();
    await Promise.all(closing);
    if (this.ownsClient) await this.client.quit().catch(() => this.client.disconnect());
  }
}

function decode(record: string): HTTPTask | undefined {
  try {
    return HTTPTask.fromJSON(record);
  } catch {
    return undefined;
  }
}
