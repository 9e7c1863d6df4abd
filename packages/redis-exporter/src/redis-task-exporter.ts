import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { diag } from '@opentelemetry/api';
import {
  encodeTask,
  maxCompletedTasks,
  positiveInteger,
  TaskExporter,
  TrackedTask,
  TrackingTableKeys,
  trackingTableKeys,
} from '@otel-top/model';
import { FifoQueue } from './fifo-queue';
import { BackgroundRedisClient } from './background-redis-client';
import { GhostCleaner } from './ghost-cleaner';
import { redactUrl, resolveTrackerUrl } from './redis-connection';
import { UNREGISTER_SCRIPT, WRITE_BATCH_SCRIPT } from './tracker-scripts';
import type { RedisClient, RedisTaskExporterConfig, RedisTaskExporterStats } from './types';

/** A completed task waiting to be written; `activeId` is set when it is in `processors` and must leave it. */
interface PendingEnd {
  task: TrackedTask;
  activeId: string;
}

/** One encoded batch: kept as it is until Redis answers, so a retry sends the same sequence number. */
interface Batch {
  seq: number;
  args: string[];
  starts: Array<[string, TrackedTask]>;
  removals: string[];
  completed: number;
  bytes: number;
  attempts: number;
  firstSentAt: number;
}

/**
 * Aim for batches of about this many bytes: ioredis turns a command into
 * bytes in one synchronous step, about 12 ms per MiB on a busy machine.
 */
const TARGET_BATCH_BYTES = 256 * 1024;
/** How long encoding may hold the event loop before it yields (ms). */
const SLICE_MILLIS = 3;
/** A batch whose outcome stays unknown is given up after this many sends or this long. */
const MAX_ATTEMPTS = 5;
const MAX_RETRY_MILLIS = 30_000;
const MAX_BACKOFF_MILLIS = 5_000;
/**
 * Under load, completed tasks are written in this many slices per
 * completedListRefreshMillis. A held task keeps its span alive (~2.2 KB),
 * and the young-generation collector copies every live span it meets: in
 * instruction counts, holding a whole list was two thirds of what tracking
 * added to garbage collection.
 */
const LIST_SLICES = 8;

/**
 * Redis answered with an error (OOM, WRONGTYPE, NOPERM, ...): the batch is known not to be applied, and
 * sending it again will not help. Errors of a server in transition (a replica after failover, loading,
 * a cluster resharding) are not final: the same batch is sent again.
 */
function isFinalReplyError(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'ReplyError' &&
    !/^(READONLY|LOADING|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|BUSY)/.test(error.message)
  );
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Writes task lifecycles to the Redis tracking table (docs/wire-format.md) in
 * batches, off the request path: one round trip per flush, a Lua script that
 * applies the starts (HSET into `processors`) and the ends (HDEL, LPUSH and
 * LTRIM of `past_tasks`) atomically and at most once, so a batch retried after
 * a lost reply is not written twice. A task that starts and ends within one
 * flush is written once, as completed.
 *
 * Memory stays bounded whatever Redis does (events and bytes); what is dropped
 * is counted and reported at most once per interval. A heartbeat in Redis
 * lets other exporters and readers clean up after this process if it dies
 * without shutdown, and this exporter does the same for others.
 */
export class RedisTaskExporter implements TaskExporter {
  private readonly client: RedisClient;
  /** Our own connection, which never keeps the app's process alive; undefined for a given client. */
  private readonly background: BackgroundRedisClient | undefined;
  private readonly description: string;
  private readonly keys: TrackingTableKeys;
  private readonly exporterId: string;
  private readonly maxCompletedTasks: number;
  private readonly flushIntervalMillis: number;
  private readonly maxQueueSize: number;
  private readonly maxQueueBytes: number;
  /** Set by the user: a fixed batch size rather than one from the byte target. */
  private readonly maxBatchSize: number | undefined;
  private readonly maxTaskBytes: number;
  private readonly publishUpdates: '0' | '1' | 'auto';
  private readonly completedListRefreshMillis: number;
  private readonly activeAfterMillis: number;
  private readonly reportIntervalMillis: number;
  private readonly heartbeatIntervalMillis: number;
  private readonly deadAfterMillis: number;
  private readonly cleaner: GhostCleaner | undefined;
  private readonly hostName = hostname().slice(0, 256);

