import type { SecondCounts } from './live-counters';
import { RequestCounts } from './request-counts';
import { ONE_SECOND_HISTORY_SECONDS, TEN_SECOND_HISTORY_SECONDS, windowSlots } from './traffic-window';

/** Counts by task name, added up over a window, and how many seconds that window covers. */
export interface WindowCounts {
  names: Map<string, RequestCounts>;
  seconds: number;
}

function addNames(into: Map<string, RequestCounts>, from: Map<string, RequestCounts>): void {
  for (const [name, counts] of from) {
    let total = into.get(name);
    if (total === undefined) {
      total = new RequestCounts();
      into.set(name, total);
    }
    total.add(counts);
  }
}

/**
 * The recent seconds of counts kept in memory, in the same periods a Redis
 * reader reads (per second, and per ten seconds), so that one process
 * without Redis computes the same windows. Bounded by the history lengths.
 */
export class CounterHistory {
  private readonly seconds = new Map<number, Map<string, RequestCounts>>();
  private readonly tenSeconds = new Map<number, Map<string, RequestCounts>>();

  add(counts: SecondCounts): void {
    const second = new Map<string, RequestCounts>();
    addNames(second, counts.names);
    const previous = this.seconds.get(counts.second);
    if (previous === undefined) this.seconds.set(counts.second, second);
    else addNames(previous, second);
    const decade = Math.floor(counts.second / 10) * 10;
    let ten = this.tenSeconds.get(decade);
    if (ten === undefined) {
      ten = new Map();
      this.tenSeconds.set(decade, ten);
    }
    addNames(ten, counts.names);
    this.prune(counts.second);
  }

  /** The counts of the `windowSeconds` ending with `lastSecond`. */
  window(windowSeconds: number, lastSecond: number): WindowCounts {
    const slots = windowSlots(windowSeconds, lastSecond);
    const names = new Map<string, RequestCounts>();
    for (const second of slots.seconds) {
      const counts = this.seconds.get(second);
      if (counts !== undefined) addNames(names, counts);
    }
    for (const decade of slots.tenSeconds) {
      const counts = this.tenSeconds.get(decade);
      if (counts !== undefined) addNames(names, counts);
    }
    return { names, seconds: slots.covered };
  }

  private prune(latest: number): void {
    for (const second of this.seconds.keys()) {
      if (second < latest - ONE_SECOND_HISTORY_SECONDS) this.seconds.delete(second);
    }
    for (const decade of this.tenSeconds.keys()) {
      if (decade < latest - TEN_SECOND_HISTORY_SECONDS - 10) this.tenSeconds.delete(decade);
    }
  }
}
