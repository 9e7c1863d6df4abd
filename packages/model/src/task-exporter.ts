import type { TaskOutcome } from './live-counters';
import type { Task } from './task';

/**
 * A task whose source (a span, say) is still being filled in. The exporter
 * takes its snapshot when it writes, off the request path, so attributes set
 * after the start are included and nothing is built for tasks that are never
 * written.
 */
export interface TrackedTask {
  /** The field of the `processors` hash; unique for every in-flight task. */
  readonly processorId: string;
  /** The task as it stands now. Called at write time; never on the request path. */
  snapshot(): Task;
  /** Its name, status and duration for the live counters: called once it ended, on the request path, so cheap. */
  outcome(): TaskOutcome;
}

/**
 * Receives task lifecycles. `taskStarted` and `taskEnded` are called on the
 * request path: they must only queue, never do I/O, and never throw.
 * `taskEnded` is given the very object `taskStarted` was given.
 */
export interface TaskExporter {
  taskStarted(task: TrackedTask): void;
  taskEnded(task: TrackedTask): void;
  /** Resolves once everything queued before the call is written. */
  forceFlush(): Promise<void>;
  /** Writes what is queued and releases connections. */
  shutdown(): Promise<void>;
}
