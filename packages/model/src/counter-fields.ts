import type { SecondCounts } from './live-counters';
import { LATENCY_BUCKETS } from './latency-histogram';
import { RequestCounts, STATUS_CLASSES } from './request-counts';

/*
 * The fields of a counts hash in Redis (docs/wire-format.md): for each task
 * name N, `c:N` requests, `e:N` errors, `s<k>:N` requests of status class k
 * (0 no response, 1-5 for 1xx-5xx), `h<b>:N` requests in latency bucket b.
 * Writers add to them with HINCRBY, so the counts of every process add up.
 */
const COUNT = 'c';
const ERRORS = 'e';
const STATUS_CLASS = 's';
const LATENCY_BUCKET = 'h';

/** A name as a field suffix: one line, since writers send fields newline-separated. */
function fieldName(name: string): string {
  return name.includes('\n') || name.includes('\r') ? name.replace(/[\r\n]/g, ' ') : name;
}

/** The field/increment pairs of one second's counts, in the order HINCRBY takes them. */
export function counterIncrements(counts: SecondCounts): Array<[string, number]> {
  const increments: Array<[string, number]> = [];
  for (const [rawName, named] of counts.names) {
    const name = fieldName(rawName);
    increments.push([`${COUNT}:${name}`, named.count]);
    if (named.errors > 0) increments.push([`${ERRORS}:${name}`, named.errors]);
    named.statusClasses.forEach((count, index) => {
      if (count > 0) increments.push([`${STATUS_CLASS}${index}:${name}`, count]);
    });
    for (const [bucket, count] of named.latency.buckets) increments.push([`${LATENCY_BUCKET}${bucket}:${name}`, count]);
  }
  return increments;
}

/**
 * Adds the fields of one counts hash to `into`, as HGETALL sends them: field
 * and value in turn. Fields it does not know are ignored, so that later
 * writers may add some.
 */
export function addCounterFields(into: Map<string, RequestCounts>, fieldsAndValues: ReadonlyArray<unknown>): void {
  for (let i = 0; i + 1 < fieldsAndValues.length; i += 2) {
    const field = fieldsAndValues[i];
    if (typeof field !== 'string') continue;
    const colon = field.indexOf(':');
    const value = Number(fieldsAndValues[i + 1]);
    if (colon < 1 || !Number.isSafeInteger(value) || value <= 0) continue;
    const kind = field.charAt(0);
    const index = colon === 1 ? -1 : Number(field.slice(1, colon));
    if (!isKnownField(kind, colon, index)) continue;
    const name = field.slice(colon + 1);
    let counts = into.get(name);
    if (counts === undefined) {
      counts = new RequestCounts();
      into.set(name, counts);
    }
    if (kind === COUNT) counts.count += value;
    else if (kind === ERRORS) counts.errors += value;
    else if (kind === STATUS_CLASS) counts.statusClasses[index] += value;
    else counts.latency.addToBucket(index, value);
  }
}

function isKnownField(kind: string, colon: number, index: number): boolean {
  if (colon === 1) return kind === COUNT || kind === ERRORS;
  if (!Number.isInteger(index) || index < 0) return false;
  return (kind === STATUS_CLASS && index < STATUS_CLASSES) || (kind === LATENCY_BUCKET && index < LATENCY_BUCKETS);
}
