import { expect } from 'chai';
import { isError, TrafficSummary } from '../src/traffic-summary.js';
import { activeTasks, completedTasks, NOW, request } from './task-fixture.js';

describe('TrafficSummary', () => {
  it('counts hosts, processes, active and completed requests, errors and percentiles', () => {
    const figures = TrafficSummary.of(activeTasks(), completedTasks(), NOW);
    expect(figures).to.deep.equal({
      hosts: 1,
      processes: 2,
      active: 2,
      completed: 4,
      // Four ends within the last 1,518 ms, the time the buffer covers.
      requestsPerSecond: 4_000 / 1_518,
      errorShare: 0.25,
      clientErrorShare: 0.25,
      p50: 22,
      p95: 2_500,
      p99: 2_500,
    });
  });

  it('has no shares or percentiles without completed requests', () => {
    const figures = TrafficSummary.of([], [], NOW);
    expect(figures).to.deep.equal({
      hosts: 0,
      processes: 0,
      active: 0,
      completed: 0,
      requestsPerSecond: 0,
      errorShare: undefined,
      clientErrorShare: undefined,
      p50: undefined,
      p95: undefined,
      p99: undefined,
    });
  });

  it('counts the rate over the last 10 s when the buffer covers more', () => {
    const completed = [
      ...Array.from({ length: 20 }, (_, index) => request({ id: `n${index}`, pid: 1, path: '/', startedAgo: index * 400 + 10, endedAgo: index * 400, status: 200 })),
      request({ id: 'old', pid: 1, path: '/', startedAgo: 60_010, endedAgo: 60_000, status: 200 }),
    ];
    expect(TrafficSummary.of([], completed, NOW).requestsPerSecond).to.equal(2);
  });

  it('counts processes per host, and a server error, an abandoned or lost request as an error', () => {
    const tasks = [
      request({ id: 'x', pid: 1, path: '/', startedAgo: 5, host: 'a' }),
      request({ id: 'y', pid: 1, path: '/', startedAgo: 5, host: 'b' }),
    ];
    expect(TrafficSummary.of(tasks, [], NOW)).to.include({ hosts: 2, processes: 2 });
    expect(isError(request({ id: 'e', pid: 1, path: '/', startedAgo: 5, endedAgo: 1, status: 502 }))).to.equal(true);
    expect(isError(request({ id: 'e', pid: 1, path: '/', startedAgo: 5, endedAgo: 1 }))).to.equal(true);
    expect(isError(request({ id: 'e', pid: 1, path: '/', startedAgo: 5, endedAgo: 1, status: 404 }))).to.equal(false);
    expect(isError(request({ id: 'e', pid: 1, path: '/', startedAgo: 5 }))).to.equal(false);
  });

  it('takes the nearest-rank percentile', () => {
    expect(TrafficSummary.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).to.equal(5);
    expect(TrafficSummary.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).to.equal(10);
    expect(TrafficSummary.percentile([7], 1)).to.equal(7);
    expect(TrafficSummary.percentile([], 50)).to.equal(undefined);
  });
});
