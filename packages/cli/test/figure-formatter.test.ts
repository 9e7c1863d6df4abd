import { expect } from 'chai';
import { FigureFormatter } from '../src/figure-formatter.js';
import { TaskFormatter } from '../src/task-formatter.js';

const format = new FigureFormatter(new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 }));

describe('FigureFormatter', () => {
  it('writes rates with the digits that matter at their size', () => {
    expect([0, 0.0833, 1.5, 15.04, 99.96, 2_400.4].map((value) => format.rate(value))).to.deep.equal(['0.00', '0.08', '1.50', '15.0', '100.0', '2400']);
    expect(format.rate(undefined)).to.equal('-');
  });

  it('writes latencies below 10 ms with decimals, toned by the duration thresholds', () => {
    expect(format.latency(0.42)).to.deep.equal({ text: '0.42ms', tone: 'good' });
    expect(format.latency(1.7)).to.deep.equal({ text: '1.7ms', tone: 'good' });
    expect(format.latency(18.47)).to.deep.equal({ text: '18ms', tone: 'good' });
    expect(format.latency(640)).to.deep.equal({ text: '640ms', tone: 'warning' });
    expect(format.latency(2_400)).to.deep.equal({ text: '2.4s', tone: 'bad' });
    expect(format.latency(undefined)).to.deep.equal({ text: '-' });
  });

  it('marks errors and a running request past the stall threshold', () => {
    expect(format.errors(0)).to.deep.equal({ text: '0' });
    expect(format.errors(3)).to.deep.equal({ text: '3', tone: 'bad' });
    expect(format.errorShare(0)).to.deep.equal({ text: '0.0%' });
    expect(format.errorShare(0.0625)).to.deep.equal({ text: '6.3%', tone: 'bad' });
    expect(format.running(383)).to.deep.equal({ text: '383ms', tone: 'good' });
    expect(format.running(41_300)).to.deep.equal({ text: '41.3s STALLED', tone: 'critical' });
  });

  it('tones the event-loop delay from 100 ms and 1 s', () => {
    expect([4.24, 42, 180, 2_950].map((value) => format.loopDelay(value))).to.deep.equal([
      { text: '4.2ms' },
      { text: '42ms' },
      { text: '180ms', tone: 'warning' },
      { text: '2.9s', tone: 'bad' },
    ]);
  });

  it('writes bytes, uptimes and heartbeat ages short', () => {
    expect([640 * 1024, 94 * 1024 * 1024, 1.25 * 1024 ** 3].map((value) => format.bytes(value))).to.deep.equal(['640K', '94M', '1.3G']);
    expect([45_000, 185_000, 3_725_000, 352_800_000].map((value) => format.uptime(value))).to.deep.equal(['45s', '3m 5s', '1h 2m', '4d 2h']);
    expect([400, 3_100, 12_000].map((value) => format.age(value))).to.deep.equal(['0.4s', '3.1s', '12s']);
  });

  it('draws a distribution as one bar per bucket, as high as its share of the fullest, a dot where empty', () => {
    expect(format.distribution([0, 0, 0, 1, 40, 8, 0, 0, 2])).to.equal('···▁█▂··▁');
    expect(format.distribution([0, 0, 0, 0, 0, 0, 0, 0, 0])).to.equal('·········');
  });
});