  /**
   * Started, not written yet, in the order they were queued, with when they were queued (Date.now()).
   * Keyed by the task object, as `active` and `cleaned` are: the processor id is a string built and hashed
   * for nothing on the request path, and most requests end before they are ever written as active.
   */
  private readonly starts = new Map<TrackedTask, number>();
  /** Completed, not written yet, oldest first. */
  private readonly ends = new FifoQueue<PendingEnd>();
  /** Processor ids that must leave `processors` although their completed task was dropped. */
  private readonly orphanRemovals = new Set<string>();
  /** Tasks (maybe) in `processors`, with their processor id. */
  private readonly active = new Map<TrackedTask, string>();
  /** Tasks a cleaner moved to `past_tasks` while this process looked dead: their ends are not written again. */
  private readonly cleaned = new Set<TrackedTask>();
  private retryBatch: Batch | undefined;
  private seq = 0;
  private registered = false;
  /** The connection failed or closed and is not back yet (not merely still connecting at start). */
  private down = false;
  private heartbeatDue = true;
  private lastWriteAt = 0;
  private consecutiveFailures = 0;
  private averageTaskBytes = 1024;
  /**
   * How many completed tasks may be written now: refilled at maxCompletedTasks per completedListRefreshMillis,
   * at most maxCompletedTasks, as of listBudgetAt.
   */
  private listBudget: number;
  private listBudgetAt = 0;
  /** Most completed tasks held while the budget is spent, and fewest written at once then. */
  private readonly listSlice: number;
  /** forceFlush and shutdown write everything queued, however young or held. */
  private writeEverything = false;

  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private timerDelay = Infinity;
  private readonly maintenance: NodeJS.Timeout;
  private cleaning = false;
  private flushing: Promise<void> | undefined;
  private isShutDown = false;
  private readonly counts = {
    writtenActive: 0,
    writtenCompleted: 0,
    dropped: 0,
    failed: 0,
    errors: 0,
    retried: 0,
    duplicates: 0,
    superseded: 0,
    ghostsCleaned: 0,
    trimmed: 0,
  };
  /** Subscribers of task_updates as Redis last reported them; -1 until known. */
  private subscribers = -1;
  private reported = { dropped: 0, failed: 0 };
  private lastReport = 0;
  private lastError = '';

