import type { InFlightTask, InFlightTasks, TrackedTask } from '@otel-top/model';
import { StaticTask } from './static-task';

/** A StaticTask as a tracker's list holds it, started at a time the test gives. */
export class ListedTask extends StaticTask implements InFlightTask {
  startSeq = 0;
  newer: ListedTask | undefined = undefined;

  constructor(
    readonly startedAtMillis: number,
    path = '/',
  ) {
    super(path);
  }
}

/** A tracker's list of requests in flight, as plain as can be: the exporter's side is what is tested. */
export class StaticInFlightList implements InFlightTasks {
  private readonly tasks: ListedTask[] = [];
  private lastSeq = 0;

  get size(): number {
    return this.tasks.length;
  }

  start(task: ListedTask): ListedTask {
    task.startSeq = ++this.lastSeq;
    const newest = this.tasks.at(-1);
    if (newest !== undefined) newest.newer = task;
    this.tasks.push(task);
    return task;
  }

  /** Takes the task out, as a tracker does at its end. */
  remove(task: ListedTask): ListedTask {
    const index = this.tasks.indexOf(task);
    if (index < 0) return task;
    const older = this.tasks[index - 1];
    if (older !== undefined) older.newer = task.newer;
    task.newer = undefined;
    this.tasks.splice(index, 1);
    return task;
  }

  holds(task: TrackedTask): boolean {
    return this.tasks.includes(task as ListedTask);
  }

  firstStartedAfter(startSeq: number): ListedTask | undefined {
    return this.tasks.find((task) => task.startSeq > startSeq);
  }
}
