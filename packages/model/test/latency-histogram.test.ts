import { expect } from 'chai';
import {
  COARSE_LATENCY_BOUNDS_MILLIS,
  coarseLatencyBucket,
  LATENCY_BUCKETS,
  latencyBucket,
  latencyBucketMillis,
  LatencyHistogram,
} from '../src';

/** The exact nearest-rank percentile of values. */
function exactPercentile(values: number[], percent: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((percent / 100) * sorted.length)) - 1];
}

/** A deterministic pseudo-random sequence, so that the test reads the same every run. */
function* lcg(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    yield state / 2 ** 31;
  }
}

describe('LatencyHistogram', () => {
  it('puts every latency in a bucket whose middle is within 5% of it', () => {
    for (const millis of [0.0011, 0.02, 0.5, 1, 3.7, 42, 999, 1_000, 12_345, 600_000]) {
      const middle = latencyBucketMillis(latencyBucket(millis));
      expect(Math.abs(middle - millis) / millis, `${millis} ms`).to.be.below(0.05);
    }
  });

  it('counts what is below 1 µs in the first bucket and what is above 2.8 h in the last', () => {
    expect(latencyBucket(0)).to.equal(0);
    expect(latencyBucket(-5)).to.equal(0);
    expect(latencyBucket(Number.NaN)).to.equal(0);
    expect(latencyBucket(1e12)).to.equal(LATENCY_BUCKETS - 1);
    expect(latencyBucket(Number.POSITIVE_INFINITY)).to.equal(LATENCY_BUCKETS - 1);
  });

  it('gives p50, p95 and p99 within 10% of the exact values for a mix of fast and slow requests', () => {
    const random = lcg(7);
    const values: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const r = random.next().value as number;
      // 90% fast (1-20 ms), 9% slow (200-900 ms), 1% very slow (3-8 s).
      values.push(r < 0.9 ? 1 + 19 * (r / 0.9) : r < 0.99 ? 200 + 700 * ((r - 0.9) / 0.09) : 3_000 + 5_000 * ((r - 0.99) / 0.01));
    }
    const histogram = new LatencyHistogram();
    for (const value of values) histogram.record(value);
    expect(histogram.count).to.equal(20_000);
    for (const percent of [50, 95, 99]) {
      const exact = exactPercentile(values, percent);
      const estimate = histogram.percentile(percent) as number;
      expect(Math.abs(estimate - exact) / exact, `p${percent}: ${estimate} vs ${exact}`).to.be.below(0.1);
    }
  });

  it('adds up histograms of several processes', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let i = 0; i < 99; i++) a.record(10);
    b.record(5_000);
    a.add(b);
    expect(a.count).to.equal(100);
    expect(a.percentile(50)).to.be.closeTo(10, 0.5);
    expect(a.percentile(100)).to.be.closeTo(5_000, 250);
    expect(new LatencyHistogram().percentile(50)).to.equal(undefined);
  });

  it('sums whole decades into the coarse buckets zPages draws', () => {
    const histogram = new LatencyHistogram();
    for (const millis of [0.005, 0.05, 0.5, 5, 50, 50, 500, 5_000, 50_000, 500_000, 5_000_000]) histogram.record(millis);
    expect(histogram.coarse()).to.deep.equal([1, 1, 1, 1, 2, 1, 1, 1, 2]);
    expect(COARSE_LATENCY_BOUNDS_MILLIS.length + 1).to.equal(9);
    // The edges: 10 ms starts the fifth bucket, just below it is the fourth.
    expect(coarseLatencyBucket(latencyBucket(10))).to.equal(4);
    expect(coarseLatencyBucket(latencyBucket(9.9))).to.equal(3);
  });

  it('ignores buckets and counts that cannot be (a hostile counts hash)', () => {
    const histogram = new LatencyHistogram();
    histogram.addToBucket(-1, 5);
    histogram.addToBucket(LATENCY_BUCKETS, 5);
    histogram.addToBucket(1.5, 5);
    histogram.addToBucket(3, -2);
    histogram.addToBucket(3, Number.NaN);
    expect(histogram.count).to.equal(0);
  });
});
