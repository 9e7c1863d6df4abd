/** The middle value (mean of the two middle ones for an even count); NaN for none. */
export function median(values: ReadonlyArray<number>): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const middle = Math.floor(finite.length / 2);
  return finite.length % 2 === 1 ? finite[middle] : (finite[middle - 1] + finite[middle]) / 2;
}

/** b[i] / a[i] for each round: pairs measured next to each other share the machine's state at that time. */
export function pairRatios(a: ReadonlyArray<number>, b: ReadonlyArray<number>): number[] {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) ratios.push(b[i] / a[i]);
  return ratios;
}

/**
 * Measures every variant once per round, so slow drifts of a shared machine
 * hit all variants alike, and starts each round one variant later (A B C,
 * B C A, C A B, ...): on this VM the same server measured last in a round
 * was 6% slower than measured first, so a fixed order favoured the first
 * variant. Over as many rounds as variants, each takes every place once.
 * Samples are returned in round order.
 */
export async function alternate<V extends string, S>(
  variants: ReadonlyArray<V>,
  rounds: number,
  measure: (variant: V, round: number) => Promise<S>,
): Promise<Map<V, S[]>> {
  const samples = new Map<V, S[]>(variants.map((variant) => [variant, []]));
  for (let round = 0; round < rounds; round++) {
    for (let place = 0; place < variants.length; place++) {
      const variant = variants[(round + place) % variants.length];
      samples.get(variant)?.push(await measure(variant, round));
    }
  }
  return samples;
}

/**
 * A distribution-free confidence interval for the median: the k-th smallest
 * and k-th largest of the samples, with k the largest for which the chance
 * that fewer than k samples fall below the true median is at most
 * (1 − confidence) / 2 (a binomial tail with p = 1/2). Needs no assumption
 * about how the noise is spread, which on a shared host it is not normally.
 * NaN bounds when there are too few samples for the confidence asked.
 */
export function medianInterval(values: ReadonlyArray<number>, confidence = 0.95): { low: number; high: number } {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  const n = sorted.length;
  const tail = (1 - confidence) / 2;
  // P(X < k) for X ~ Binomial(n, 1/2), summed term by term: C(n, i) / 2^n. Each term goes by its logarithm,
  // since 2^-n underflows to 0 past n = 1074 and the sum would then never reach the tail.
  let below = 0;
  let logTerm = -n * Math.LN2;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const term = Math.exp(logTerm);
    if (below + term > tail) break;
    below += term;
    logTerm += Math.log(n - i) - Math.log(i + 1);
    k = i + 1;
  }
  if (k === 0) return { low: NaN, high: NaN };
  return { low: sorted[k - 1], high: sorted[n - k] };
}

/**
 * An at-most budget judged by the 95% interval of a median: met when the
 * whole interval is within the limit, unresolved (OPEN) when the interval
 * holds the limit, missed when the interval is all above it.
 */
export function judgeAtMost(interval: { low: number; high: number }, limit: number): { pass: boolean; unresolved: boolean } {
  return { pass: interval.high <= limit, unresolved: interval.low <= limit && interval.high > limit };
}
