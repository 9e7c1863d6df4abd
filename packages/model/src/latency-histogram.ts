/**
 * Buckets per decade of milliseconds. Each bucket is 10^(1/24) ≈ 1.10 times
 * as wide as the one before, so a percentile read at a bucket's geometric
 * middle is within 5% of the exact value; whole decades (the coarse buckets)
 * are sums of fine ones.
 */
export const BUCKETS_PER_DECADE = 24;
/** Bucket 0 starts at 1 µs; everything faster is counted in it. */
const OFFSET = 3 * BUCKETS_PER_DECADE;
/** The last bucket starts at 10^7 ms (2.8 h); everything slower is counted in it. */
export const LATENCY_BUCKETS = OFFSET + 7 * BUCKETS_PER_DECADE + 1;

/**
 * Upper bounds of the coarse buckets, in ms, as zPages' tracez draws them:
 * [0, 10 µs), [10 µs, 100 µs), ... [10 s, 100 s), [100 s, ∞).
 */
export const COARSE_LATENCY_BOUNDS_MILLIS: ReadonlyArray<number> = [0.01, 0.1, 1, 10, 100, 1_000, 10_000, 100_000];
/** The fine bucket where the second coarse bucket (10 µs) starts. */
const FIRST_COARSE_BOUND = OFFSET - 2 * BUCKETS_PER_DECADE;

/** The bucket of a latency in milliseconds. */
export function latencyBucket(millis: number): number {
  if (!(millis > 0.001)) return 0;
  const bucket = Math.floor(Math.log10(millis) * BUCKETS_PER_DECADE) + OFFSET;
  return bucket < LATENCY_BUCKETS ? bucket : LATENCY_BUCKETS - 1;
}

/** The value a bucket stands for: its geometric middle, in ms. */
export function latencyBucketMillis(bucket: number): number {
  return 10 ** ((bucket - OFFSET + 0.5) / BUCKETS_PER_DECADE);
}

/** The coarse bucket (0 .. COARSE_LATENCY_BOUNDS_MILLIS.length) that holds a fine one. */
export function coarseLatencyBucket(bucket: number): number {
  if (bucket < FIRST_COARSE_BOUND) return 0;
  return Math.min(COARSE_LATENCY_BOUNDS_MILLIS.length, Math.floor((bucket - FIRST_COARSE_BOUND) / BUCKETS_PER_DECADE) + 1);
}

/**
 * Counts of latencies in log-scale buckets, sparse: only buckets that were
 * hit take memory. Histograms of several processes and seconds add up.
 */
export class LatencyHistogram {
  /** Bucket -> count. */
  readonly buckets = new Map<number, number>();
  private total = 0;

  get count(): number {
    return this.total;
  }

  record(millis: number): void {
    this.addToBucket(latencyBucket(millis), 1);
  }

  addToBucket(bucket: number, count: number): void {
    if (!Number.isInteger(bucket) || bucket < 0 || bucket >= LATENCY_BUCKETS || !(count > 0)) return;
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + count);
    this.total += count;
  }

  add(other: LatencyHistogram): void {
    for (const [bucket, count] of other.buckets) this.addToBucket(bucket, count);
  }

  /** The nearest-rank percentile (0-100) in ms, read at its bucket's middle; undefined when empty. */
  percentile(percent: number): number | undefined {
    if (this.total === 0) return undefined;
    const rank = Math.max(1, Math.ceil((percent / 100) * this.total));
    const ordered = [...this.buckets.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const bucket of ordered) {
      seen += this.buckets.get(bucket) ?? 0;
      if (seen >= rank) return latencyBucketMillis(bucket);
    }
    return latencyBucketMillis(ordered[ordered.length - 1]);
  }

  /** Counts per coarse bucket (see COARSE_LATENCY_BOUNDS_MILLIS), for a small distribution. */
  coarse(): number[] {
    const counts = new Array<number>(COARSE_LATENCY_BOUNDS_MILLIS.length + 1).fill(0);
    for (const [bucket, count] of this.buckets) counts[coarseLatencyBucket(bucket)] += count;
    return counts;
  }
}
