import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { diag } from '@opentelemetry/api';
import {
  CounterHistory,
  encodeProcessRecord,
  LiveCounters,
  outcomeSecond,
  ProcessHealth,
  processTraffic,
  SecondCounts,
  secondTotal,
  InFlightTasks,
  TaskExporter,
  TrackedTask,
  TrackingTableKeys,
  trackingTableKeys,
  TRAFFIC_WINDOW_NAMES,
  TRAFFIC_WINDOWS,
  ProcessTraffic,
  TrafficWindowName,
  totalFigures,
} from '@otel-top/model';
import { AlignedTimer } from './aligned-timer';
import { BackgroundRedisClient } from './background-redis-client';
import { Batch, BatchBuilder, BatchHeader } from './batch-builder';
import { ExporterOptions, PublishMode, resolveExporterOptions } from './exporter-options';
import { GhostCleaner } from './ghost-cleaner';
import { ListBudget } from './list-budget';
import { LossReporter } from './loss-reporter';
import { PendingEvents } from './pending-events';
import { redactUrl, resolveTrackerUrl } from './redis-connection';
import { UNREGISTER_SCRIPT } from './tracker-scripts';
import type { RedisClient, RedisTaskExporterConfig, RedisTaskExporterStats } from './types';
import { untraced } from './untraced';
import { writeBatch } from './write-batch';

/**
 * Aim for batches of about this many bytes: ioredis turns a command into
 * bytes in one synchronous step, about 12 ms per MiB on a busy machine.
 */
const TARGET_BATCH_BYTES = 64 * 1024;
const MAX_BATCH_EVENTS = 1_000;
/** A batch whose outcome stays unknown is given up after this many sends or this long. */
const MAX_ATTEMPTS = 5;
const MAX_RETRY_MILLIS = 30_000;
const MAX_BACKOFF_MILLIS = 5_000;
/** The cleaner's lease lasts this many heartbeats: when its holder dies, another takes over that much later. */
const CLEANER_LEASE_HEARTBEATS = 3;

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

/** ioredis failed the command because its connection closed (killed, restarted, reset): nothing about the batch itself. */
function isConnectionClosed(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('Connection is closed');
}

/**
 * Writes task lifecycles to the Redis tracking table (docs/wire-format.md) in
 * batches, off the request path: one round trip per flush, a Lua script that
 * applies the starts (HSET into `processors`) and the ends (HDEL, LPUSH and
 * LTRIM of `past_tasks`) atomically and at most once, so a batch retried after
 * a lost reply is not written twice. A task that starts and ends within one
 * flush is written once, as completed. About once a second a flush also adds
 * the live counters (every request, per task name) to Redis, and each flush
 * publishes one message of what it wrote for viewers.
 *
 * Its parts: PendingEvents holds what waits and its bounds, ListBudget says
 * how many completed tasks are worth writing, BatchBuilder takes and encodes
 * a batch, writeBatch runs the script, LossReporter says what was lost. This
 * class decides when to flush and what to do with the answer.
 */
export class RedisTaskExporter implements TaskExporter {
  private readonly options: ExporterOptions;
  private readonly client: RedisClient;
  /** Our own connection, which never keeps the app's process alive; undefined for a given client. */
  private readonly background: BackgroundRedisClient | undefined;
  private readonly description: string;
  private readonly keys: TrackingTableKeys;
  private readonly exporterId: string;
  private readonly hostName = hostname().slice(0, 256);
  private readonly publishTaskUpdates: PublishMode;
  private readonly publishBatches: PublishMode;
  private readonly cleaner: GhostCleaner | undefined;
  private readonly pending: PendingEvents;
  private readonly budget: ListBudget;
  /**
   * No list budget, and past_tasks keeps at least what the queue holds: every
   * completed task queued is written, so it is encoded at its end.
   */
  private readonly writesEveryEnd: boolean;
  private readonly builder: BatchBuilder;
  private readonly losses: LossReporter;
  private readonly counters: LiveCounters;
  /** This process's own totals per second, for the traffic figures of its health record. */
  private readonly ownTraffic = new CounterHistory();
  private readonly health = ProcessHealth.shared();
  private readonly startedAt = new Date();
  private lastHealthAt = 0;

