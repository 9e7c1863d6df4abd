import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Cluster, Redis } from 'ioredis';
import {
  ActivePage,
  addCounterFields,
  compareText,
  decodeProcessRecord,
  HTTPTask,
  lastCompleteSecond,
  maxCompletedTasks,
  positiveInteger,
  ProcessFigures,
  processState,
  RequestCounts,
  SubscribeOptions,
  TaskReader,
  TaskUpdate,
  TaskUpdateListener,
  TrackingTableKeys,
  trackingTableKeys,
  TRAFFIC_WINDOWS,
  trafficReport,
  TrafficReport,
  TrafficWindowName,
  WindowCounts,
  windowSlots,
} from '@otel-top/model';
import { GhostCleaner } from './ghost-cleaner';
import { createRedisClient, resolveTrackerUrl } from './redis-connection';
import type { RedisClient, RedisTaskReaderConfig, SkippedRecords } from './types';
import { untraced } from './untraced';
import { UpdateBatch } from './update-batch';

/** Most completed tasks read when no limit is given: a list nobody trims must not hang a viewer. */
const DEFAULT_COMPLETED_LIMIT = 10_000;
/** A viewer refreshing often looks for dead exporters at most this often, when it holds the cleaner's lease. */
const CLEAN_INTERVAL_MILLIS = 1_000;
const CLEANER_LEASE_MILLIS = 3 * CLEAN_INTERVAL_MILLIS;
/** A table this small is read whole by getActiveTasksPage: it costs less than the index's round trips. */
const FULL_READ_LIMIT = 10_000;
/** Fields of a large table scanned per page read for tasks not in the index, and most such tasks remembered. */
const SCAN_SLICE = 2_000;
const MAX_UNINDEXED = 1_000;
/** An update message is the tasks of one flush: a few hundred of them at most, unless a writer misbehaves. */
const MAX_UPDATE_BYTES = 64 * 1024 * 1024;

function isWrongType(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('WRONGTYPE');
}

/**
 * A hash as HGETALL sends it, field and value in turn (read with `call`, so
 * that ioredis builds no object of it: a fleet's hashes hold thousands of
 * fields, read every refresh). Anything else, an error among it, reads as empty.
 */
function hashReply([error, reply]: [Error | null, unknown]): unknown[] {
  return error === null && Array.isArray(reply) ? reply : [];
}

/**
 * Reads the tracking table, whoever wrote it (this project or the Python Top
 * Framework): one round trip per key, and the live counters in one round
 * trip per window. A record that does not decode, is too large, or sits in a
 * key of the wrong type is skipped and counted in `skipped`, never thrown.
 * Unless told not to, it also cleans up the active tasks of exporters whose
 * process died, so a lone viewer shows no ghosts. Its Redis commands are
 * never traced.
 */
export class RedisTaskReader implements TaskReader {
  private readonly client: RedisClient;
  private readonly ownsClient: boolean;
  private readonly keys: TrackingTableKeys;
  private readonly maxRecordBytes: number;
  /** Length of `past_tasks`. */
  private readonly maxCompleted: number;
  private readonly cleaner: GhostCleaner | undefined;
  private cleaningDisabled = false;
  /** Its id for the cleaner's lease, as an exporter's. */
  private readonly cleanerId = `${hostname().slice(0, 64)}:${process.pid}:reader-${randomBytes(4).toString('hex')}`;
  private lastCleanAt = 0;
  private readonly subscribers = new Set<RedisClient>();
  /** The timers of subscriptions that take their updates in batches. */
  private readonly batchTimers = new Set<NodeJS.Timeout>();
  private readonly skippedCounts = { active: 0, completed: 0, updates: 0, activeKey: 0, completedKey: 0 };
  /** The previous read's active records and their tasks, by processors field. */
  private previousActive = new Map<string, { record: Buffer; task: HTTPTask }>();
  /** Tasks of writers that keep no index, found by the scan of a large table; and where the scan is. */
  private readonly unindexed = new Set<string>();
  private scanCursor = '0';

