import { TaskDecodeError } from './task-decode-error';

// ISO 8601 as written by Python's isoformat() (microseconds, +00:00) and by
// JavaScript's toISOString() (milliseconds, Z). A time without a zone is read as UTC.
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const ZERO = 48;
const Z = 90;
/** `YYYY-MM-DDTHH:MM:SS.`: which character stands where between the digits. */
const SEPARATORS = '--T::.';
const SEPARATOR_POSITIONS = [4, 7, 10, 13, 16, 19];

/** The decimal number in `count` characters from `start`, or -1 if one is not a digit. */
function digitsAt(value: string, start: number, count: number): number {
  let number = 0;
  for (let i = start; i < start + count; i++) {
    const digit = value.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/**
 * Milliseconds of the two forms writers actually use, `2026-11-23T20:42:11.105000+00:00`
 * (isoformat) and `2026-11-23T20:42:11.105Z` (toISOString), read without a regular
 * expression: a reader of 10,000 tasks parses 30,000 times. Undefined for anything
 * else, which the general parser then reads or rejects.
 */
function parseCommonUtcTime(value: string): number | undefined {
  const isoformat = value.length === 32 && value.endsWith('+00:00');
  if (!isoformat && !(value.length === 24 && value.charCodeAt(23) === Z)) return undefined;
  for (let i = 0; i < SEPARATOR_POSITIONS.length; i++) {
    if (value.charCodeAt(SEPARATOR_POSITIONS[i]) !== SEPARATORS.charCodeAt(i)) return undefined;
  }
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  const millis = digitsAt(value, 20, 3);
  const valid =
    year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && minute >= 0 && second >= 0 && millis >= 0;
  if (!valid || (isoformat && digitsAt(value, 23, 3) < 0)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

/** Parses a wire time; throws TaskDecodeError naming `field` when it is not ISO 8601. */
export function parseWireTime(value: string, field: string): Date {
  const common = parseCommonUtcTime(value);
  if (common !== undefined) return new Date(common);
  const match = ISO_8601.exec(value);
  if (match === null) {
    throw new TaskDecodeError(`expected an ISO 8601 time, got ${JSON.stringify(value.slice(0, 64))}`, field);
  }
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  let utc = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second, millis);
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
    utc -= sign * offsetMinutes * 60_000;
  }
  if (Number.isNaN(utc) || +month < 1 || +month > 12 || +day < 1 || +day > 31) {
    throw new TaskDecodeError(`not a valid time: ${JSON.stringify(value.slice(0, 64))}`, field);
  }
  return new Date(utc);
}

/**
 * The wire form of a time, as Python's isoformat() writes a UTC time
 * (`2026-11-23T20:42:11.105000+00:00`). Python before 3.11 cannot read the
 * `Z` of toISOString() with fromisoformat(), which the reference reader uses.
 */
export function formatWireTime(date: Date): string {
  // Tasks come in bursts within the same second: reuse its formatted part (a measurable share of encoding).
  const time = date.getTime();
  const second = Math.floor(time / 1000);
  if (second !== cachedSecond) {
    const iso = date.toISOString();
    if (iso.length !== 24) return `${iso.slice(0, -1)}000+00:00`; // years outside 0000-9999, or an invalid date
    cachedSecond = second;
    cachedPrefix = iso.slice(0, 20);
  }
  const millis = time - second * 1000;
  return `${cachedPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}000+00:00`;
}

let cachedSecond = Number.NaN;
/** `YYYY-MM-DDTHH:MM:SS.` of cachedSecond. */
let cachedPrefix = '';
