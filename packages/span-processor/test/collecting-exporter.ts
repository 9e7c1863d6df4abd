import type { HTTPTask, InFlightTasks, TaskExporter, TrackedTask } from '@otel-top/model';

/** Records what the processor hands over, as an exporter would at write time. */
export class CollectingExporter implements TaskExporter {
  readonly started: TrackedTask[] = [];
  readonly ended: TrackedTask[] = [];
  /** How often each task was said to have changed. */
  readonly updates = new Map<TrackedTask, number>();
  flushes = 0;
  shutdowns = 0;
  /** The processor's list of requests in flight, as it offered it. */
  inFlight: InFlightTasks | undefined;

  readInFlightFrom(tasks: InFlightTasks): void {
    this.inFlight = tasks;
  }

  taskStarted(task: TrackedTask): void {
    this.started.push(task);
  }

  taskUpdated(task: TrackedTask): void {
    this.updates.set(task, (this.updates.get(task) ?? 0) + 1);
  }

  taskEnded(task: TrackedTask): void {
    this.ended.push(task);
  }

  async forceFlush(): Promise<void> {
    this.flushes++;
  }

  async shutdown(): Promise<void> {
    this.shutdowns++;
  }

  /** The last started task as it stands now, built as the Redis exporter would build it. */
  lastStarted(): HTTPTask {
    return this.started[this.started.length - 1].snapshot() as HTTPTask;
  }

  /** The last ended task, built as the Redis exporter would build it. */
  lastEnded(): HTTPTask {
    return this.ended[this.ended.length - 1].snapshot() as HTTPTask;
  }
}