  constructor(config: RedisTaskReaderConfig = {}) {
    this.keys = trackingTableKeys(config.keyPrefix);
    this.maxRecordBytes = positiveInteger(config.maxRecordBytes, 'maxRecordBytes', 1024 * 1024);
    if (config.client !== undefined) {
      this.client = config.client;
      this.ownsClient = false;
    } else {
      this.client = untraced(() => createRedisClient(resolveTrackerUrl(config.url), {
        maxRetriesPerRequest: 1,
        connectionName: 'otel-top-reader',
        ...(config.tls === undefined ? {} : { tls: config.tls }),
      }));
      this.ownsClient = true;
    }
    this.maxCompleted = maxCompletedTasks(config.maxCompletedTasks);
    if (config.cleanGhosts !== false) this.cleaner = new GhostCleaner(this.client, this.keys, this.maxCompleted);
  }

  /** How many records the latest reads skipped because they did not decode, were too large or had the wrong key type. */
  get skipped(): Readonly<SkippedRecords> {
    const { active, completed, updates, activeKey, completedKey } = this.skippedCounts;
    return { active, completed, updates, keys: activeKey + completedKey };
  }

  /**
   * The active tasks by processors field. A record unchanged since this
   * reader's previous read gives the same task object as then (an active
   * record is written once and never changes), so a viewer that re-reads every
   * second decodes only the requests that are new. Treat the tasks as
   * read-only.
   */
  getActiveTasks(): Promise<Map<string, HTTPTask>> {
    return untraced(() => this.readActiveTasks());
  }

  private async readActiveTasks(): Promise<Map<string, HTTPTask>> {
    // The look for dead exporters goes out with the read, in the same round trip.
    const cleaning = this.clean();
    let reply = await this.readActive();
    if ((await cleaning) > 0) reply = await this.readActive();
    const pairs: Array<[string, Buffer]> = [];
    // Field, value, field, value, ...
    for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([reply[i].toString('utf8'), reply[i + 1]]);
    const tasks = this.decodeRecords(pairs, true);
    this.skippedCounts.active = pairs.length - tasks.size;
    return tasks;
  }

