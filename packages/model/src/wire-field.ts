import { TaskDecodeError } from './task-decode-error';
import { parseWireTime } from './wire-time';

/** Turns a raw JSON value into a typed field value, or throws TaskDecodeError naming the field. */
export type WireDecoder<V> = (raw: unknown, wireName: string) => V;

/**
 * One field of the wire format: the camelCase property of the model class and
 * the snake_case name on the wire, with its decoder. The classes' toJSON()
 * and fromJSON() spell the same names out for speed; a test holds them to
 * these tables.
 */
export interface WireField<T> {
  readonly wireName: string;
  /** Decodes `raw` (the JSON value; null and undefined mean unknown) into `target`. */
  decodeInto(target: T, raw: unknown): void;
}

export function wireField<T, K extends keyof T>(
  property: K,
  wireName: string,
  decode: WireDecoder<T[K]>,
): WireField<T> {
  return {
    wireName,
    decodeInto(target, raw) {
      target[property] = raw === null || raw === undefined ? (null as T[K]) : decode(raw, wireName);
    },
  };
}

function describe(raw: unknown): string {
  if (Array.isArray(raw)) return 'an array';
  if (raw === null) return 'null';
  return `${typeof raw} ${JSON.stringify(raw)?.slice(0, 40) ?? ''}`.trim();
}

function mismatch(expected: string, raw: unknown, wireName: string): TaskDecodeError {
  return new TaskDecodeError(`expected ${expected}, got ${describe(raw)}`, wireName);
}

export const decodeString: WireDecoder<string | null> = (raw, wireName) => {
  if (typeof raw !== 'string') throw mismatch('a string', raw, wireName);
  return raw;
};

export const decodeInteger: WireDecoder<number | null> = (raw, wireName) => {
  if (typeof raw !== 'number' || !Number.isInteger(raw)) throw mismatch('an integer', raw, wireName);
  return raw;
};

export const decodeIntegerOrString: WireDecoder<number | string | null> = (raw, wireName) => {
  if (typeof raw === 'string' || (typeof raw === 'number' && Number.isInteger(raw))) return raw;
  throw mismatch('an integer or a string', raw, wireName);
};

export const decodeBoolean: WireDecoder<boolean | null> = (raw, wireName) => {
  if (typeof raw !== 'boolean') throw mismatch('true, false or null', raw, wireName);
  return raw;
};

export const decodeTime: WireDecoder<Date | null> = (raw, wireName) => {
  if (typeof raw !== 'string') throw mismatch('an ISO 8601 time string', raw, wireName);
  return parseWireTime(raw, wireName);
};

export const decodeStringArray: WireDecoder<string[] | null> = (raw, wireName) => {
  if (!Array.isArray(raw) || !raw.every((item) => typeof item === 'string')) {
    throw mismatch('an array of strings', raw, wireName);
  }
  return raw as string[];
};

function isPlainObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

export const decodeStringMap: WireDecoder<Record<string, string> | null> = (raw, wireName) => {
  if (!isPlainObject(raw) || !Object.values(raw).every((value) => typeof value === 'string')) {
    throw mismatch('an object of strings', raw, wireName);
  }
  return raw as Record<string, string>;
};

/** Query parameters: a repeated key keeps every value, as an array. */
export const decodeParams: WireDecoder<Record<string, string | string[]> | null> = (raw, wireName) => {
  const valid =
    isPlainObject(raw) &&
    Object.values(raw).every(
      (value) => typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string')),
    );
  if (!valid) throw mismatch('an object of strings or string arrays', raw, wireName);
  return raw as Record<string, string | string[]>;
};

export const decodeHeaders: WireDecoder<Array<[string, string]> | null> = (raw, wireName) => {
  const valid =
    Array.isArray(raw) &&
    raw.every(
      (pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string',
    );
  if (!valid) throw mismatch('an array of [name, value] string pairs', raw, wireName);
  return raw as Array<[string, string]>;
};
