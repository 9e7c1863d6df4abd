import { expect } from 'chai';
import { judgeAtMost, median, medianInterval } from '../src/statistics';

/** 0, 1, ..., n − 1 in a shuffled order, so that the interval must sort them. */
function shuffledRange(n: number): number[] {
  const values = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1, state = 7; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
  return values;
}

describe('medianInterval', () => {
  it('has no bounds when too few samples can give the confidence asked', () => {
    const interval = medianInterval([1, 2, 3, 4, 5]);
    expect(Number.isNaN(interval.low), `low ${interval.low}`).to.equal(true);
    expect(Number.isNaN(interval.high), `high ${interval.high}`).to.equal(true);
  });

  it('is the smallest and largest of six samples', () => {
    expect(medianInterval(shuffledRange(6))).to.deep.equal({ low: 0, high: 5 });
  });

  it('is the 10th smallest and the 10th largest of 31 samples, as binomial tables give', () => {
    expect(medianInterval(shuffledRange(31))).to.deep.equal({ low: 9, high: 21 });
  });

  it('stays around the median for thousands of samples, where 2^-n underflows', () => {
    // For n = 2,000 the normal approximation puts the bounds 1.96 · √n / 2 ≈ 44 ranks either side of the middle.
    const values = shuffledRange(2_000);
    const { low, high } = medianInterval(values);
    expect(low).to.be.within(950, 960);
    expect(high).to.equal(1_999 - low);
    expect(median(values)).to.be.within(low, high);
  });
});

describe('judgeAtMost', () => {
  it('meets a limit the whole interval is within, leaves open one the interval holds, misses one it is above', () => {
    expect(judgeAtMost({ low: 0.13, high: 0.17 }, 0.5)).to.deep.equal({ pass: true, unresolved: false });
    expect(judgeAtMost({ low: 0.15, high: 0.72 }, 0.5)).to.deep.equal({ pass: false, unresolved: true });
    expect(judgeAtMost({ low: 0.6, high: 0.9 }, 0.5)).to.deep.equal({ pass: false, unresolved: false });
    expect(judgeAtMost({ low: 0.2, high: 0.5 }, 0.5)).to.deep.equal({ pass: true, unresolved: false });
  });
});
