import type { HTTPTask } from './http-task';
import type { ProcessFigures } from './process-record';
import type { RouteFigures } from './route-figures';
import type { TrafficWindowName } from './traffic-window';

/** What one flush of a writer changed in the tracking table. */
export interface TaskUpdate {
  /** Tasks written to `processors`: started, or written again because their open spans or route changed. */
  active: HTTPTask[];
  /** Tasks pushed to `past_tasks`, oldest first: the last is the newest. */
  completed: HTTPTask[];
  /** Processor ids that left `processors` without a completed task here (it was trimmed, or follows later). */
  removed: string[];
}

/** Called with each update a reader receives. */
export type TaskUpdateListener = (update: TaskUpdate) => void;

/** How a subscriber wants its updates. */
export interface SubscribeOptions {
  /**
   * Deliver what arrived in each period of this many ms as one update, built
   * newest first (default 0: each writer flush's update as it arrives). A
   * batch carries at most as many completed tasks as `past_tasks` keeps, and
   * its older updates are not decoded once it has them: for a subscriber that
   * also re-reads the table each period, as a viewer does, the read brings
   * what they said. Where updates are polled anyway, it changes nothing.
   */
  batchMillis?: number;
}

/** The live counters over a window, summed across every process on every host. */
export interface TrafficReport {
  window: TrafficWindowName;
  /** Seconds the counts cover (the window, less what is no longer kept). */
  seconds: number;
  total: RouteFigures;
  /** Per task name, most requests first. */
  routes: RouteFigures[];
}

/** The longest-running active tasks, and how many there are in all. */
export interface ActivePage {
  /** By processor tracking id, longest-running first. */
  tasks: Map<string, HTTPTask>;
  /** Every active task, shown or not. */
  total: number;
}

/** Reads the tracking table. Records that do not decode are skipped and counted, never thrown. */
export interface TaskReader {
  /** Active tasks by processor tracking id. */
  getActiveTasks(): Promise<Map<string, HTTPTask>>;
  /**
   * The active tasks, longest-running first: of a large table only the
   * `limit` longest-running, reading no more than those where the writers
   * keep an index; a small one whole.
   */
  getActiveTasksPage(limit: number): Promise<ActivePage>;
  /** Completed tasks, newest first. */
  getCompletedTasks(): Promise<HTTPTask[]>;
  /** Request counts, errors and latencies over a window, exact however many requests the lists kept. */
  getTraffic(window: TrafficWindowName): Promise<TrafficReport>;
  /** Every process with an otel-top exporter, from its heartbeat record: health, traffic, whether it is alive. */
  getProcesses(): Promise<ProcessFigures[]>;
  /** Live updates; resolves to a function that stops them. */
  subscribe(listener: TaskUpdateListener, options?: SubscribeOptions): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
