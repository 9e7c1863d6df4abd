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
 * Adds the fields of one counts hash (as HGETALL returns it) to `into`.
 * Fields it does not know are ignored, so that later writers may add some.
 */
export function addCounterFields(into: Map<string, RequestCounts>, fields: Record<string, string>): void {
  for (const field in fields) {
    const colon = field.indexOf(':');
    const value = Number(fields[field]);
    if (colon < 1 || !Number.isSafeInteger(value) || value <= 0) continue;
    const kind = field.charAt(0);
    const index = colon === 1 ? -1 : Number(field.slice(1, colon));
    const name = field.slice(colon + 1);
    let counts = into.get(name);
    const get = (): RequestCounts => {
      if (counts === undefined) {
        counts = new RequestCounts();
        into.set(name, counts);
      }
      return counts;
    };
    if (kind === COUNT && colon === 1) get().count += value;
    else if (kind === ERRORS && colon === 1) get().errors += value;
    else if (kind === STATUS_CLASS && Number.isInteger(index) && index >= 0 && index < STATUS_CLASSES) get().statusClasses[index] += value;
    else if (kind === LATENCY_BUCKET && Number.isInteger(index) && index >= 0 && index < LATENCY_BUCKETS) get().latency.addToBucket(index, value);
  }
}
