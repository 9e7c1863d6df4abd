import { DEFAULT_MAX_COMPLETED_TASKS, HTTPTask, ProcessFigures, TaskUpdate, TrafficReport } from '@otel-top/model';

/** Keys made once per task: the view asks for them at every frame, the store at every update. */
const keys = new WeakMap<HTTPTask, string>();

/** Identifies a request across its life: the same key while active and once completed. */
export function taskKey(task: HTTPTask): string {
  let key = keys.get(task);
  if (key === undefined) {
    key = `${task.taskId ?? ''}|${task.getProcessorTrackingId()}|${task.startedAt?.getTime() ?? ''}`;
    keys.set(task, key);
  }
  return key;
}

/**
 * What the live view shows: the active requests and the completed buffer,
 * replaced by every full read of the tracking table and kept current in
 * between by the writers' update messages; and the live counters and the
 * processes, replaced by every read of them. `version` changes with every
 * change, so the screen redraws only when something happened.
 */
export class LiveTaskStore {
  private active = new Map<string, HTTPTask>();
  /** Active requests in the tracker, read or not (a large table is read a page at a time). */
  private unread = 0;
  private completed: HTTPTask[] = [];
  private completedKeys = new Set<string>();
  private capacity = DEFAULT_MAX_COMPLETED_TASKS;
  private changes = 0;
  private trafficReport: TrafficReport | undefined;
  private processFigures: ProcessFigures[] | undefined;

  get version(): number {
    return this.changes;
  }

  /** Everything as a read found it: the active requests read, of `activeTotal` in all. */
  replace(active: Map<string, HTTPTask>, completed: HTTPTask[], activeTotal = active.size): void {
    this.active = active;
    this.unread = Math.max(0, activeTotal - active.size);
    this.completed = completed;
    this.completedKeys = new Set(completed.map(taskKey));
    this.capacity = Math.max(DEFAULT_MAX_COMPLETED_TASKS, completed.length);
    this.changes++;
  }

  /** One writer flush's update: requests that started or changed, ended, or left without a completed task. */
  apply(update: TaskUpdate): void {
    for (const task of update.active) this.active.set(task.getProcessorTrackingId(), task);
    for (const id of update.removed) this.active.delete(id);
    // Oldest first: each goes to the top of the list.
    for (const task of update.completed) {
      this.active.delete(task.getProcessorTrackingId());
      // A task a read found and an update then brought again is there once.
      const key = taskKey(task);
      if (!this.completedKeys.has(key)) {
        this.completed.unshift(task);
        this.completedKeys.add(key);
        if (this.completed.length > this.capacity) {
          for (const dropped of this.completed.splice(this.capacity)) this.completedKeys.delete(taskKey(dropped));
        }
      }
    }
    this.changes++;
  }

  /** The live counters and the processes, as the latest read of them found them. */
  replaceFigures(traffic: TrafficReport | undefined, processes: ProcessFigures[] | undefined): void {
    this.trafficReport = traffic;
    this.processFigures = processes;
    this.changes++;
  }

  get traffic(): TrafficReport | undefined {
    return this.trafficReport;
  }

  get processes(): ProcessFigures[] | undefined {
    return this.processFigures;
  }

  activeTasks(): HTTPTask[] {
    return [...this.active.values()];
  }

  /** Active requests in the tracker that the latest read left out: the page it read was full. */
  get activeUnread(): number {
    return this.unread;
  }

  completedTasks(): HTTPTask[] {
    return [...this.completed];
  }
}