  /**
   * The active tasks of a table of at most 10,000 (FULL_READ_LIMIT), read
   * whole as getActiveTasks() reads it; of a larger one, the `limit`
   * longest-running and the count of all, reading only those, through the
   * index by start that otel-top's exporters keep. Tasks of writers without
   * the index (the Python Top Framework) are then found by a scan, a slice of
   * the table per call, and shown once found.
   */
  getActiveTasksPage(limit: number): Promise<ActivePage> {
    return untraced(async () => {
      const cleaning = this.clean();
      // The page's ids come with the counts, before the replies of any reads sent after them (a viewer sends
      // several at once, one of them large): waiting for the counts first would queue the ids behind those.
      const [[, length], [, indexed], [idsError, indexedIds]] = ((await this.client
        .pipeline()
        .hlen(this.keys.processors)
        .zcard(this.keys.activeByStart)
        .zrange(this.keys.activeByStart, 0, Math.max(0, limit - 1))
        .exec()) ?? []) as Array<[Error | null, unknown]>;
      const total = Number(length) || 0;
      await cleaning;
      if (total <= FULL_READ_LIMIT) {
        const all = await this.readActiveTasks();
        const sorted = [...all].sort(([, a], [, b]) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0));
        return { tasks: new Map(sorted), total: all.size };
      }
      if (idsError !== null) throw idsError;
      const ids = Array.isArray(indexedIds) ? indexedIds.filter((id): id is string => typeof id === 'string') : [];
      if (total > (Number(indexed) || 0)) await this.scanUnindexed();
      const wanted = [...ids, ...this.unindexed];
      const records = wanted.length === 0 ? [] : await this.client.hmgetBuffer(this.keys.processors, ...wanted);
      const pairs: Array<[string, Buffer]> = [];
      wanted.forEach((id, index) => {
        const record = records[index];
        if (record !== null && record !== undefined) pairs.push([id, record]);
        else this.unindexed.delete(id);
      });
      const tasks = this.decodeRecords(pairs, false);
      this.skippedCounts.active = pairs.length - tasks.size;
      const sorted = [...tasks].sort(([, a], [, b]) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0));
      return { tasks: new Map(sorted.slice(0, limit)), total };
    });
  }

  /** Goes on with the scan for tasks not in the index, one slice of the table; remembers those it finds. */
  private async scanUnindexed(): Promise<void> {
    const [cursor, flat] = await this.client.hscan(this.keys.processors, this.scanCursor, 'COUNT', SCAN_SLICE);
    this.scanCursor = cursor;
    const fields = flat.filter((_, index) => index % 2 === 0);
    if (fields.length === 0) return;
    const scores = (await this.client.call('ZMSCORE', this.keys.activeByStart, ...fields)) as Array<string | null>;
    fields.forEach((field, index) => {
      if (scores[index] === null && this.unindexed.size < MAX_UNINDEXED) this.unindexed.add(field);
    });
  }

  /** Tasks of records, giving the same task as the previous read for a record unchanged since. */
  private decodeRecords(pairs: Array<[string, Buffer]>, replaceCache: boolean): Map<string, HTTPTask> {
    const tasks = new Map<string, HTTPTask>();
    const decoded = replaceCache ? new Map<string, { record: Buffer; task: HTTPTask }>() : this.previousActive;
    for (const [field, record] of pairs) {
      const previous = this.previousActive.get(field);
      const task =
        previous !== undefined && previous.record.equals(record)
          ? previous.task
          : record.length > this.maxRecordBytes
            ? undefined
            : this.decode(record.toString('utf8'));
      if (task !== undefined) {
        tasks.set(field, task);
        decoded.set(field, { record, task });
      }
    }
    if (replaceCache) this.previousActive = decoded;
    else if (decoded.size > 4 * MAX_UNINDEXED) this.previousActive = new Map([...decoded].slice(-2 * MAX_UNINDEXED));
    return tasks;
  }

  /** Completed tasks, newest first; at most `limit` of them (default 10,000). */
  async getCompletedTasks(limit = DEFAULT_COMPLETED_LIMIT): Promise<HTTPTask[]> {
    let records: string[] = [];
    this.skippedCounts.completedKey = 0;
    try {
      records = await untraced(() => this.client.lrange(this.keys.pastTasks, 0, Math.max(0, limit - 1)));
    } catch (error) {
      if (!isWrongType(error)) throw error;
      this.skippedCounts.completedKey = 1;
    }
    const tasks: HTTPTask[] = [];
    for (const record of records) {
      const task = this.decode(record);
      if (task !== undefined) tasks.push(task);
    }
    this.skippedCounts.completed = records.length - tasks.length;
    return tasks;
  }

  /**
   * The live counters of every process over the window, ending a couple of
   * seconds ago (the seconds writers have written by now), in one round trip.
   */
  getTraffic(window: TrafficWindowName): Promise<TrafficReport> {
    return untraced(async () => trafficReport(window, await this.getTrafficCounts(window)));
  }

  /** The counts the traffic report is computed from, for a reader that adds several tables up. */
  getTrafficCounts(window: TrafficWindowName): Promise<WindowCounts> {
    return untraced(async () => {
      const slots = windowSlots(TRAFFIC_WINDOWS[window], lastCompleteSecond(Date.now()));
      const keys = [
        ...slots.seconds.map((second) => this.keys.countsPerSecond(second)),
        ...slots.tenSeconds.map((decade) => this.keys.countsPerTenSeconds(decade)),
      ];
      const pipeline = this.client.pipeline();
      for (const key of keys) pipeline.call('HGETALL', key);
      const replies = (await pipeline.exec()) ?? [];
      const names = new Map<string, RequestCounts>();
      // A key of the wrong type is somebody else's: skipped, as with the table's keys.
      for (const reply of replies) addCounterFields(names, hashReply(reply));
      return { names, seconds: slots.covered };
    });
  }

  /**
   * Every process with a heartbeat record, in one round trip: its health and
   * traffic as its exporter measured them, how old the record is by Redis's
   * clock, and so whether it is alive, late, dead or cleaned. Records that do
   * not decode are skipped.
   */
  getProcesses(): Promise<ProcessFigures[]> {
    return untraced(async () => {
      const pipeline = this.client.pipeline().time().call('HGETALL', this.keys.exporters).call('HGETALL', this.keys.processes);
      const [[timeError, time], exporters, records] = ((await pipeline.exec()) ?? []) as Array<[Error | null, unknown]>;
      if (timeError !== null || !Array.isArray(time)) throw timeError ?? new Error('otel-top: Redis did not tell its time');
      const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
      const liveness = new Map<unknown, unknown>();
      const exporterFields = hashReply(exporters);
      for (let i = 0; i + 1 < exporterFields.length; i += 2) liveness.set(exporterFields[i], exporterFields[i + 1]);
      const recordFields = hashReply(records);
      const processes: ProcessFigures[] = [];
      for (let i = 0; i + 1 < recordFields.length; i += 2) {
        const id = recordFields[i];
        const json = recordFields[i + 1];
        if (typeof id !== 'string' || typeof json !== 'string') continue;
        const exporterJson = liveness.get(id);
        try {
          const record = decodeProcessRecord(json);
          const exporter = JSON.parse(typeof exporterJson === 'string' ? exporterJson : '{}') as { seen?: unknown; cleaned_at?: unknown };
          const seen = typeof exporter.seen === 'number' ? Math.max(exporter.seen, record.seen ?? 0) : (record.seen ?? now);
          const age = Math.max(0, now - seen);
          // Added to the decoded record, not spread into a copy: copying its twenty-odd fields was most of this read.
          const figures: ProcessFigures = Object.assign(record, { id, heartbeatAgeMillis: age, state: processState(age, record, typeof exporter.cleaned_at === 'number') });
          processes.push(figures);
        } catch {
          // Not a record of ours: skipped, as broken tasks are.
        }
      }
      return processes.sort((a, b) => compareText(a.host, b.host) || a.pid - b.pid);
    });
  }

  /**
   * Calls `listener` with every update published on otel-top's updates
   * channel (one message per writer flush), on a connection of its own, or
   * with one update per `batchMillis` (see SubscribeOptions). Writers without
   * that channel (the Python Top Framework) are seen by the next read;
   * subscribing to their per-task `task_updates` would make every otel-top
   * exporter publish each request there too.
   */
  subscribe(listener: TaskUpdateListener, options: SubscribeOptions = {}): Promise<() => Promise<void>> {
    const batchMillis = options.batchMillis ?? 0;
    return untraced(async () => {
      // Its own connection, which waits for Redis rather than failing at once: it only ever sends SUBSCRIBE.
      const subscriber = this.client.isCluster
        ? (this.client as Cluster).duplicate(undefined, { enableOfflineQueue: true })
        : (this.client as Redis).duplicate({ enableOfflineQueue: true });
      subscriber.on('error', () => {
        // Reported by the main client's handler; reconnects and resubscribes by itself.
      });
      this.subscribers.add(subscriber);
      const deliver = (update: TaskUpdate | undefined): void => {
        if (update === undefined) return;
        try {
          listener(update);
        } catch {
          // A failing listener must not stop the updates of the others.
        }
      };
      let timer: NodeJS.Timeout | undefined;
      if (batchMillis > 0) {
        const batch = new UpdateBatch(this.maxCompleted);
        const channel = Buffer.from(this.keys.updates);
        // Buffers: a message left undecoded is never made a string either.
        subscriber.on('messageBuffer', (from: Buffer, message: Buffer) => {
          if (from.equals(channel)) batch.add(message);
        });
        timer = setInterval(() => deliver(batch.take((message) => this.decodeUpdate(message))), batchMillis);
        // The subscriber's connection is what keeps a process alive, and close() ends both.
        timer.unref();
        this.batchTimers.add(timer);
      } else {
        subscriber.on('message', (channel: string, message: string) => {
          if (channel === this.keys.updates) deliver(this.decodeUpdate(message));
        });
      }
      await subscriber.subscribe(this.keys.updates);
      return async () => {
        if (timer !== undefined) {
          clearInterval(timer);
          this.batchTimers.delete(timer);
        }
        this.subscribers.delete(subscriber);
        await subscriber.quit().catch(() => subscriber.disconnect());
      };
    });
  }

  async close(): Promise<void> {
    this.previousActive.clear();
    for (const timer of this.batchTimers) clearInterval(timer);
    this.batchTimers.clear();
    const closing = [...this.subscribers].map((subscriber) => subscriber.quit().catch(() => subscriber.disconnect()));
    this.subscribers.clear();
    await Promise.all(closing);
    if (this.ownsClient) await this.client.quit().catch(() => this.client.disconnect());
  }

  /**
   * The processors hash as HGETALL's flat reply, in buffers: ioredis's own
   * conversion to strings and to an object took twice as long as Redis
   * itself for 10,000 tasks.
   */
  private async readActive(): Promise<Buffer[]> {
    this.skippedCounts.activeKey = 0;
    try {
      const reply: unknown = await this.client.callBuffer('HGETALL', this.keys.processors);
      return Array.isArray(reply) ? reply.filter((item): item is Buffer => Buffer.isBuffer(item)) : [];
    } catch (error) {
      if (!isWrongType(error)) throw error;
      this.skippedCounts.activeKey = 1;
      return [];
    }
  }

  /** Resolves to the number of ghost tasks moved; never rejects. */
  private async clean(): Promise<number> {
    const now = Date.now();
    if (this.cleaner === undefined || this.cleaningDisabled || now - this.lastCleanAt < CLEAN_INTERVAL_MILLIS) return 0;
    this.lastCleanAt = now;
    try {
      if (!(await this.cleaner.claimLease(this.cleanerId, CLEANER_LEASE_MILLIS))) return 0;
      return await this.cleaner.clean(true);
    } catch (error) {
      // A read-only user cannot clean; reading goes on without it.
      if (error instanceof Error && error.message.startsWith('NOPERM')) this.cleaningDisabled = true;
      return 0;
    }
  }

  /** One flush's message; its tasks that do not decode are skipped and counted, the rest delivered. */
  private decodeUpdate(message: string): TaskUpdate | undefined {
    let wire: unknown;
    try {
      wire = message.length > MAX_UPDATE_BYTES ? undefined : JSON.parse(message);
    } catch {
      wire = undefined;
    }
    const fields = typeof wire === 'object' && wire !== null ? (wire as Record<string, unknown>) : {};
    if (!Array.isArray(fields.active) || !Array.isArray(fields.completed)) {
      this.skippedCounts.updates++;
      return undefined;
    }
    const tasks = (value: unknown[]): HTTPTask[] => {
      const decoded: HTTPTask[] = [];
      for (const item of value) {
        try {
          decoded.push(HTTPTask.fromJSON(item));
        } catch {
          this.skippedCounts.updates++;
        }
      }
      return decoded;
    };
    const removed = Array.isArray(fields.removed) ? fields.removed.filter((id): id is string => typeof id === 'string') : [];
    return { active: tasks(fields.active), completed: tasks(fields.completed), removed };
  }

  private decode(record: string): HTTPTask | undefined {
    if (record.length > this.maxRecordBytes) return undefined;
    try {
      return HTTPTask.fromJSON(record);
    } catch {
      return undefined;
    }
  }
}