  private retryBatch: Batch | undefined;
  private seq = 0;
  private registered = false;
  /** The connection failed or closed and is not back yet (not merely still connecting at start). */
  private down = false;
  private heartbeatDue = true;
  private lastWriteAt = 0;
  private lastCountersAt = 0;
  private consecutiveFailures = 0;
  /** forceFlush and shutdown write everything queued, however young or held. */
  private writeEverything = false;

  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private timerDelay = Infinity;
  private readonly maintenance: AlignedTimer;
  private cleaning = false;
  /** This exporter holds the cleaner's lease, as its latest batch said. */
  private cleanerLease = false;
  private flushing: Promise<void> | undefined;
  private isShutDown = false;
  private readonly counts = {
    writtenActive: 0,
    writtenCompleted: 0,
    rewritten: 0,
    dropped: 0,
    failed: 0,
    retried: 0,
    duplicates: 0,
    superseded: 0,
    ghostsCleaned: 0,
    trimmed: 0,
    counted: 0,
    counterWrites: 0,
  };
  /** Requests that could not be counted; with the builder's errors, the `errors` stat. */
  private countErrors = 0;
  /** Subscribers of task_updates as Redis last reported them; -1 until known. */
  private subscribers = -1;

  constructor(config: RedisTaskExporterConfig = {}) {
    this.options = resolveExporterOptions(config);
    const options = this.options;
    this.keys = trackingTableKeys(config.keyPrefix);
    this.exporterId = `${this.hostName.slice(0, 64)}:${process.pid}:${randomBytes(4).toString('hex')}`;

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
        commandTimeout: options.commandTimeoutMillis,
      });
      this.client = this.background.client;
      this.description = redactUrl(url);
    }
    if (this.client.isCluster) {
      if (!/\{[^}]+\}/.test(config.keyPrefix ?? '')) {
        throw new TypeError(
          "otel-top: with Redis Cluster, keyPrefix needs a hash tag such as '{otel-top}:' so the tracking table stays in one slot",
        );
      }
      // PUBSUB NUMSUB counts only one node's subscribers in a cluster.
      this.publishTaskUpdates = options.publishUpdates === false ? '0' : '1';
      this.publishBatches = '1';
    } else {
      this.publishTaskUpdates = options.publishUpdates === 'auto' ? 'auto' : options.publishUpdates ? '1' : '0';
      this.publishBatches = 'auto';
    }
    this.cleaner = options.cleanGhosts ? new GhostCleaner(this.client, this.keys, options.maxCompletedTasks) : undefined;
    this.pending = new PendingEvents({
      maxQueueSize: options.maxQueueSize,
      maxQueueBytes: options.maxQueueBytes,
      maxEndsWhileDown: options.maxCompletedTasks,
    });
    this.budget = new ListBudget(options.maxCompletedTasks, options.completedListRefreshMillis);
    this.writesEveryEnd = !this.budget.limited && options.maxCompletedTasks >= options.maxQueueSize;
    this.builder = new BatchBuilder(this.pending, this.budget, options.maxTaskBytes);
    this.losses = new LossReporter(options.reportIntervalMillis, `${options.maxQueueSize} events, ${options.maxQueueBytes} bytes`, this.description);
    this.counters = new LiveCounters(options.maxCountedNames);

    this.client.on('ready', this.onReady);
    this.client.on('close', this.onDown);
    this.client.on('error', this.onDown);
    // Untraced when it runs, not when it is made: the SDK (and its context manager) is mostly registered only
    // after its span processors, this exporter among them, were made.
    this.maintenance = new AlignedTimer(options.heartbeatIntervalMillis, () => untraced(() => this.maintain()));
    this.maintenance.start();
    if (this.isReady()) this.schedule(0);
    this.background?.connectSoon();
  }

  /** This exporter's id in the exporters hash of Redis. */
  get id(): string {
    return this.exporterId;
  }

  readInFlightFrom(tasks: InFlightTasks): void {
    this.pending.readFrom(tasks);
  }

  taskStarted(task: TrackedTask): void {
    if (this.isShutDown) {
      this.drop(1);
      return;
    }
    const delay = Math.max(this.options.flushIntervalMillis, this.options.activeAfterMillis);
    // In the tracker's list already: the batch reads it from there; only make sure a flush comes.
    if (this.pending.readsStartOf(task)) {
      this.schedule(delay);
      return;
    }
    const now = Date.now();
    const { queued, dropped } = this.pending.start(task, now, this.down, this.retryBytes());
    this.drop(dropped + (queued ? 0 : 1));
    if (queued) this.schedule(delay, now);
  }

  taskEnded(task: TrackedTask): void {
    this.count(task);
    if (this.isShutDown) {
      this.drop(1);
      return;
    }
    // Most requests end before they were ever written as active: for them, no clock and no budget here.
    const end = this.pending.end(task, this.holdingNow);
    if (end === undefined) {
      this.counts.superseded++;
      return;
    }
    // Held as JSON rather than as a span while it waits; not while Redis is away, when the oldest are dropped.
    if (this.writesEveryEnd && !this.down) this.builder.encodeAtEnd(end);
    const ends = this.pending.ends.length;
    // Trimmed a slice at a time rather than at every end, since the budget needs the clock; a flush trims exactly.
    // While Redis is away the bounds below drop the oldest instead, counted and reported as lost.
    if (ends > 2 * this.budget.slice && !this.down && !this.mustPublishAll()) this.trimQueuedEnds(Date.now());
    this.drop(this.pending.enforceBounds(0, this.down, this.retryBytes()));
    // Completed tasks go out with the next interval, or at once when a batch of them can be written.
    if (this.pending.ends.length >= this.batchSize() && !this.isHoldingEnds(Date.now())) this.schedule(0);
    else this.schedule(this.options.flushIntervalMillis);
  }

  taskUpdated(task: TrackedTask): void {
    if (!this.isShutDown && this.pending.update(task)) this.schedule(this.options.flushIntervalMillis);
  }

  getStats(): RedisTaskExporterStats {
    const retry = this.retryBatch === undefined ? 0 : this.retryBatch.written.length + this.retryBatch.completed;
    // Copied, not spread with keys around it: V8 takes a slow path for that, and callers poll this.
    const queued = this.pending.length + retry;
    const queuedBytes = this.pending.estimatedBytes(this.retryBytes());
    return Object.assign({ queued, queuedBytes, errors: this.builder.errorCount + this.countErrors }, this.counts);
  }

  forceFlush(): Promise<void> {
    return untraced(async () => {
      // Our connection does not keep the process alive; while someone waits for a flush, it must.
      this.background?.holdProcess();
      try {
        await this.flushQueued();
      } finally {
        if (!this.isShutDown) this.background?.releaseProcess();
      }
    });
  }

  shutdown(): Promise<void> {
    return untraced(async () => {
      if (this.isShutDown) return;
      this.isShutDown = true;
      // Requests starting from now on are not written; those in flight still are, by the flush below.
      this.pending.detachSource();
      this.maintenance.stop();
      this.health.stop();
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.consecutiveFailures = 0;
      await this.forceFlush();
      await this.flushing;
      await this.endActiveTasks();
      if (this.isReady() && this.pending.orphanRemovals.size === 0 && this.pending.active.size === 0) {
        const keys = this.keys;
        await UNREGISTER_SCRIPT.run(
          this.client,
          [keys.exporters, keys.ownedTasks(this.exporterId), keys.processes, keys.deadlines, keys.cleanerLease],
          [this.exporterId],
        ).catch(
          () => undefined,
        );
      }
      this.report(true);
      this.client.off('ready', this.onReady);
      this.client.off('close', this.onDown);
      this.client.off('error', this.onDown);
      await this.background?.close();
    });
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

  /** Made once: an end of a request that was active asks it, and a closure per end would be garbage. */
  private readonly holdingNow = (): boolean => this.isHoldingEnds(Date.now());

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

  /** Counts the request for the live counters; a failure here must not keep it from being written. */
  private count(task: TrackedTask): void {
    try {
      const outcome = task.outcome();
      this.counters.record(outcome, outcomeSecond(outcome));
      this.counts.counted++;
    } catch (error) {
      if (this.countErrors++ === 0) diag.error('otel-top: a request could not be counted; it is skipped', error);
    }
  }

  private drop(count: number): void {
    if (count === 0) return;
    this.counts.dropped += count;
    this.report(false);
  }

  private report(force: boolean): void {
    this.losses.report({ dropped: this.counts.dropped, failed: this.counts.failed }, force);
  }

  private retryBytes(): number {
    return this.retryBatch?.bytes ?? 0;
  }

  private hasWork(): boolean {
    return this.pending.length > 0 || this.pending.hasStarts || this.pending.rewrites.size > 0 || this.retryBatch !== undefined || this.counters.hasBefore(Infinity);
  }

  /** Work a flush can do now: completed tasks held for the next list period do not count, nor seconds not over. */
  private hasWorkNow(now: number): boolean {
    const { pending } = this;
    if (this.retryBatch !== undefined || pending.orphanRemovals.size > 0 || pending.rewrites.size > 0) return true;
    if (pending.ends.length > 0 && !this.isHoldingEnds(now)) return true;
    if (this.countersDue(now)) return true;
    const oldest = pending.oldestStart();
    return oldest !== undefined && (this.writeEverything || now - oldest >= this.options.activeAfterMillis);
  }

  /** Seconds of counts that are over wait, and the last counters went out an interval ago (or a flush must write all). */
  private countersDue(now: number): boolean {
    const second = this.writeEverything ? Infinity : Math.floor(now / 1000);
    if (!this.counters.hasBefore(second)) return false;
    return this.writeEverything || now - this.lastCountersAt >= this.options.countersIntervalMillis;
  }

  /**
   * Completed tasks wait while nobody subscribes and the list budget cannot
   * take a slice of them yet (see completedListRefreshMillis).
   */
  private isHoldingEnds(now: number): boolean {
    return !this.writeEverything && !this.mustPublishAll() && this.budget.holds(this.pending.ends.length, now);
  }

  /** The option if given, else as many tasks as fit in about TARGET_BATCH_BYTES, at most 1,000. */
  private batchSize(): number {
    return (
      this.options.maxBatchSize ??
      Math.max(1, Math.min(MAX_BATCH_EVENTS, Math.floor(TARGET_BATCH_BYTES / this.pending.averageTaskBytes)))
    );
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
    // A flush scheduled from a request would otherwise run in that request's context, and be traced.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      this.timerDelay = Infinity;
      void untraced(() => this.flush());
    }, delayMillis);
    this.timer.unref();
  }

  private maintain(): void {
    if (this.isShutDown || !this.isReady()) return;
    if (Date.now() - this.lastWriteAt >= this.options.heartbeatIntervalMillis * 0.9) {
      this.heartbeatDue = true;
      this.schedule(0);
    }
    // One cleaner for the whole fleet, elected by a lease every batch takes or renews: each exporter
    // looking at every other one would cost the square of the fleet.
    if (this.cleaner !== undefined && this.cleanerLease && !this.cleaning) {
      this.cleaning = true;
      this.cleaner
        .clean(this.publishTaskUpdates !== '0')
        .then((moved) => {
          this.counts.ghostsCleaned += moved;
        })
        .catch((error: unknown) => {
          this.losses.lastError = error instanceof Error ? error.message : String(error);
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
          this.schedule(Math.min(this.options.flushIntervalMillis * 2 ** this.consecutiveFailures, MAX_BACKOFF_MILLIS));
        }
        return;
      }
    }
    const now = Date.now();
    const { pending } = this;
    if (pending.ends.length > 0 && this.isHoldingEnds(now)) {
      // Held completed tasks are written when the budget takes them, even if no other task comes.
      this.schedule(this.budget.millisUntilSlice(pending.ends.length, now), now);
    }
    // Starts too young to write go out with a later flush; one timer per interval, not one per request.
    if (pending.hasStarts) this.schedule(this.options.flushIntervalMillis, now);
    // Counts of the second under way go out once it is over.
    if (this.counters.hasBefore(Infinity)) {
      const nextSecond = (Math.floor(now / 1000) + 1) * 1000;
      this.schedule(Math.max(nextSecond - now, this.lastCountersAt + this.options.countersIntervalMillis - now, 1), now);
    }
  }

  private async buildBatch(): Promise<Batch> {
    this.heartbeatDue = false;
    const now = Date.now();
    if (!this.mustPublishAll()) this.trimQueuedEnds(now);
    let counters: SecondCounts[] = [];
    if (this.countersDue(now)) {
      counters = this.counters.takeBefore(this.writeEverything ? Infinity : Math.floor(now / 1000));
      this.lastCountersAt = now;
      for (const counts of counters) this.ownTraffic.add(secondTotal(counts));
    }
    let processRecord = '';
    if (now - this.lastHealthAt >= this.options.heartbeatIntervalMillis * 0.9) {
      // Measured in the check phase: after a callback that blocked the loop, the timers that were due run
      // in one phase, this flush's perhaps before the event-loop delay monitor's, which records the block.
      await new Promise<void>((resolve) => setImmediate(resolve));
      processRecord = this.processRecord(Date.now());
      this.lastHealthAt = now;
    }
    return this.builder.build(this.batchHeader(), {
      seq: ++this.seq,
      now,
      size: this.batchSize(),
      unlimited: this.writeEverything || this.mustPublishAll() || !this.budget.limited,
      everything: this.writeEverything,
      activeAfterMillis: this.options.activeAfterMillis,
      maxRewrites: this.options.maxRewritesPerFlush,
      counters,
      processRecord,
    });
  }

  /** This process's health and traffic as its heartbeat record: measured here, once per heartbeat. */
  private processRecord(now: number): string {
    const lastSecond = Math.floor(now / 1000) - 1;
    const traffic = {} as Record<TrafficWindowName, ProcessTraffic>;
    for (const window of TRAFFIC_WINDOW_NAMES) {
      traffic[window] = processTraffic(totalFigures(this.ownTraffic.window(TRAFFIC_WINDOWS[window], lastSecond)));
    }
    const stats = this.getStats();
    return encodeProcessRecord({
      host: this.hostName,
      pid: process.pid,
      service: this.builder.service?.name ?? null,
      serviceVersion: this.builder.service?.version ?? null,
      nodeVersion: process.version,
      startedAt: this.startedAt,
      heartbeatIntervalMillis: this.options.heartbeatIntervalMillis,
      deadAfterMillis: this.options.deadAfterMillis,
      inFlight: this.pending.inFlight,
      traffic,
      ...this.health.sample(this.options.heartbeatIntervalMillis / 2),
      tracking: { queued: stats.queued, dropped: stats.dropped, failed: stats.failed, trimmed: stats.trimmed },
      seen: undefined,
    });
  }

  private batchHeader(): BatchHeader {
    return {
      exporterId: this.exporterId,
      deadAfterMillis: this.options.deadAfterMillis,
      maxCompletedTasks: this.options.maxCompletedTasks,
      publishTaskUpdates: this.publishTaskUpdates,
      publishBatch: this.publishBatches,
      hostName: this.hostName,
      pid: process.pid,
      cleanerLeaseMillis: this.cleaner === undefined ? 0 : CLEANER_LEASE_HEARTBEATS * this.options.heartbeatIntervalMillis,
    };
  }

  /** Sends a batch; resolves to true when Redis applied it (now or on an earlier send). */
  private async send(batch: Batch): Promise<boolean> {
    if (batch.attempts > 0) this.counts.retried++;
    batch.attempts++;
    let reply;
    try {
      reply = await writeBatch(this.client, this.keys, batch.request);
    } catch (error) {
      this.losses.lastError = error instanceof Error ? error.message : String(error);
      this.consecutiveFailures++;
      const unknownOutcome = !isFinalReplyError(error);
      // Connections closed again and again bound the retries by time alone: the batch may have been applied.
      const attemptsLeft = batch.attempts < MAX_ATTEMPTS || isConnectionClosed(error);
      if (unknownOutcome && attemptsLeft && Date.now() - batch.firstSentAt < MAX_RETRY_MILLIS) {
        // The batch may have been applied with its reply lost: send the very same batch again; its sequence
        // number makes Redis skip it if so.
        this.retryBatch = batch;
        if (this.background !== undefined && /timed out/i.test(this.losses.lastError)) {
          // A server that does not answer (frozen, overloaded) would otherwise collect every retry in the socket.
          this.client.disconnect(true);
        }
      } else {
        this.giveUp(batch, !unknownOutcome);
      }
      this.report(false);
      return false;
    }
    this.retryBatch = undefined;
    this.consecutiveFailures = 0;
    this.lastWriteAt = Date.now();
    if (reply.taskUpdateSubscribers !== undefined) this.subscribers = reply.taskUpdateSubscribers;
    if (reply.applied) this.cleanerLease = reply.cleaner;
    if (!reply.applied) this.counts.duplicates++;
    if (batch.request.counters.length > 0 && reply.applied) this.counts.counterWrites++;
    this.counts.writtenActive += batch.written.length - batch.rewritten;
    this.counts.rewritten += batch.rewritten;
    this.counts.writtenCompleted += batch.completed - reply.superseded;
    this.counts.superseded += reply.superseded;
    const justWritten = new Set(batch.written.map(([, task]) => task));
    if (reply.registration === 'cleaned') {
      // A cleaner took this process for dead and moved its active tasks: their ends must not be pushed again.
      this.pending.markActiveCleaned(justWritten);
      diag.warn(`otel-top: tasks of this process were cleaned up as dead on ${this.description}; was it blocked for long?`);
    } else if (reply.registration === 'unknown' && this.registered) {
      // Redis lost its data (restart without persistence, FLUSHALL): write the requests still running again.
      this.pending.requeueActive([...this.pending.active.keys()].filter((task) => !justWritten.has(task)));
    }
    this.registered = true;
    return true;
  }

  /** Every completed task must be encoded while its update may be published on task_updates. */
  private mustPublishAll(): boolean {
    return this.publishTaskUpdates === '1' || (this.publishTaskUpdates === 'auto' && this.subscribers !== 0);
  }

  /**
   * Under load more completed tasks wait than can be written: no more than
   * `past_tasks` keeps, and while the list budget is spent, no more than the
   * next slice. Older ones are not encoded or sent at all (their removal from
   * `processors` still is). This is what keeps the writer's cost flat as
   * traffic grows.
   */
  private trimQueuedEnds(now: number): void {
    const keep = this.writeEverything ? this.options.maxCompletedTasks : this.budget.worthKeeping(now);
    this.counts.trimmed += this.pending.trimEnds(keep);
  }

  /** The outcome stays unknown or Redis refused the batch: count it, and keep what a later batch must still do. */
  private giveUp(batch: Batch, refused: boolean): void {
    this.retryBatch = undefined;
    this.counts.failed += batch.written.length + batch.completed;
    // Still running: write them again later (they stay counted as maybe active, so their end removes them).
    this.pending.requeueActive(batch.written.map(([, task]) => task));
    for (const id of batch.removals) this.pending.orphanRemovals.add(id);
    // Counts are sums Redis adds to: a refused batch's go with the next one. Of a batch that may have been
    // applied they are lost rather than maybe counted twice.
    if (refused) this.counters.putBack(batch.request.counters);
  }

  /** At shutdown, requests still in flight leave `processors` as ended without a recorded result. */
  private async endActiveTasks(): Promise<void> {
    if (this.pending.active.size === 0 || !this.isReady()) return;
    const now = new Date();
    for (const [task, id] of this.pending.takeActiveAtShutdown()) {
      this.pending.ends.push({
        activeId: id,
        json: '',
        task: {
          processorId: id,
          snapshot: () => {
            const snapshot = task.snapshot();
            snapshot.endedAt = now;
            snapshot.updatedAt = now;
            snapshot.recordedSuccessfully = false;
            return snapshot;
          },
          outcome: () => task.outcome(),
        },
      });
    }
    await this.forceFlush();
  }
}
