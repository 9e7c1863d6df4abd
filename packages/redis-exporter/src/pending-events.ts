import type { InFlightTask, InFlightTasks, TrackedTask } from '@otel-top/model';
import { FifoQueue } from './fifo-queue';

/** A completed task waiting to be written; `activeId` is set when it is in `processors` and must leave it. */
export interface PendingEnd {
  /** Null once encoded into `json` at its end: the task, and the span behind it, are let go. */
  task: TrackedTask | null;
  activeId: string;
  /** Its JSON once `task` is null: encoded at its end ('' if that failed). */
  json: string;
}

/** The bounds of what is held, and what counts against them from outside (a batch kept for a retry). */
export interface QueueBounds {
  maxQueueSize: number;
  maxQueueBytes: number;
  /** While Redis is unreachable, only this many completed tasks can matter: LTRIM would cut the rest. */
  maxEndsWhileDown: number;
}

/**
 * What the exporter has been told and not written yet, and which tasks it
 * believes are in `processors`. Every operation here is O(1) per event (or
 * per event taken), since starts and ends arrive on the request path. Tasks
 * are keyed by object: a processor id is a string built and hashed for
 * nothing while most requests end before they are ever written as active.
 *
 * When the tracker shares its list of requests in flight (`readFrom`), the
 * starts it holds are not queued at all: they are read from that list, from
 * the last one taken on, when a batch is built. They do not count against
 * `maxQueueSize`; the tracker bounds its list itself.
 */
export class PendingEvents {
  /** Started, not written yet, in the order they were queued, with when they were queued (Date.now()): starts not in the source, and requests written again. */
  readonly starts = new Map<TrackedTask, number>();
  /** Completed, not written yet, oldest first. */
  readonly ends = new FifoQueue<PendingEnd>();
  /** Processor ids that must leave `processors` although their completed task was dropped or is held. */
  readonly orphanRemovals = new Set<string>();
  /** Tasks (maybe) in `processors`, with their processor id. */
  readonly active = new Map<TrackedTask, string>();
  /** Active tasks whose open spans or route changed since they were written. */
  readonly rewrites = new Set<TrackedTask>();
  /** Tasks a cleaner moved to `past_tasks` while this process looked dead: their ends are not written again. */
  private readonly cleaned = new Set<TrackedTask>();
  /** Encoded size of recent tasks, for the byte bound. */
  averageTaskBytes = 1024;
  /** The tracker's list of requests in flight, read for new starts. */
  private source: InFlightTasks | undefined;
  /** The start number of the last task taken from the source. */
  private sourceCursor = 0;

  constructor(private readonly bounds: QueueBounds) {}

  /** Events queued: starts, ends and removals (not the starts still to be read from the source). */
  get length(): number {
    return this.starts.size + this.ends.length + this.orphanRemovals.size;
  }

  /** Estimated bytes of what waits once encoded, plus `extraBytes` held elsewhere. */
  estimatedBytes(extraBytes: number): number {
    return (this.starts.size + this.ends.length) * this.averageTaskBytes + extraBytes;
  }

  /** Reads the starts it holds from the tracker's list from now on; ignored when it reads from another already. */
  readFrom(source: InFlightTasks): void {
    if (this.source !== undefined) return;
    this.source = source;
    // What the list holds now, if anything, was queued the usual way.
    this.sourceCursor = this.lastSourceSeq();
  }

  /** Whether the start of this task is read from the source rather than queued. */
  readsStartOf(task: TrackedTask): boolean {
    return this.source !== undefined && this.source.holds(task);
  }

  /** Requests in flight: the tracker's own count where it shares its list, else those queued or written. */
  get inFlight(): number {
    return this.source === undefined ? this.starts.size + this.active.size : this.source.size;
  }

  /** Whether some start waits to be written, queued or in the source. */
  get hasStarts(): boolean {
    return this.starts.size > 0 || this.firstUnread() !== undefined;
  }

  /**
   * Stops reading the source: what it holds and was not taken yet is queued
   * instead. At shutdown, so that requests starting later are not written.
   */
  detachSource(): void {
    for (let task = this.firstUnread(); task !== undefined; task = task.newer) this.starts.set(task, task.startedAtMillis);
    this.source = undefined;
  }

  /** Queues a start; false when there is no room (the caller counts the drop). Drops the oldest ends first. */
  start(task: TrackedTask, now: number, down: boolean, extraBytes: number): { queued: boolean; dropped: number } {
    const dropped = this.enforceBounds(1, down, extraBytes);
    const full =
      this.starts.size + this.ends.length >= this.bounds.maxQueueSize ||
      this.estimatedBytes(extraBytes) + this.averageTaskBytes > this.bounds.maxQueueBytes;
    if (!full) this.starts.set(task, now);
    return { queued: !full, dropped };
  }

  /**
   * Queues an end. With `holding`, the completed task waits for the list
   * budget while the request leaves processors with the next flush anyway.
   * Returns what was queued, or undefined for the end of a task a cleaner
   * already moved.
   */
  end(task: TrackedTask, holding: () => boolean): PendingEnd | undefined {
    // Each lookup only where there is something to find: most requests end unwritten, and these sets are empty.
    if (this.cleaned.size > 0 && this.cleaned.delete(task)) return undefined;
    if (this.rewrites.size > 0) this.rewrites.delete(task);
    // Also when active: a task written again after Redis lost it, or after a failed batch, is in both.
    if (this.starts.size > 0) this.starts.delete(task);
    const activeId = this.active.size > 0 ? this.active.get(task) : undefined;
    let end: PendingEnd;
    if (activeId === undefined) {
      end = { task, activeId: '', json: '' };
    } else {
      this.active.delete(task);
      const held = holding();
      if (held) this.orphanRemovals.add(activeId);
      end = { task, activeId: held ? '' : activeId, json: '' };
    }
    this.ends.push(end);
    return end;
  }

