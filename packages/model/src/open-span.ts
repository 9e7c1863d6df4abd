import { TaskDecodeError } from './task-decode-error';
import { parseWireTime, formatWireTime } from './wire-time';

/** The value of a summary attribute. Writers write strings; readers take any JSON scalar a later writer may add. */
export type OpenSpanAttributeValue = string | number | boolean;

/**
 * A span inside an active request that has started and not ended yet: what
 * the request is waiting on. Every field may be null on the wire, as in a
 * task.
 */
export interface OpenSpan {
  spanId: string | null;
  /** The span it runs inside: another open span, or the request's own span (its `span_id` tag). */
  parentSpanId: string | null;
  name: string | null;
  /** `CLIENT`, `INTERNAL`, `PRODUCER`, `CONSUMER` or `SERVER`. */
  kind: string | null;
  startedAt: Date | null;
  /** A few summary attributes under their stable semantic-convention names, e.g. `db.system.name`. */
  attributes: Record<string, OpenSpanAttributeValue> | null;
}

/** The wire object of one open span, in the order the wire format lists its keys. */
export function encodeOpenSpan(span: OpenSpan): Record<string, unknown> {
  return {
    span_id: span.spanId ?? null,
    parent_span_id: span.parentSpanId ?? null,
    name: span.name ?? null,
    kind: span.kind ?? null,
    started_at: span.startedAt === null || span.startedAt === undefined ? null : formatWireTime(span.startedAt),
    attributes: span.attributes ?? null,
  };
}

function isPlainObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

function mismatch(expected: string, where: string, wireName: string): TaskDecodeError {
  return new TaskDecodeError(`${where}: expected ${expected}`, wireName);
}

function optionalString(raw: unknown, where: string, wireName: string): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'string') throw mismatch('a string', where, wireName);
  return raw;
}

function decodeTime(value: string, where: string, wireName: string): Date {
  try {
    return parseWireTime(value, where);
  } catch (error) {
    throw new TaskDecodeError((error as Error).message, wireName);
  }
}

function decodeAttributes(raw: unknown, where: string, wireName: string): Record<string, OpenSpanAttributeValue> | null {
  if (raw === null || raw === undefined) return null;
  if (!isPlainObject(raw)) throw mismatch('an object', where, wireName);
  for (const [key, value] of Object.entries(raw)) {
    const type = typeof value;
    if (type !== 'string' && type !== 'number' && type !== 'boolean') throw mismatch('a string, number or boolean', `${where}.${key}`, wireName);
  }
  return raw as Record<string, OpenSpanAttributeValue>;
}

/**
 * `open_spans`: an array of open-span objects. As with every task field,
 * unknown keys are ignored and missing ones are null; a value of the wrong
 * type throws TaskDecodeError naming the field and the entry.
 */
export function decodeOpenSpans(raw: unknown, wireName: string): OpenSpan[] | null {
  if (!Array.isArray(raw)) throw new TaskDecodeError('expected an array of open spans', wireName);
  return raw.map((entry: unknown, index) => {
    const where = `[${index}]`;
    if (!isPlainObject(entry)) throw mismatch('an object', where, wireName);
    const startedAt = optionalString(entry.started_at, `${where}.started_at`, wireName);
    return {
      spanId: optionalString(entry.span_id, `${where}.span_id`, wireName),
      parentSpanId: optionalString(entry.parent_span_id, `${where}.parent_span_id`, wireName),
      name: optionalString(entry.name, `${where}.name`, wireName),
      kind: optionalString(entry.kind, `${where}.kind`, wireName),
      startedAt: startedAt === null ? null : decodeTime(startedAt, `${where}.started_at`, wireName),
      attributes: decodeAttributes(entry.attributes, `${where}.attributes`, wireName),
    };
  });
}

/**
 * The span a request is waiting on now: among its open spans, the latest
 * started of those with no open span inside them. Undefined when it has none
 * (it is running its own code, or its writer does not follow spans).
 */
export function innermostOpenSpan(spans: readonly OpenSpan[] | null): OpenSpan | undefined {
  if (spans === null || spans.length === 0) return undefined;
  const parents = new Set(spans.map((span) => span.parentSpanId));
  let innermost: OpenSpan | undefined;
  for (const span of spans) {
    if (span.spanId !== null && parents.has(span.spanId)) continue;
    if (innermost === undefined || (span.startedAt?.getTime() ?? 0) >= (innermost.startedAt?.getTime() ?? 0)) innermost = span;
  }
  return innermost ?? spans[spans.length - 1];
}

/**
 * What an open span is, in a few words from its summary attributes:
 * `postgresql SELECT orders`, `GET payments.internal /charge`,
 * `Billing/Charge`, `kafka orders`; else its name.
 */
export function describeOpenSpan(span: OpenSpan): string {
  const attribute = (name: string): string | undefined => {
    const value = span.attributes?.[name];
    return value === undefined || value === '' ? undefined : String(value);
  };
  const words = (...parts: Array<string | undefined>): string => parts.filter((part) => part !== undefined).join(' ');
  const system = attribute('db.system.name');
  if (system !== undefined) return words(system, attribute('db.operation.name'), attribute('db.collection.name'));
  const method = attribute('http.request.method');
  if (method !== undefined) return words(method, attribute('server.address'), attribute('url.path'));
  const service = attribute('rpc.service');
  if (service !== undefined) return [service, attribute('rpc.method')].filter((part) => part !== undefined).join('/');
  const destination = attribute('messaging.destination.name');
  if (destination !== undefined) return words(attribute('messaging.system'), destination);
  return span.name ?? '?';
}

/** Each open span with how deep it sits inside the request (0: directly in it), in the list's tree order. */
export function openSpanDepths(spans: readonly OpenSpan[]): Array<{ span: OpenSpan; depth: number }> {
  const depths = new Map<string, number>();
  return spans.map((span) => {
    const parent = span.parentSpanId === null ? undefined : depths.get(span.parentSpanId);
    const depth = parent === undefined ? 0 : parent + 1;
    if (span.spanId !== null) depths.set(span.spanId, depth);
    return { span, depth };
  });
}
