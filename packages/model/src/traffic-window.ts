/** The windows a reader computes traffic figures over, by name, in seconds. */
export const TRAFFIC_WINDOWS = { '10s': 10, '1m': 60, '5m': 300 } as const;
export type TrafficWindowName = keyof typeof TRAFFIC_WINDOWS;
export const TRAFFIC_WINDOW_NAMES = Object.keys(TRAFFIC_WINDOWS) as TrafficWindowName[];

/** How long per-second counts are kept, and how long per-ten-second ones (s). */
export const ONE_SECOND_HISTORY_SECONDS = 75;
export const TEN_SECOND_HISTORY_SECONDS = 330;
/**
 * A second is complete in Redis this long after it is over (s): exporters
 * write the seconds that are over about once a second, with their next flush.
 */
export const COUNTER_LAG_SECONDS = 2;

/** Which kept periods make up a window, and how many seconds they cover. */
export interface WindowSlots {
  /** Whole seconds since the epoch, each a per-second period. */
  seconds: number[];
  /** Starts of per-ten-second periods (multiples of 10). */
  tenSeconds: number[];
  /** Seconds the periods cover: the window, less what is no longer kept. */
  covered: number;
}

/**
 * The periods that make up the `windowSeconds` ending with `lastSecond`
 * (inclusive): whole ten-second periods where they fit, single seconds at the
 * edges while those are still kept. A reader adds the counts of these up.
 */
export function windowSlots(windowSeconds: number, lastSecond: number): WindowSlots {
  const first = lastSecond - windowSeconds + 1;
  const oldestSecondKept = lastSecond - ONE_SECOND_HISTORY_SECONDS + COUNTER_LAG_SECONDS + 1;
  const slots: WindowSlots = { seconds: [], tenSeconds: [], covered: 0 };
  for (let decade = Math.floor(first / 10) * 10; decade <= lastSecond; decade += 10) {
    if (decade >= first && decade + 9 <= lastSecond) {
      slots.tenSeconds.push(decade);
      slots.covered += 10;
      continue;
    }
    for (let second = Math.max(decade, first); second <= Math.min(decade + 9, lastSecond); second++) {
      if (second < oldestSecondKept) continue;
      slots.seconds.push(second);
      slots.covered++;
    }
  }
  return slots;
}

/** The last second a reader at `nowMillis` can count on being complete. */
export function lastCompleteSecond(nowMillis: number): number {
  return Math.floor(nowMillis / 1000) - COUNTER_LAG_SECONDS;
}
