import { diag } from '@opentelemetry/api';
import type { ChainableCommander } from 'ioredis';
import {
  DEFAULT_MAX_COMPLETED_TASKS,
  encodeTask,
  MAX_COMPLETED_TASKS_ENV,
  TaskExporter,
  TrackedTask,
  TrackingTableKeys,
  trackingTableKeys,
} from '@otel-top/model';
import { createRedisClient, redactUrl, resolveTrackerUrl } from './redis-connection';
import type { RedisClient, RedisTaskExporterConfig, RedisTaskExporterStats } from './types';

interface TaskEvent {
  task: TrackedTask;
  ended: boolean;
}

function positiveInteger(value: number | string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new TypeError(`otel-top: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return number;
}

/**
 * Writes task lifecycles to the Redis tracking table (wire-format.md) in
 * batches, off the request path: one MULTI round trip per flush, with starts
 * as HSET into `processors` and ends as HDEL plus one LPUSH and LTRIM of
 * `past_tasks`. A task that starts and ends within one flush is written once,
 * as completed. Memory stays bounded whatever Redis does: events beyond
 * `maxQueueSize` are dropped, counted and reported.
 */
export class RedisTaskExporter implements TaskExporter {
  private readonly client: RedisClient;
  private readonly ownsClient: boolean;
  private readonly description: string;
  private readonly keys: TrackingTableKeys;
  private readonly maxCompletedTasks: number;
  private readonly flushIntervalMillis: number;
  private readonly maxQueueSize: number;
  private readonly maxBatchSize: number;
  private readonly maxTaskBytes: number;
  private readonly publishUpdates: boolean | 'auto';
  private readonly reportIntervalMillis: number;

  private queue: TaskEvent[] = [];
  /** Tasks written to `processors` and not ended yet, by processor id. */
  private readonly active = new Map<string, TrackedTask>();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private flushing: Promise<void> | undefined;
  private subscribed = false;
  private isShutDown = false;
  private readonly counts = { writtenActive: 0, writtenCompleted: 0, dropped: 0, failed: 0, errors: 0 };
  private reported = { dropped: 0, failed: 0 };
  private lastReport = 0;
  private lastError = '';

  constructor(config: RedisTaskExporterConfig = {}) {
    this.keys = trackingTableKeys(config.keyPrefix);
    this.maxCompletedTasks = positiveInteger(
      config.maxCompletedTasks ?? process.env[MAX_COMPLETED_TASKS_ENV],
      config.maxCompletedTasks === undefined ? MAX_COMPLETED_TASKS_ENV : 'maxCompletedTasks',
      DEFAULT_MAX_COMPLETED_TASKS,
    );
    this.flushIntervalMillis = positiveInteger(config.flushIntervalMillis, 'flushIntervalMillis', 100);
    this.maxQueueSize = positiveInteger(config.maxQueueSize, 'maxQueueSize', 20_000);
    this.maxBatchSize = positiveInteger(config.maxBatchSize, 'maxBatchSize', 1_000);
    this.maxTaskBytes = Math.max(4096, positiveInteger(config.maxTaskBytes, 'maxTaskBytes', 16_384));
    this.publishUpdates = config.publishUpdates ?? 'auto';
    this.reportIntervalMillis = positiveInteger(config.reportIntervalMillis, 'reportIntervalMillis', 60_000);

    if (config.client !== undefined) {
      this.client = config.client;
      this.ownsClient = false;
      this.description = 'the given Redis client';
    } else {
      const url = resolveTrackerUrl(config.url);
      // No offline queue: while Redis is away, commands fail at once instead of piling up inside ioredis.
      this.client = createRedisClient(url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectionName: 'otel-top-exporter',
      });
      this.ownsClient = true;
      this.description = redactUrl(url);
    }
    this.client.on('ready', () => {
      if (this.queue.length > 0) this.schedule(0);
    });
  }

  taskStarted(task: TrackedTask): void {
    this.enqueue({ task, ended: false });
  }

  taskEnded(task: TrackedTask): void {
    this.enqueue({ task, ended: true });
  }

  getStats(): RedisTaskExporterStats {
    return { queued: this.queue.length, ...this.counts };
  }

  async forceFlush(): Promise<void> {
    // Loop, because events may arrive while a flush is under way.
    for (let round = 0; round < 100 && (this.queue.length > 0 || this.flushing !== undefined); round++) {
      if (this.flushing === undefined && !this.isReady() && !(await this.waitUntilReady(5_000))) return;
      await this.flush();
    }
  }

  async shutdown(): Promise<void> {
    if (this.isShutDown) return;
    this.isShutDown = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.forceFlush();
    await this.endActiveTasks();
    this.report(true);
    if (this.ownsClient) {
      await this.client.quit().catch(() => this.client.disconnect());
    }
  }

  private enqueue(event: TaskEvent): void {
    // The end of a task already in `processors` is kept even beyond the cap, or it would stay there as a ghost.
    if (this.isShutDown || (this.queue.length >= this.maxQueueSize && !(event.ended && this.active.has(event.task.processorId)))) {
      this.counts.dropped++;
      this.report(false);
      return;
    }
    this.queue.push(event);
    this.schedule(this.queue.length >= this.maxBatchSize ? 0 : this.flushIntervalMillis);
  }

  private schedule(delayMillis: number): void {
    const due = Date.now() + delayMillis;
    if (this.timer !== undefined) {
      if (due >= this.timerDue) return;
      clearTimeout(this.timer);
    }
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      void this.flush();
    }, delayMillis);
    // Tracking must never keep the app's process alive.
    this.timer.unref();
  }

  private isReady(): boolean {
    return this.client.status === 'ready';
  }

  private waitUntilReady(timeoutMillis: number): Promise<boolean> {
    return new Promise((resolve) => {
      const onReady = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        resolve(false);
      }, timeoutMillis);
      timer.unref();
      this.client.once('ready', onReady);
    });
  }

  private flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && this.isReady()) {
      let batch: TaskEvent[];
      if (this.queue.length <= this.maxBatchSize) {
        batch = this.queue;
        this.queue = [];
      } else {
        batch = this.queue.splice(0, this.maxBatchSize);
      }
      await this.writeBatch(batch);
    }
    // Not ready: the 'ready' handler schedules the next flush.
  }

  private encode(task: TrackedTask): string | undefined {
    try {
      return encodeTask(task.snapshot(), this.maxTaskBytes);
    } catch (error) {
      if (this.counts.errors++ === 0) diag.error('otel-top: a task could not be built; it is skipped', error);
      return undefined;
    }
  }

  private async writeBatch(batch: TaskEvent[]): Promise<void> {
    // Coalesce: a task that starts and ends in this batch is written once, as completed.
    const started = new Map<string, TrackedTask>();
    const ended: TrackedTask[] = [];
    for (const { task, ended: isEnd } of batch) {
      if (isEnd) {
        started.delete(task.processorId);
        ended.push(task);
      } else {
        started.set(task.processorId, task);
      }
    }

    const publish = this.publishUpdates === true || (this.publishUpdates === 'auto' && this.subscribed);
    const activeFields: string[] = [];
    const updates: string[] = [];
    for (const [id, task] of started) {
      const json = this.encode(task);
      if (json === undefined) continue;
      activeFields.push(id, json);
      if (publish) updates.push(json);
    }
    const removed: string[] = [];
    const completed: string[] = [];
    for (const task of ended) {
      const id = task.processorId;
      if (this.active.delete(id)) removed.push(id);
      const json = this.encode(task);
      if (json === undefined) continue;
      completed.push(json);
      if (publish) updates.push(json);
    }
    for (let i = 0; i < activeFields.length; i += 2) {
      this.active.set(activeFields[i], started.get(activeFields[i]) as TrackedTask);
    }

    const multi = this.client.multi();
    this.addWrites(multi, activeFields, removed, completed, updates);
    if (this.publishUpdates === 'auto') multi.pubsub('NUMSUB', this.keys.taskUpdates);
    const writes = activeFields.length / 2 + completed.length;
    try {
      const results = await multi.exec();
      if (results === null) throw new Error('transaction aborted');
      const failed = results.find(([error]) => error !== null);
      if (failed !== undefined) throw failed[0];
      this.counts.writtenActive += activeFields.length / 2;
      this.counts.writtenCompleted += completed.length;
      if (this.publishUpdates === 'auto') {
        const numsub = results[results.length - 1][1] as [string, number];
        this.subscribed = Number(numsub[1]) > 0;
      }
    } catch (error) {
      this.counts.failed += writes;
      this.lastError = error instanceof Error ? error.message : String(error);
      this.report(false);
    }
  }

  /** Queues the commands of one batch on `multi`; the order keeps `past_tasks` newest first. */
  private addWrites(
    multi: ChainableCommander,
    activeFields: string[],
    removed: string[],
    completed: string[],
    updates: string[],
  ): void {
    if (activeFields.length > 0) multi.hset(this.keys.processors, ...activeFields);
    if (removed.length > 0) multi.hdel(this.keys.processors, ...removed);
    if (completed.length > 0) {
      multi.lpush(this.keys.pastTasks, ...completed);
      multi.ltrim(this.keys.pastTasks, 0, this.maxCompletedTasks - 1);
    }
    for (const update of updates) multi.publish(this.keys.taskUpdates, update);
  }

  /** At shutdown, requests still in flight leave `processors` as ended without a recorded result. */
  private async endActiveTasks(): Promise<void> {
    if (this.active.size === 0 || !this.isReady()) return;
    const now = new Date();
    const completed: string[] = [];
    for (const task of this.active.values()) {
      try {
        const snapshot = task.snapshot();
        snapshot.endedAt = now;
        snapshot.updatedAt = now;
        snapshot.recordedSuccessfully = false;
        completed.push(encodeTask(snapshot, this.maxTaskBytes));
      } catch {
        this.counts.errors++;
      }
    }
    const multi = this.client.multi();
    this.addWrites(multi, [], [...this.active.keys()], completed, []);
    this.active.clear();
    try {
      await multi.exec();
      this.counts.writtenCompleted += completed.length;
    } catch {
      this.counts.failed += completed.length;
    }
  }

  /** Says what was lost since the last report, at most once per interval (or now, at shutdown). */
  private report(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastReport < this.reportIntervalMillis) return;
    const dropped = this.counts.dropped - this.reported.dropped;
    const failed = this.counts.failed - this.reported.failed;
    if (dropped === 0 && failed === 0) return;
    this.lastReport = now;
    this.reported = { dropped: this.counts.dropped, failed: this.counts.failed };
    diag.warn(
      `otel-top: ${dropped} task events dropped (queue full at ${this.maxQueueSize}) and ${failed} task writes failed ` +
        `on ${this.description}${this.lastError === '' ? '' : ` (last error: ${this.lastError})`}; the app is not affected`,
    );
  }
}
