import { diag } from '@opentelemetry/api';
import { hostname } from 'node:os';
import {
  CounterHistory,
  DEFAULT_MAX_COUNTED_NAMES,
  ProcessFigures,
  ProcessHealth,
  processTraffic,
  ProcessTraffic,
  totalFigures,
  TRAFFIC_WINDOW_NAMES,
  LiveCounters,
  outcomeSecond,
  maxCompletedTasks,
  positiveInteger,
  Task,
  TaskExporter,
  TrackedTask,
  TRAFFIC_WINDOWS,
  trafficReport,
  TrafficReport,
  TrafficWindowName,
} from '@otel-top/model';
import type { MemoryTaskExporterConfig, MemoryTaskExporterStats } from './types';

/**
 * Keeps task lifecycles in process memory, for one process and no Redis:
 * the active tasks, the latest completed ones in a ring, and the live
 * counters of every request over the last minutes. All are bounded. Tasks
 * are built when they are read, never on the request path; serve them with
 * TrackerRequestHandler.
 */
export class MemoryTaskExporter implements TaskExporter {
  private readonly maxActiveTasks: number;
  private readonly maxCompletedTasks: number;
  private readonly active = new Map<string, TrackedTask>();
  /** Ring buffer of completed tasks; `next` is where the next one goes. */
  private readonly completed: Array<TrackedTask | undefined>;
  private next = 0;
  private completedCount = 0;
  private readonly counters: LiveCounters;
  private readonly history = new CounterHistory();
  private readonly health = ProcessHealth.shared();
  private readonly startedAt = new Date();
  private dropped = 0;
  private errors = 0;
  private isShutDown = false;

  constructor(config: MemoryTaskExporterConfig = {}) {
    this.maxActiveTasks = positiveInteger(config.maxActiveTasks, 'maxActiveTasks', 10_000);
    this.maxCompletedTasks = maxCompletedTasks(config.maxCompletedTasks);
    this.completed = new Array<TrackedTask | undefined>(this.maxCompletedTasks);
    this.counters = new LiveCounters(positiveInteger(config.maxCountedNames, 'maxCountedNames', DEFAULT_MAX_COUNTED_NAMES));
  }

  taskStarted(task: TrackedTask): void {
    if (this.isShutDown || this.active.size >= this.maxActiveTasks) {
      this.dropped++;
      return;
    }
    this.active.set(task.processorId, task);
  }

  taskUpdated(_task: TrackedTask): void {
    // Nothing to mark: tasks are built when they are read, so a read always sees the open spans of that moment.
  }

  taskEnded(task: TrackedTask): void {
    if (this.isShutDown) return;
    try {
      const outcome = task.outcome();
      this.counters.record(outcome, outcomeSecond(outcome));
    } catch (error) {
      if (this.errors++ === 0) diag.error('otel-top: a request could not be counted; it is skipped', error);
    }
    this.active.delete(task.processorId);
    this.completed[this.next] = task;
    this.next = (this.next + 1) % this.maxCompletedTasks;
    this.completedCount = Math.min(this.completedCount + 1, this.maxCompletedTasks);
  }

  /** Active tasks by processor tracking id, built now. */
  getActiveTasks(): Map<string, Task> {
    const tasks = new Map<string, Task>();
    for (const [id, tracked] of this.active) {
      const task = this.build(tracked);
      if (task !== undefined) tasks.set(id, task);
    }
    return tasks;
  }

  /** Completed tasks, newest first; at most `limit` of them when given. */
  getCompletedTasks(limit = this.maxCompletedTasks): Task[] {
    const tasks: Task[] = [];
    const count = Math.min(limit, this.completedCount);
    for (let i = 1; i <= count; i++) {
      const tracked = this.completed[(this.next - i + this.maxCompletedTasks) % this.maxCompletedTasks];
      const task = tracked === undefined ? undefined : this.build(tracked);
      if (task !== undefined) tasks.push(task);
    }
    return tasks;
  }

  /** The live counters over the window, up to the last second that is over. */
  getTraffic(window: TrafficWindowName): TrafficReport {
    const lastSecond = this.settleCounts();
    return trafficReport(window, this.history.window(TRAFFIC_WINDOWS[window], lastSecond));
  }

  /** This one process, as a Redis reader shows each process from its heartbeat: always alive while it answers. */
  getProcesses(): ProcessFigures[] {
    const lastSecond = this.settleCounts();
    const traffic = {} as Record<TrafficWindowName, ProcessTraffic>;
    for (const window of TRAFFIC_WINDOW_NAMES) {
      traffic[window] = processTraffic(totalFigures(this.history.window(TRAFFIC_WINDOWS[window], lastSecond)));
    }
    const host = hostname();
    return [
      {
        id: `${host}:${process.pid}:memory`,
        host,
        pid: process.pid,
        service: null,
        serviceVersion: null,
        nodeVersion: process.version,
        startedAt: this.startedAt,
        heartbeatIntervalMillis: 0,
        deadAfterMillis: 0,
        inFlight: this.active.size,
        traffic,
        ...this.health.sample(500),
        tracking: { queued: 0, dropped: this.dropped, failed: 0, trimmed: 0 },
        seen: Date.now(),
        heartbeatAgeMillis: 0,
        state: 'alive',
      },
    ];
  }

  getStats(): MemoryTaskExporterStats {
    return { active: this.active.size, completed: this.completedCount, dropped: this.dropped, errors: this.errors };
  }

  async forceFlush(): Promise<void> {
    // Nothing is queued: every event is in the tables at once.
  }

  async shutdown(): Promise<void> {
    this.isShutDown = true;
    this.health.stop();
  }

  /** Moves the seconds that are over into the history; returns the last of them. */
  private settleCounts(): number {
    const second = Math.floor(Date.now() / 1000);
    for (const counts of this.counters.takeBefore(second)) this.history.add(counts);
    return second - 1;
  }

  private build(tracked: TrackedTask): Task | undefined {
    try {
      return tracked.snapshot();
    } catch (error) {
      if (this.errors++ === 0) diag.error('otel-top: a task could not be built; it is skipped', error);
      return undefined;
    }
  }
}
