/** What the list links through: a request's task. */
export interface InFlightLinks<T> {
  older: T | undefined;
  newer: T | undefined;
}

/**
 * The requests in flight, oldest first, as a list linked through their tasks:
 * adding or removing one is a few field writes, where a Map keyed by span
 * costs every request an identity hash and an entry for the garbage collector
 * to sweep.
 */
export class InFlightRequests<T extends InFlightLinks<T>> {
  private oldest: T | undefined = undefined;
  private newest: T | undefined = undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(task: T): void {
    task.older = this.newest;
    task.newer = undefined;
    if (this.newest === undefined) this.oldest = task;
    else this.newest.newer = task;
    this.newest = task;
    this.count++;
  }

  /** Takes the task out; one that is not in the list is left alone. */
  remove(task: T): void {
    const { older, newer } = task;
    if (older === undefined && this.oldest !== task) return;
    if (older === undefined) this.oldest = newer;
    else older.newer = newer;
    if (newer === undefined) this.newest = older;
    else newer.older = older;
    task.older = undefined;
    task.newer = undefined;
    this.count--;
  }

  /** Takes out the oldest and returns it; undefined when there is none. */
  removeOldest(): T | undefined {
    const oldest = this.oldest;
    if (oldest !== undefined) this.remove(oldest);
    return oldest;
  }
}
