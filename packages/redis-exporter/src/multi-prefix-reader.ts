import {
  ActivePage,
  compareText,
  HTTPTask,
  ProcessFigures,
  RequestCounts,
  SubscribeOptions,
  TaskReader,
  TaskUpdateListener,
  trafficReport,
  TrafficReport,
  TrafficWindowName,
} from '@otel-top/model';
import { RedisTaskReader } from './redis-task-reader';
import type { RedisTaskReaderConfig, SkippedRecords } from './types';

const startOf = (task: HTTPTask): number => task.startedAt?.getTime() ?? 0;
const endOf = (task: HTTPTask): number => task.endedAt?.getTime() ?? 0;

/**
 * Several tracking tables read as one: one prefix per service or shard (in
 * Redis Cluster each prefix's hash tag puts its table on a slot, and so a
 * node, of its own). Each table is read by a RedisTaskReader on the same
 * client; active tasks, completed tasks and processes are put together, and
 * the live counters are added up before their figures are computed, so the
 * percentiles are those of all the tables.
 */
export class MultiPrefixReader implements TaskReader {
  private readonly readers: RedisTaskReader[];

  constructor(
    config: Omit<RedisTaskReaderConfig, 'keyPrefix'> & Required<Pick<RedisTaskReaderConfig, 'client'>>,
    keyPrefixes: readonly string[],
  ) {
    if (keyPrefixes.length === 0) throw new TypeError('otel-top: MultiPrefixReader needs at least one key prefix');
    this.readers = keyPrefixes.map((keyPrefix) => new RedisTaskReader({ ...config, keyPrefix }));
  }

  /** What the readers skipped, added up. */
  get skipped(): Readonly<SkippedRecords> {
    const total: SkippedRecords = { active: 0, completed: 0, updates: 0, keys: 0 };
    for (const reader of this.readers) {
      const skipped = reader.skipped;
      total.active += skipped.active;
      total.completed += skipped.completed;
      total.updates += skipped.updates;
      total.keys += skipped.keys;
    }
    return total;
  }

  async getActiveTasks(): Promise<Map<string, HTTPTask>> {
    const tables = await Promise.all(this.readers.map((reader) => reader.getActiveTasks()));
    return new Map(tables.flatMap((table) => [...table]));
  }

  async getActiveTasksPage(limit: number): Promise<ActivePage> {
    const pages = await Promise.all(this.readers.map((reader) => reader.getActiveTasksPage(limit)));
    const total = pages.reduce((sum, page) => sum + page.total, 0);
    const sorted = pages.flatMap((page) => [...page.tasks]).sort(([, a], [, b]) => startOf(a) - startOf(b));
    // Small tables come whole; of large ones, the longest-running of them all.
    const read = pages.every((page) => page.tasks.size === page.total) ? sorted : sorted.slice(0, limit);
    return { tasks: new Map(read), total };
  }

  async getCompletedTasks(limit?: number): Promise<HTTPTask[]> {
    const lists = await Promise.all(this.readers.map((reader) => reader.getCompletedTasks(limit)));
    const newestFirst = lists.flat().sort((a, b) => endOf(b) - endOf(a));
    return limit === undefined ? newestFirst : newestFirst.slice(0, limit);
  }

  async getTraffic(window: TrafficWindowName): Promise<TrafficReport> {
    const windows = await Promise.all(this.readers.map((reader) => reader.getTrafficCounts(window)));
    const names = new Map<string, RequestCounts>();
    for (const counts of windows) {
      for (const [name, named] of counts.names) {
        const total = names.get(name) ?? new RequestCounts();
        total.add(named);
        names.set(name, total);
      }
    }
    return trafficReport(window, { names, seconds: Math.min(...windows.map((counts) => counts.seconds)) });
  }

  async getProcesses(): Promise<ProcessFigures[]> {
    const lists = await Promise.all(this.readers.map((reader) => reader.getProcesses()));
    return lists.flat().sort((a, b) => compareText(a.host, b.host) || a.pid - b.pid);
  }

  async subscribe(listener: TaskUpdateListener, options?: SubscribeOptions): Promise<() => Promise<void>> {
    const stops = await Promise.all(this.readers.map((reader) => reader.subscribe(listener, options)));
    return async () => {
      await Promise.all(stops.map((stop) => stop()));
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.readers.map((reader) => reader.close()));
  }
}
