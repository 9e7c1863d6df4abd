/** What the list keeps in each request's task. */
export interface InFlightLinks<T> {
  older: T | undefined;
  newer: T | undefined;
  /** Its place in the order of starts, given when it is added. */
  startSeq: number;
  /** The list it is in now, if any. */
  inFlightList: object | undefined;
}

/**
 * The requests in flight, oldest first, as a list linked through their tasks:
 * adding or removing one is a few field writes, where a Map keyed by span
 * costs every request an identity hash and an entry for the garbage collector
 * to sweep. The exporter reads new starts from it too (`InFlightTasks`), so
 * it keeps no queue of its own for them.
 */
export class InFlightRequests<T extends InFlightLinks<T>> {
  private oldest: T | undefined = undefined;
  private newest: T | undefined = undefined;
  private count = 0;
  private lastSeq = 0;

  get size(): number {
    return this.count;
  }

  add(task: T): void {
    task.older = this.newest;
    task.newer = undefined;
    task.startSeq = ++this.lastSeq;
    task.inFlightList = this;
    if (this.newest === undefined) this.oldest = task;
    else this.newest.newer = task;
    this.newest = task;
    this.count++;
  }

  /** Takes the task out; one that is not in the list is left alone. */
  remove(task: T): void {
    if (task.inFlightList !== this) return;
    const { older, newer } = task;
    if (older === undefined) this.oldest = newer;
    else older.newer = newer;
    if (newer === undefined) this.newest = older;
    else newer.older = older;
    task.older = undefined;
    task.newer = undefined;
    task.inFlightList = undefined;
    this.count--;
  }

  /** Takes out the oldest and returns it; undefined when there is none. */
  removeOldest(): T | undefined {
    const oldest = this.oldest;
    if (oldest !== undefined) this.remove(oldest);
    return oldest;
  }

  holds(task: object): boolean {
    return (task as Partial<InFlightLinks<T>>).inFlightList === this;
  }

  /**
   * The oldest request in flight that started after the one numbered
   * `startSeq`. Walked back from the newest, so it costs one step per
   * request started since then and still in flight, however many older
   * ones are.
   */
  firstStartedAfter(startSeq: number): T | undefined {
    let first: T | undefined = undefined;
    for (let task = this.newest; task !== undefined && task.startSeq > startSeq; task = task.older) first = task;
    return first;
  }
}
