import type { TaskOutcome } from './live-counters';
import type { Task } from './task';

/**
 * A task whose source (a span, say) is still being filled in. The exporter
 * takes its snapshot when it writes, off the request path, so attributes set
 * after the start are included and nothing is built for tasks that are never
 * written. An exporter that writes every completed task anyway may take it at
 * the task's end instead, to hold the JSON rather than the source.
 */
export interface TrackedTask {
  /** The field of the `processors` hash; unique for every in-flight task. */
  readonly processorId: string;
  /** The task as it stands now. Called at write time, or once it ended (see above). */
  snapshot(): Task;
  /** Its name, status and duration for the live counters: called once it ended, on the request path, so cheap. */
  outcome(): TaskOutcome;
}

/** A request in flight as its tracker lists it. */
export interface InFlightTask extends TrackedTask {
  /** Grows with every start in its list: a later start has a larger number. */
  readonly startSeq: number;
  /** When the request started, in milliseconds since the epoch. */
  readonly startedAtMillis: number;
  /** The next request of the list to start after it, while both are in flight. */
  readonly newer: InFlightTask | undefined;
}

/**
 * A tracker's own list of the requests in flight, in the order they
 * started. An exporter that reads new starts from it, when it writes,
 * needs no queue of its own for them.
 */
export interface InFlightTasks {
  readonly size: number;
  /** Whether the task is in this list now. */
  holds(task: TrackedTask): boolean;
  /** The oldest task in flight that started after the one numbered `startSeq` (0: the oldest of all). */
  firstStartedAfter(startSeq: number): InFlightTask | undefined;
}

/**
 * Receives task lifecycles. `taskStarted`, `taskUpdated` and `taskEnded` are
 * called on the request path: they must only queue or mark, never do I/O,
 * and never throw. `taskUpdated` and `taskEnded` are given the very object
 * `taskStarted` was given.
 */
export interface TaskExporter {
  taskStarted(task: TrackedTask): void;
  /**
   * Optional: the tracker offers its list of requests in flight, once,
   * before its first start. An exporter that takes it reads the started
   * tasks the list holds from it when it writes, so `taskStarted` for them
   * need only wake it; tasks the list does not hold are queued as before.
   */
  readInFlightFrom?(tasks: InFlightTasks): void;
  /**
   * The active task's open spans or its route changed, so a snapshot taken
   * now differs from the last one. Only mark the task (O(1)); an exporter
   * that has already written it rewrites it at most once per flush, within a
   * bound per flush. Called often (at every start and end of a span inside a
   * request), mostly for tasks never written. Optional, so exporters written
   * before it keep working: without it, an active task is written as it was
   * when first written.
   */
  taskUpdated?(task: TrackedTask): void;
  taskEnded(task: TrackedTask): void;
  /** Resolves once everything queued before the call is written. */
  forceFlush(): Promise<void>;
  /** Writes what is queued and releases connections. */
  shutdown(): Promise<void>;
}
