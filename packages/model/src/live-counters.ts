import type { HTTPTask } from './http-task';
import { RequestCounts } from './request-counts';

/** What the live counters learn of a request when it ends; read cheaply, on the request path. */
export interface TaskOutcome {
  /** The task name: `METHOD route`, else `METHOD path`. */
  name: string;
  /** null: no response (the client went away). */
  statusCode: number | null;
  durationMillis: number;
  /** When it ended (ms since the epoch), where the task knows: counting it then needs no clock read. */
  endedAtMillis?: number;
}

/** The counts of every task name over one second. */
export interface SecondCounts {
  /** Whole seconds since the epoch. */
  second: number;
  names: Map<string, RequestCounts>;
}

/** Where requests of names past the bound are counted. */
export const OVERFLOW_TASK_NAME = '(other)';
export const DEFAULT_MAX_COUNTED_NAMES = 256;
/** Seconds kept while they cannot be written (Redis away): older ones fall out of every window anyway. */
const MAX_PENDING_SECONDS = 300;

/**
 * Counts every request an exporter sees, per second and per task name, in
 * O(1) per request. At most `maxNames` names are counted by name for the
 * life of the process; later ones go under OVERFLOW_TASK_NAME, so an app
 * without routes cannot flood Redis with paths. A second's counts are taken
 * once it is over.
 */
export class LiveCounters {
  private readonly known = new Set<string>();
  private current: SecondCounts | undefined;
  /** Seconds that are over, not taken yet, oldest first. */
  private readonly pending: SecondCounts[] = [];
  private lostSeconds = 0;

  constructor(private readonly maxNames = DEFAULT_MAX_COUNTED_NAMES) {}

  /** Seconds of counts dropped because they could not be taken in time. */
  get lost(): number {
    return this.lostSeconds;
  }

  /** Counts a request that ended in `second` (whole seconds since the epoch, by the counting process's clock). */
  record(outcome: TaskOutcome, second: number): void {
    const slot = this.slot(second);
    // A name this second already counts has passed the bound: one lookup for nearly every request.
    let counts = slot.names.get(outcome.name);
    if (counts === undefined) {
      let name = outcome.name;
      if (!this.known.has(name)) {
        if (this.known.size < this.maxNames) this.known.add(name);
        else name = OVERFLOW_TASK_NAME;
      }
      counts = slot.names.get(name);
      if (counts === undefined) {
        counts = new RequestCounts();
        slot.names.set(name, counts);
      }
    }
    counts.record(outcome.statusCode, outcome.durationMillis);
  }

  /** Whether any second before `second` waits to be taken. */
  hasBefore(second: number): boolean {
    return (this.pending.length > 0 && this.pending[0].second < second) || (this.current !== undefined && this.current.second < second);
  }

  /** The seconds before `second`, oldest first; they are no longer held here. */
  takeBefore(second: number): SecondCounts[] {
    if (this.current !== undefined && this.current.second < second) {
      this.pending.push(this.current);
      this.current = undefined;
    }
    let count = 0;
    while (count < this.pending.length && this.pending[count].second < second) count++;
    return this.pending.splice(0, count);
  }

  /** Gives back seconds that could not be written, to go with the next write. */
  putBack(seconds: SecondCounts[]): void {
    for (const counts of seconds) {
      const slot = this.slot(counts.second);
      for (const [name, named] of counts.names) {
        const existing = slot.names.get(name);
        if (existing === undefined) slot.names.set(name, named);
        else existing.add(named);
      }
    }
  }

  private slot(second: number): SecondCounts {
    const current = this.current;
    if (current !== undefined && current.second === second) return current;
    if (current === undefined || second > current.second) {
      if (current !== undefined) this.hold(current);
      this.current = { second, names: new Map() };
      return this.current;
    }
    // An earlier second than the latest one seen: the clock was set back, or seconds were given back.
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const held = this.pending[i];
      if (held.second === second) return held;
      if (held.second < second) {
        const inserted: SecondCounts = { second, names: new Map() };
        this.pending.splice(i + 1, 0, inserted);
        this.bound();
        return inserted;
      }
    }
    const oldest: SecondCounts = { second, names: new Map() };
    this.pending.unshift(oldest);
    this.bound();
    return oldest;
  }

  private hold(counts: SecondCounts): void {
    this.pending.push(counts);
    this.bound();
  }

  private bound(): void {
    while (this.pending.length > MAX_PENDING_SECONDS) {
      this.pending.shift();
      this.lostSeconds++;
    }
  }
}

/** The outcome of a task that ended, from its fields: for tasks that are not spans. */
export function outcomeOfTask(task: HTTPTask): TaskOutcome {
  const name = task.taskName ?? `${task.method ?? ''} ${task.path ?? ''}`.trim();
  return { name, statusCode: task.statusCode, durationMillis: task.getDuration() ?? 0, endedAtMillis: task.endedAt?.getTime() };
}

/** The second a request is counted in: the one it ended in, else the one under way. */
export function outcomeSecond(outcome: TaskOutcome): number {
  return Math.floor((outcome.endedAtMillis ?? Date.now()) / 1000);
}

/** One second's counts of every name added up, under the name '': what a process's own figures need. */
export function secondTotal(counts: SecondCounts): SecondCounts {
  const total = new RequestCounts();
  for (const named of counts.names.values()) total.add(named);
  return { second: counts.second, names: new Map([['', total]]) };
}
