import { expect } from 'chai';
import { processFiguresToWire } from '@otel-top/model';
import { ProcessList } from '../src/process-list.js';
import { processes, pythonTask } from './figures-fixture.js';
import { activeTasks, completedTasks, NOW, request } from './task-fixture.js';

const MINUTE = 60_000;

describe('ProcessList', () => {
  it('lists every process with a heartbeat, by host and pid, with its own count of requests in flight', () => {
    const lines = ProcessList.of(processes(), activeTasks(), completedTasks(), NOW, MINUTE);
    expect(lines.map((line) => [line.key, line.host, line.pid, line.service, line.state, line.active])).to.deep.equal([
      ['vm1:101:a1b2', 'vm1', 101, 'shop', 'alive', 2],
      ['vm1:102:a1b2', 'vm1', 102, 'shop', 'late', 1],
      ['vm2:7:a1b2', 'vm2', 7, 'billing', 'dead', 0],
    ]);
    expect(lines[0]?.figures).to.deep.equal(processes()[1]);
  });

  it('lists writers without a heartbeat from their running and recently completed tasks', () => {
    const oldDone = request({ id: 'o1', pid: 9, host: 'py2', path: '/old', startedAgo: 2 * MINUTE, endedAgo: 2 * MINUTE - 5, status: 200 });
    const recentDone = request({ id: 'r1', pid: 4243, host: 'py1', path: '/done', startedAgo: 5_000, endedAgo: 4_000, status: 200, service: 'reports' });
    const lines = ProcessList.of(processes(), [...activeTasks(), pythonTask()], [...completedTasks(), recentDone, oldDone], NOW, MINUTE);
    const others = lines.filter((line) => line.figures === undefined);
    expect(others).to.deep.equal([
      { key: 'py1/4242', host: 'py1', pid: 4242, service: 'reports', serviceVersion: null, state: 'no-heartbeat', figures: undefined, active: 1 },
      { key: 'py1/4243', host: 'py1', pid: 4243, service: 'reports', serviceVersion: null, state: 'no-heartbeat', figures: undefined, active: 0 },
    ]);
    // Sorted among the others by host.
    expect(lines.map((line) => line.host)).to.deep.equal(['py1', 'py1', 'vm1', 'vm1', 'vm2']);
  });

  it('without heartbeats (a tracker that has none) lists every writer from its tasks', () => {
    const lines = ProcessList.of(undefined, activeTasks(), completedTasks(), NOW, MINUTE);
    expect(lines.map((line) => [line.key, line.state, line.active])).to.deep.equal([
      ['vm1/101', 'no-heartbeat', 1],
      ['vm1/102', 'no-heartbeat', 1],
    ]);
  });

  it('gives the JSON of `processes --json`: the heartbeat record, or the same top fields for a writer without one', () => {
    const lines = ProcessList.of(processes(), [pythonTask()], [], NOW, MINUTE);
    const python = lines.find((line) => line.figures === undefined)!;
    expect(ProcessList.toWire(python)).to.deep.equal({
      host: 'py1',
      pid: 4242,
      service: 'reports',
      active: 1,
      rps: null,
      errors: null,
      event_loop_delay_p99_ms: null,
      rss_bytes: null,
      heartbeat_age_ms: null,
      state: 'no-heartbeat',
    });
    const late = lines.find((line) => line.pid === 102)!;
    expect(ProcessList.toWire(late)).to.deep.equal(processFiguresToWire(late.figures!));
    expect(ProcessList.toWire(late)).to.include({ host: 'vm1', pid: 102, service: 'shop', active: 1, rps: 1.4, event_loop_delay_p99_ms: 2_950, heartbeat_age_ms: 3_100, state: 'late' });
  });
});
