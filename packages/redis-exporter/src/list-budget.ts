/**
 * Under load completed tasks are written in this many slices per refresh
 * period. A held task keeps its span alive, and the young-generation
 * collector copies every live span it meets, so fewer held is cheaper.
 */
const LIST_SLICES = 8;

/**
 * How many completed tasks may be written now, as a function of time alone:
 * refilled at `capacity` (the list length) per `refreshMillis`, never above
 * `capacity`. While the budget is spent, completed tasks wait for the next
 * slice and older ones are trimmed: rewriting the whole list faster than a
 * viewer refreshes only replaces what the previous write put there.
 * A refresh period of 0 means no limit.
 */
export class ListBudget {
  /** Most completed tasks held while the budget is spent, and fewest written at once then. */
  readonly slice: number;
  private budget: number;
  private at = 0;

  constructor(
    private readonly capacity: number,
    private readonly refreshMillis: number,
  ) {
    this.budget = capacity;
    this.slice = Math.ceil(capacity / LIST_SLICES);
  }

  get limited(): boolean {
    return this.refreshMillis > 0;
  }

  /** The budget refilled up to `now`. */
  available(now: number): number {
    if (this.refreshMillis === 0) return this.capacity;
    const refill = ((now - this.at) * this.capacity) / this.refreshMillis;
    return Math.min(this.capacity, this.budget + refill);
  }

  /** Whether `waiting` completed tasks must wait: the budget cannot take a slice of them yet. */
  holds(waiting: number, now: number): boolean {
    return this.limited && this.available(now) < Math.min(this.slice, Math.max(1, waiting));
  }

  /** When the budget will take the next slice of `waiting` held tasks (ms from now, at least 1). */
  millisUntilSlice(waiting: number, now: number): number {
    const missing = Math.min(this.slice, waiting) - this.available(now);
    return Math.max(1, Math.ceil((missing * this.refreshMillis) / this.capacity));
  }

  /** How many of the newest waiting tasks are worth keeping now; older ones would only be trimmed. */
  worthKeeping(now: number): number {
    return this.limited ? Math.max(this.slice, Math.floor(this.available(now))) : this.capacity;
  }

  /** How many may be written now, at most `wanted`. */
  allowance(wanted: number, now: number): number {
    return Math.min(wanted, Math.floor(this.available(now)));
  }

  /** Records that `count` were written at `now`. */
  spend(count: number, now: number): void {
    this.budget = Math.max(0, this.available(now) - count);
    this.at = now;
  }
}
