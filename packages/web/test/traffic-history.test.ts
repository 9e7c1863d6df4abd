import { expect } from 'chai';
import { figuresOf, RequestCounts, TrafficReport } from '@otel-top/model';
import { TrafficHistory } from '../src/index.js';

function report(routes: Record<string, number[]>): TrafficReport {
  const figures = Object.entries(routes).map(([name, latencies]) => {
    const counts = new RequestCounts();
    for (const millis of latencies) counts.record(200, millis);
    return figuresOf(name, counts, 10);
  });
  const total = new RequestCounts();
  for (const latencies of Object.values(routes)) for (const millis of latencies) total.record(200, millis);
  return { window: '10s', seconds: 10, total: figuresOf('', total, 10), routes: figures.sort((a, b) => b.count - a.count) };
}

describe('TrafficHistory: what the charts draw', () => {
  it('keeps the counters\' req/s and p95 of the fleet and of the busiest routes, over the last seconds', () => {
    const history = new TrafficHistory(60, 2, 3_000);
    history.add(report({ 'GET /a': [10, 10, 10, 10], 'GET /b': [100, 100], 'GET /c': [1] }), 1_000);
    const sample = history.latest;
    expect(sample?.rps).to.equal(0.7);
    expect(Object.keys(sample?.routes ?? {})).to.deep.equal(['GET /a', 'GET /b']);
    expect(sample?.routes['GET /a']?.rps).to.equal(0.4);
    expect(sample?.routes['GET /b']?.p95).to.be.within(95, 105);
    history.add(report({}), 2_000);
    expect(history.latest?.p95).to.equal(null);
    history.add(report({}), 62_000);
    expect(history.history().samples.map((entry) => entry.time)).to.deep.equal([2_000, 2_001, 62_000]);
  });

  it('breaks the lines where nothing was read', () => {
    const history = new TrafficHistory(300, 10, 3_000);
    history.add(report({ 'GET /a': [5] }), 1_000);
    history.add(report({ 'GET /a': [5] }), 20_000);
    const samples = history.history().samples;
    expect(samples).to.have.length(3);
    expect(samples[1]).to.deep.equal({ time: 1_001, rps: null, p95: null, routes: {} });
  });
});