  /** Marks an active task for a rewrite; false when it is not written yet (its first write will be current). */
  update(task: TrackedTask): boolean {
    if (!this.active.has(task)) return false;
    this.rewrites.add(task);
    return true;
  }

  /** Drops the oldest completed tasks while over the bounds, leaving room for `room` more events; returns how many. */
  enforceBounds(room: number, down: boolean, extraBytes: number): number {
    const maxEnds = down ? Math.min(this.bounds.maxQueueSize, this.bounds.maxEndsWhileDown) : this.bounds.maxQueueSize;
    let dropped = 0;
    while (
      this.ends.length > 0 &&
      (this.ends.length > maxEnds ||
        this.starts.size + this.ends.length + room > this.bounds.maxQueueSize ||
        this.estimatedBytes(extraBytes) + room * this.averageTaskBytes > this.bounds.maxQueueBytes)
    ) {
      this.dropOldestEnd();
      dropped++;
    }
    return dropped;
  }

  /** Keeps only the newest `keep` completed tasks; the older ones only leave processors. Returns how many went. */
  trimEnds(keep: number): number {
    let trimmed = 0;
    while (this.ends.length > keep) {
      this.dropOldestEnd();
      trimmed++;
    }
    return trimmed;
  }

  /** Held completed tasks: their requests leave processors now, their completed task follows later. */
  releaseHeldFromProcessors(): void {
    this.ends.forEach((end) => {
      if (end.activeId !== '') this.orphanRemovals.add(end.activeId);
      end.activeId = '';
    });
  }

  takeRemovals(): string[] {
    const removals = [...this.orphanRemovals];
    this.orphanRemovals.clear();
    return removals;
  }

  /**
   * Up to `limit` starts queued (or started) long enough ago (`oldEnough`),
   * the queued ones first, each in order; they count as active from now on,
   * so an end arriving while their batch is on its way removes them.
   */
  takeStarts(limit: number, oldEnough: (queuedAt: number) => boolean): Array<[string, TrackedTask]> {
    const taken: Array<[string, TrackedTask]> = [];
    for (const [task, queuedAt] of this.starts) {
      // Queued in order: once one is too young, so are the rest.
      if (taken.length >= limit || !oldEnough(queuedAt)) break;
      taken.push([task.processorId, task]);
    }
    for (const [, task] of taken) this.starts.delete(task);
    // The source lists its requests in the order they started, too.
    for (let task = this.firstUnread(); task !== undefined && taken.length < limit; task = task.newer) {
      if (!oldEnough(task.startedAtMillis)) break;
      taken.push([task.processorId, task]);
      this.sourceCursor = task.startSeq;
    }
    for (const [id, task] of taken) this.active.set(task, id);
    return taken;
  }

  /** Up to `limit` active tasks to write again, oldest mark first. */
  takeRewrites(limit: number): Array<[string, TrackedTask]> {
    const taken: Array<[string, TrackedTask]> = [];
    for (const task of this.rewrites) {
      if (taken.length >= limit) break;
      const id = this.active.get(task);
      if (id !== undefined) taken.push([id, task]);
    }
    for (const [, task] of taken) this.rewrites.delete(task);
    return taken;
  }

  /** When the oldest start still waiting was queued (or, in the source, started). */
  oldestStart(): number | undefined {
    const listed = this.firstUnread()?.startedAtMillis;
    const first = this.starts.values().next();
    if (first.done === true) return listed;
    return listed === undefined ? first.value : Math.min(first.value, listed);
  }

  /** A cleaner took this process for dead and moved its active tasks (but `except`): their ends must not be pushed. */
  markActiveCleaned(except: ReadonlySet<TrackedTask>): void {
    for (const task of this.active.keys()) {
      if (except.has(task)) continue;
      this.active.delete(task);
      this.rewrites.delete(task);
      this.cleaned.add(task);
    }
  }

  /** Redis lost its data, or a batch was given up: these requests, if still running, are written again. */
  requeueActive(tasks: Iterable<TrackedTask>): void {
    for (const task of tasks) {
      if (this.active.has(task)) this.starts.set(task, 0);
    }
  }

  /** Shutdown: forgets what is left to start; returns the tasks still active, with their ids. */
  takeActiveAtShutdown(): Array<[TrackedTask, string]> {
    const active = [...this.active];
    this.active.clear();
    this.rewrites.clear();
    this.starts.clear();
    return active;
  }

  private firstUnread(): InFlightTask | undefined {
    return this.source?.firstStartedAfter(this.sourceCursor);
  }

  private lastSourceSeq(): number {
    let last = 0;
    for (let task = this.source?.firstStartedAfter(0); task !== undefined; task = task.newer) last = task.startSeq;
    return last;
  }

  private dropOldestEnd(): void {
    const oldest = this.ends.shift() as PendingEnd;
    if (oldest.activeId !== '') this.orphanRemovals.add(oldest.activeId);
  }
}