  constructor(config: RedisTaskExporterConfig = {}) {
    this.keys = trackingTableKeys(config.keyPrefix);
    this.exporterId = `${this.hostName.slice(0, 64)}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.maxCompletedTasks = maxCompletedTasks(config.maxCompletedTasks);
    this.flushIntervalMillis = positiveInteger(config.flushIntervalMillis, 'flushIntervalMillis', 100);
    this.maxQueueSize = positiveInteger(config.maxQueueSize, 'maxQueueSize', 20_000);
    this.maxQueueBytes = positiveInteger(config.maxQueueBytes, 'maxQueueBytes', 16 * 1024 * 1024);
    this.maxBatchSize = config.maxBatchSize === undefined ? undefined : positiveInteger(config.maxBatchSize, 'maxBatchSize', 1_000);
    this.maxTaskBytes = Math.max(4096, positiveInteger(config.maxTaskBytes, 'maxTaskBytes', 16_384));
    this.reportIntervalMillis = positiveInteger(config.reportIntervalMillis, 'reportIntervalMillis', 60_000);
    this.completedListRefreshMillis =
      config.completedListRefreshMillis === 0
        ? 0
        : positiveInteger(config.completedListRefreshMillis, 'completedListRefreshMillis', 1_000);
    this.activeAfterMillis =
      config.activeAfterMillis === 0 ? 0 : positiveInteger(config.activeAfterMillis, 'activeAfterMillis', 100);
    this.listBudget = this.maxCompletedTasks;
    this.listSlice = Math.ceil(this.maxCompletedTasks / LIST_SLICES);
    this.heartbeatIntervalMillis = positiveInteger(config.heartbeatIntervalMillis, 'heartbeatIntervalMillis', 3_000);
    this.deadAfterMillis = Math.max(
      2 * this.heartbeatIntervalMillis,
      positiveInteger(config.deadAfterMillis, 'deadAfterMillis', 10_000),
    );

    if (config.client !== undefined) {
      this.client = config.client;
      this.description = 'the given Redis client';
    } else {
      const url = resolveTrackerUrl(config.url);
      // No offline queue and no retries inside ioredis: while Redis is away, commands fail at once
      // instead of piling up; this exporter holds what it must keep, within its own bounds.
      this.background = new BackgroundRedisClient(url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectionName: 'otel-top-exporter',
        ...(config.tls === undefined ? {} : { tls: config.tls }),
        commandTimeout: positiveInteger(config.commandTimeoutMillis, 'commandTimeoutMillis', 5_000),
      });
      this.client = this.background.client;
      this.description = redactUrl(url);
    }
    const publish = config.publishUpdates ?? 'auto';
    if (this.client.isCluster) {
      if (!/\{[^}]+\}/.test(config.keyPrefix ?? '')) {
        throw new TypeError(
          "otel-top: with Redis Cluster, keyPrefix needs a hash tag such as '{otel-top}:' so the tracking table stays in one slot",
        );
      }
      // PUBSUB NUMSUB counts only one node's subscribers in a cluster.
      this.publishUpdates = publish === false ? '0' : '1';
    } else {
      this.publishUpdates = publish === 'auto' ? 'auto' : publish ? '1' : '0';
    }
    this.cleaner =
      config.cleanGhosts === false
        ? undefined
        : new GhostCleaner(this.client, this.keys, this.maxCompletedTasks);

    this.client.on('ready', this.onReady);
    this.client.on('close', this.onDown);
    this.client.on('error', this.onDown);
    this.maintenance = setInterval(() => this.maintain(), this.heartbeatIntervalMillis);
    // Tracking must never keep the app's process alive.
    this.maintenance.unref();
    if (this.isReady()) this.schedule(0);
  }

  /** This exporter's id in the exporters hash of Redis. */
  get id(): string {
    return this.exporterId;
  }

  taskStarted(task: TrackedTask): void {
    if (this.isShutDown) {
      this.drop();
      return;
    }
    // Make room by dropping the oldest completed tasks; if only starts are left, this one is dropped.
    this.enforceBounds(1);
    if (this.starts.size + this.ends.length >= this.maxQueueSize || this.estimatedBytes() + this.averageTaskBytes > this.maxQueueBytes) {
      this.drop();
      return;
    }
    const now = Date.now();
    this.starts.set(task, now);
    this.schedule(Math.max(this.flushIntervalMillis, this.activeAfterMillis), now);
  }

  taskEnded(task: TrackedTask): void {
    if (this.cleaned.delete(task)) {
      this.counts.superseded++;
      return;
    }
    if (this.isShutDown) {
      this.drop();
      return;
    }
    // Most requests end before they were ever written as active: for them, no clock and no budget here.
    const activeId = this.active.get(task);
    if (activeId === undefined) {
      this.starts.delete(task);
      this.ends.push({ task, activeId: '' });
    } else {
      this.active.delete(task);
      // While the completed task waits for the list budget, the request still leaves processors with the next flush.
      const holding = this.isHoldingEnds(Date.now());
      if (holding) this.orphanRemovals.add(activeId);
      this.ends.push({ task, activeId: holding ? '' : activeId });
    }
    // Trimmed a slice at a time rather than at every end, since the budget needs the clock; a flush trims exactly.
    // While Redis is away the bounds below drop the oldest instead, counted and reported as lost.
    if (this.ends.length > 2 * this.listSlice && !this.down && !this.mustPublishAll()) this.trimQueuedEnds(Date.now());
    this.enforceBounds(0);
    // Completed tasks go out with the next interval, or at once when a batch of them can be written.
    if (this.ends.length >= this.batchSize() && !this.isHoldingEnds(Date.now())) this.schedule(0);
    else this.schedule(this.flushIntervalMillis);
  }

  getStats(): RedisTaskExporterStats {
    const queued = this.pendingEvents() + (this.retryBatch === undefined ? 0 : this.retryBatch.starts.length + this.retryBatch.completed);
    return { queued, queuedBytes: this.estimatedBytes(), ...this.counts };
  }

  async forceFlush(): Promise<void> {
    // Our connection does not keep the process alive; while someone waits for a flush, it must.
    this.background?.holdProcess();
    try {
      await this.flushQueued();
    } finally {
      if (!this.isShutDown) this.background?.releaseProcess();
    }
  }

  private async flushQueued(): Promise<void> {
    // Ends are trimmed lazily (see taskEnded): first drop what the list budget would not have kept.
    if (!this.down && !this.mustPublishAll()) this.trimQueuedEnds(Date.now());
    this.writeEverything = true;
    try {
      // Loop, because events may arrive while a flush is under way; give up after a few failed rounds.
      for (let round = 0; round < 100 && this.consecutiveFailures < 3 && (this.hasWork() || this.flushing !== undefined); round++) {
        if (this.flushing === undefined && !this.isReady() && !(await this.waitUntilReady(5_000))) return;
        await this.flush();
      }
    } finally {
      this.writeEverything = false;
    }
  }

  async shutdown(): Promise<void> {
    if (this.isShutDown) return;
    this.isShutDown = true;
    clearInterval(this.maintenance);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.consecutiveFailures = 0;
    await this.forceFlush();
    await this.flushing;
    await this.endActiveTasks();
    if (this.isReady() && this.orphanRemovals.size === 0 && this.active.size === 0) {
      await UNREGISTER_SCRIPT.run(
        this.client,
        [this.keys.exporters, this.keys.ownedTasks(this.exporterId)],
        [this.exporterId],
      ).catch(() => undefined);
    }
    this.report(true);
    this.client.off('ready', this.onReady);
    this.client.off('close', this.onDown);
    this.client.off('error', this.onDown);
    await this.background?.close();
  }

  private readonly onDown = (): void => {
    this.down = true;
  };

  private readonly onReady = (): void => {
    this.down = false;
    // Tell Redis at once that this exporter is back, and learn whether Redis lost or cleaned its tasks.
    this.heartbeatDue = true;
    this.consecutiveFailures = 0;
    if (!this.isShutDown) this.schedule(0);
  };

  private drop(): void {
    this.counts.dropped++;
    this.report(false);
  }

  private pendingEvents(): number {
    return this.starts.size + this.ends.length + this.orphanRemovals.size;
  }

  private hasWork(): boolean {
    return this.pendingEvents() > 0 || this.retryBatch !== undefined;
  }

  /** Work a flush can do now: completed tasks held for the next list period do not count. */
  private hasWorkNow(now: number): boolean {
    if (this.retryBatch !== undefined || this.orphanRemovals.size > 0) return true;
    if (this.ends.length > 0 && !this.isHoldingEnds(now)) return true;
    const oldest = this.oldestStart();
    return oldest !== undefined && this.isOldEnough(oldest, now);
  }

  /** When the oldest start still waiting was queued. */
  private oldestStart(): number | undefined {
    for (const queuedAt of this.starts.values()) return queuedAt;
    return undefined;
  }

  /**
   * A request is written to processors only once it has run activeAfterMillis:
   * most requests end sooner and are written once, as completed, which is
   * what keeps tracking cheap when a busy server has many in flight.
   */
  private isOldEnough(queuedAt: number, now: number): boolean {
    return this.writeEverything || now - queuedAt >= this.activeAfterMillis;
  }

  /**
   * Completed tasks wait while nobody subscribes and the list budget cannot
   * take a slice of them yet (see completedListRefreshMillis).
   */
  private isHoldingEnds(now: number): boolean {
    return (
      this.completedListRefreshMillis > 0 &&
      !this.writeEverything &&
      !this.mustPublishAll() &&
      this.listBudgetNow(now) < Math.min(this.listSlice, Math.max(1, this.ends.length))
    );
  }

  /** The list budget refilled up to `now`, not yet stored. */
  private listBudgetNow(now: number): number {
    if (this.completedListRefreshMillis === 0) return this.maxCompletedTasks;
    const refill = ((now - this.listBudgetAt) * this.maxCompletedTasks) / this.completedListRefreshMillis;
    return Math.min(this.maxCompletedTasks, this.listBudget + refill);
  }

  /** When the budget will take the next slice of held tasks (ms from now). */
  private millisUntilNextSlice(now: number): number {
    const missing = Math.min(this.listSlice, this.ends.length) - this.listBudgetNow(now);
    return Math.max(1, Math.ceil((missing * this.completedListRefreshMillis) / this.maxCompletedTasks));
  }

  private estimatedBytes(): number {
    return (this.starts.size + this.ends.length) * this.averageTaskBytes + (this.retryBatch?.bytes ?? 0);
  }

  /** Drops the oldest completed tasks while over the bounds, leaving room for `room` more events. */
  private enforceBounds(room: number): void {
    // While Redis is unreachable, only the newest maxCompletedTasks ends can matter: LTRIM would cut the rest.
    const maxEnds = this.down ? Math.min(this.maxQueueSize, this.maxCompletedTasks) : this.maxQueueSize;
    while (
      this.ends.length > 0 &&
      (this.ends.length > maxEnds ||
        this.starts.size + this.ends.length + room > this.maxQueueSize ||
        this.estimatedBytes() + room * this.averageTaskBytes > this.maxQueueBytes)
    ) {
      const oldest = this.ends.shift() as PendingEnd;
      if (oldest.activeId !== '') this.orphanRemovals.add(oldest.activeId);
      this.drop();
    }
  }

  /** The option if given, else as many tasks as fit in about TARGET_BATCH_BYTES, at most 1,000. */
  private batchSize(): number {
    return this.maxBatchSize ?? Math.max(1, Math.min(1_000, Math.floor(TARGET_BATCH_BYTES / this.averageTaskBytes)));
  }

  private schedule(delayMillis: number, now?: number): void {
    // Set no later than now with no longer a delay, the timer fires first anyway: no need for the clock.
    if (this.timer !== undefined && this.timerDelay <= delayMillis) return;
    const due = (now ?? Date.now()) + delayMillis;
    if (this.timer !== undefined) {
      if (due >= this.timerDue) return;
      clearTimeout(this.timer);
    }
    this.timerDue = due;
    this.timerDelay = delayMillis;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      this.timerDelay = Infinity;
      void this.flush();
    }, delayMillis);
    this.timer.unref();
  }

  private maintain(): void {
    if (this.isShutDown || !this.isReady()) return;
    if (Date.now() - this.lastWriteAt >= this.heartbeatIntervalMillis * 0.9) {
      this.heartbeatDue = true;
      this.schedule(0);
    }
    if (this.cleaner !== undefined && !this.cleaning) {
      this.cleaning = true;
      this.cleaner
        .clean(this.publishUpdates !== '0')
        .then((moved) => {
          this.counts.ghostsCleaned += moved;
        })
        .catch((error: unknown) => {
          this.lastError = error instanceof Error ? error.message : String(error);
        })
        .finally(() => {
          this.cleaning = false;
        });
    }
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
    while (this.isReady() && (this.hasWorkNow(Date.now()) || this.heartbeatDue)) {
      const batch = this.retryBatch ?? (await this.buildBatch());
      if (!(await this.send(batch))) {
        // Not ready: the 'ready' handler flushes again. Refused: try again after a backoff.
        if (this.isReady() && this.hasWork()) {
          this.schedule(Math.min(this.flushIntervalMillis * 2 ** this.consecutiveFailures, MAX_BACKOFF_MILLIS));
        }
        return;
      }
    }
    const now = Date.now();
    if (this.ends.length > 0 && this.isHoldingEnds(now)) {
      // Held completed tasks are written when the budget takes them, even if no other task comes.
      this.schedule(this.millisUntilNextSlice(now), now);
    }
    // Starts too young to write go out with a later flush; one timer per interval, not one per request.
    if (this.starts.size > 0) this.schedule(this.flushIntervalMillis, now);
  }

  /** Takes up to maxBatchSize events, removals first, then ends, then starts; encodes them in short slices. */
  private async buildBatch(): Promise<Batch> {
    this.heartbeatDue = false;
    const seq = ++this.seq;
    const now = Date.now();
    if (!this.mustPublishAll()) this.trimQueuedEnds(now);
    const batchSize = this.batchSize();
    // The budget holds across batches: encoding a batch yields to the event loop, so on a busy server the
    // next batch would otherwise carry another list's worth.
    const unlimited = this.writeEverything || this.mustPublishAll() || this.completedListRefreshMillis === 0;
    const budget = this.listBudgetNow(now);
    const endLimit = unlimited ? batchSize : Math.min(batchSize, Math.floor(budget));
    const endEntries = endLimit > 0 ? this.ends.take(endLimit) : [];
    this.listBudget = Math.max(0, budget - endEntries.length);
    this.listBudgetAt = now;
    if (this.isHoldingEnds(now)) {
      // Ended requests that were active leave processors now; their completed task follows later.
      this.ends.forEach((end) => {
        if (end.activeId !== '') this.orphanRemovals.add(end.activeId);
        end.activeId = '';
      });
    }
    const removals = [...this.orphanRemovals];
    this.orphanRemovals.clear();
    const starts: Array<[string, TrackedTask]> = [];
    for (const [task, queuedAt] of this.starts) {
      // Queued in order: once one is too young, so are the rest.
      if (starts.length + endEntries.length >= batchSize || !this.isOldEnough(queuedAt, now)) break;
      starts.push([task.processorId, task]);
    }
    for (const [id, task] of starts) {
      this.starts.delete(task);
      // Counted as active from now on, so an end arriving while this batch is on its way removes it.
      this.active.set(task, id);
    }

    const startArgs: string[] = [];
    const endArgs: string[] = [];
    const written: Array<[string, TrackedTask]> = [];
    let bytes = 0;
    let encodedTasks = 0;
    let completed = 0;
    let sliceStart = performance.now();
    const pause = async (index: number): Promise<void> => {
      if ((index & 7) === 7 && performance.now() - sliceStart > SLICE_MILLIS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    };
    for (let i = 0; i < starts.length; i++) {
      const [id, task] = starts[i];
      if (!this.active.has(task)) continue; // ended while this batch was being built
      const json = this.encode(task);
      if (json === undefined) {
        this.active.delete(task);
      } else {
        startArgs.push(id, json);
        written.push([id, task]);
        bytes += json.length;
        encodedTasks++;
      }
      await pause(i);
    }
    for (const id of removals) endArgs.push(id, '');
    for (let i = 0; i < endEntries.length; i++) {
      const { task, activeId } = endEntries[i];
      const json = this.encode(task) ?? '';
      if (json !== '') {
        completed++;
        bytes += json.length;
        encodedTasks++;
      }
      if (json !== '' || activeId !== '') endArgs.push(activeId, json);
      await pause(i);
    }
    if (encodedTasks > 0) this.averageTaskBytes = Math.round(0.8 * this.averageTaskBytes + 0.2 * (bytes / encodedTasks));

    const args = [
      this.keys.taskUpdates,
      this.exporterId,
      String(seq),
      String(this.deadAfterMillis),
      String(this.maxCompletedTasks),
      this.publishUpdates,
      this.hostName,
      String(process.pid),
      startArgs.join('\n'),
      endArgs.join('\n'),
    ];
    const removed = endArgs.filter((value, index) => index % 2 === 0 && value !== '');
    return { seq, args, starts: written, removals: removed, completed, bytes, attempts: 0, firstSentAt: Date.now() };
  }

  /** Sends a batch; resolves to true when Redis applied it (now or on an earlier send). */
  private async send(batch: Batch): Promise<boolean> {
    if (batch.attempts > 0) this.counts.retried++;
    batch.attempts++;
    let reply: unknown;
    try {
      reply = await WRITE_BATCH_SCRIPT.run(
        this.client,
        [this.keys.processors, this.keys.pastTasks, this.keys.exporters, this.keys.ownedTasks(this.exporterId)],
        batch.args,
      );
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.consecutiveFailures++;
      const unknownOutcome = !isFinalReplyError(error);
      if (unknownOutcome && batch.attempts < MAX_ATTEMPTS && Date.now() - batch.firstSentAt < MAX_RETRY_MILLIS) {
        // The batch may have been applied with its reply lost: send the very same batch again; its sequence
        // number makes Redis skip it if so.
        this.retryBatch = batch;
        if (this.background !== undefined && /timed out/i.test(this.lastError)) {
          // A server that does not answer (frozen, overloaded) would otherwise collect every retry in the socket.
          this.client.disconnect(true);
        }
      } else {
        this.giveUp(batch);
      }
      this.report(false);
      return false;
    }
    this.retryBatch = undefined;
    this.consecutiveFailures = 0;
    this.lastWriteAt = Date.now();
    const [applied, state, superseded, subscribers] = (Array.isArray(reply) ? reply : []).map(Number);
    if (subscribers >= 0) this.subscribers = subscribers;
    if (applied === 0) this.counts.duplicates++;
    this.counts.writtenActive += batch.starts.length;
    this.counts.writtenCompleted += batch.completed - (superseded || 0);
    this.counts.superseded += superseded || 0;
    const justStarted = new Set(batch.starts.map(([, task]) => task));
    if (state === 2) {
      // A cleaner took this process for dead and moved its active tasks: their ends must not be pushed again.
      for (const task of this.active.keys()) {
        if (!justStarted.has(task)) {
          this.active.delete(task);
          this.cleaned.add(task);
        }
      }
      diag.warn(`otel-top: tasks of this process were cleaned up as dead on ${this.description}; was it blocked for long?`);
    } else if (state === 1 && this.registered) {
      // Redis lost its data (restart without persistence, FLUSHALL): write the requests still running again.
      for (const task of this.active.keys()) {
        if (!justStarted.has(task)) this.starts.set(task, 0);
      }
    }
    this.registered = true;
    return true;
  }

  /** Every completed task must be encoded while its update may be published. */
  private mustPublishAll(): boolean {
    return this.publishUpdates === '1' || (this.publishUpdates === 'auto' && this.subscribers !== 0);
  }

  /**
   * Under load more completed tasks wait than can be written: no more than
   * `past_tasks` keeps, and while the list budget is spent, no more than the
   * next slice. Older ones are not encoded or sent at all (their removal from
   * `processors` still is). This is what keeps the writer's cost flat as
   * traffic grows.
   */
  private trimQueuedEnds(now: number): void {
    const keep =
      this.writeEverything || this.completedListRefreshMillis === 0
        ? this.maxCompletedTasks
        : Math.max(this.listSlice, Math.floor(this.listBudgetNow(now)));
    while (this.ends.length > keep) {
      const oldest = this.ends.shift() as PendingEnd;
      if (oldest.activeId !== '') this.orphanRemovals.add(oldest.activeId);
      this.counts.trimmed++;
    }
  }

  /** The outcome stays unknown or Redis refused the batch: count it, and keep what a later batch must still do. */
  private giveUp(batch: Batch): void {
    this.retryBatch = undefined;
    this.counts.failed += batch.starts.length + batch.completed;
    // Still running: write them again later (they stay counted as maybe active, so their end removes them).
    for (const [, task] of batch.starts) {
      if (this.active.has(task)) this.starts.set(task, 0);
    }
    for (const id of batch.removals) this.orphanRemovals.add(id);
  }

  private encode(task: TrackedTask): string | undefined {
    try {
      return encodeTask(task.snapshot(), this.maxTaskBytes);
    } catch (error) {
      if (this.counts.errors++ === 0) diag.error('otel-top: a task could not be built; it is skipped', error);
      return undefined;
    }
  }

  /** At shutdown, requests still in flight leave `processors` as ended without a recorded result. */
  private async endActiveTasks(): Promise<void> {
    if (this.active.size === 0 || !this.isReady()) return;
    const now = new Date();
    for (const [task, id] of this.active) {
      this.ends.push({
        activeId: id,
        task: {
          processorId: id,
          snapshot: () => {
            const snapshot = task.snapshot();
            snapshot.endedAt = now;
            snapshot.updatedAt = now;
            snapshot.recordedSuccessfully = false;
            return snapshot;
          },
        },
      });
    }
    this.active.clear();
    this.starts.clear();
    await this.forceFlush();
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
      `otel-top: ${dropped} task events dropped (queue bounds: ${this.maxQueueSize} events, ${this.maxQueueBytes} bytes) ` +
        `and ${failed} task writes failed on ${this.description}` +
        `${this.lastError === '' ? '' : ` (last error: ${this.lastError})`}; the app is not affected`,
    );
  }
}
