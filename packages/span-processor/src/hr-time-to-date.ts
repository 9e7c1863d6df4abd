import type { HrTime } from '@opentelemetry/api';

/** Years 0000-9999: the range of ISO 8601 times as both readers parse them. */
const MIN_WIRE_MILLIS = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const MAX_WIRE_MILLIS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

/** A span time as a Date; null outside the years the readers parse. */
export function hrTimeToDate(time: HrTime): Date | null {
  const millis = time[0] * 1000 + Math.floor(time[1] / 1e6);
  // A time outside them (a bad clock, a startTime passed by hand) is unknown, not an unreadable record.
  return Number.isFinite(millis) && millis >= MIN_WIRE_MILLIS && millis <= MAX_WIRE_MILLIS ? new Date(millis) : null;
}
