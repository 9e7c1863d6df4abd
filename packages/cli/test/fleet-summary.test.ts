import { expect } from 'chai';
import { FleetSummary } from '../src/fleet-summary.js';
import { ProcessList } from '../src/process-list.js';
import { processes, pythonTask, traffic } from './figures-fixture.js';
import { activeTasks, completedTasks, NOW } from './task-fixture.js';

describe('FleetSummary', () => {
  it('counts running hosts and processes from the heartbeats and the writers without one, the dead apart', () => {
    const lines = ProcessList.of(processes(), [...activeTasks(), pythonTask()], completedTasks(), NOW, 60_000);
    const figures = FleetSummary.of(lines, 3, traffic());
    expect(figures).to.include({ hosts: 2, processes: 3, deadProcesses: 1, active: 3, window: '1m' });
    // The late process's blocked loop, the worst of the running ones.
    expect(figures.worstLoopDelayMillis).to.equal(2_950);
  });

  it('takes the traffic from the counters: every request counted, not the completed list', () => {
    const figures = FleetSummary.of([], 0, traffic('5m', 300));
    // 89 requests: 6 answered 500 and 3 without a response are errors, 5 answered 404.
    expect(figures.requestsPerSecond).to.be.closeTo(89 / 300, 1e-9);
    expect(figures.errorShare).to.be.closeTo(9 / 89, 1e-9);
    expect(figures.clientErrorShare).to.be.closeTo(5 / 89, 1e-9);
    // Nearest rank over 3 × 0.4 ms, 5 × 3 ms, 25 × 12 ms, 40 × 20 ms, 10 × 350 ms, 6 × 2.5 s; within 5% (the buckets).
    expect(figures.p50).to.be.within(19, 21);
    expect(figures.p95).to.be.within(2_375, 2_625);
    expect(figures.p99).to.be.within(2_375, 2_625);
    expect(figures.window).to.equal('5m');
  });

  it('says nothing about traffic before the counters are read', () => {
    expect(FleetSummary.of([], 0, undefined)).to.deep.equal({
      hosts: 0,
      processes: 0,
      deadProcesses: 0,
      active: 0,
      window: undefined,
      requestsPerSecond: undefined,
      errorShare: undefined,
      clientErrorShare: undefined,
      p50: undefined,
      p95: undefined,
      p99: undefined,
      worstLoopDelayMillis: undefined,
    });
  });
});
