import type { HTTPTask } from './http-task';

/** Called with each task published on the updates channel. */
export type TaskUpdateListener = (task: HTTPTask) => void;

/** Reads the tracking table. Records that do not decode are skipped and counted, never thrown. */
export interface TaskReader {
  /** Active tasks by processor tracking id. */
  getActiveTasks(): Promise<Map<string, HTTPTask>>;
  /** Completed tasks, newest first. */
  getCompletedTasks(): Promise<HTTPTask[]>;
  /** Live updates; resolves to a function that stops them. */
  subscribe(listener: TaskUpdateListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
