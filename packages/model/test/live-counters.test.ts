import { expect } from 'chai';
import {
  addCounterFields,
  CounterHistory,
  counterIncrements,
  HTTPTask,
  LiveCounters,
  outcomeOfTask,
  outcomeSecond,
  OVERFLOW_TASK_NAME,
  RequestCounts,
  routeFigures,
  SecondCounts,
  totalFigures,
  windowSlots,
} from '../src';

const ok = (name: string, durationMillis = 10) => ({ name, statusCode: 200, durationMillis });

describe('LiveCounters', () => {
  it('counts each request under its name and second, errors and status classes too', () => {
    const counters = new LiveCounters();
    counters.record(ok('GET /a'), 100);
    counters.record({ name: 'GET /a', statusCode: 503, durationMillis: 40 }, 100);
    counters.record({ name: 'GET /a', statusCode: null, durationMillis: 5 }, 100);
    counters.record({ name: 'GET /b', statusCode: 404, durationMillis: 1 }, 101);
    expect(counters.hasBefore(100)).to.equal(false);
    expect(counters.hasBefore(101)).to.equal(true);
    const [first] = counters.takeBefore(101);
    expect(first.second).to.equal(100);
    const a = first.names.get('GET /a') as RequestCounts;
    expect([a.count, a.errors, a.statusClasses]).to.deep.equal([3, 2, [1, 0, 1, 0, 0, 1]]);
    expect(counters.takeBefore(101)).to.deep.equal([]);
    const [second] = counters.takeBefore(102);
    expect(second.names.get('GET /b')?.statusClasses[4]).to.equal(1);
    expect(second.names.get('GET /b')?.errors).to.equal(0);
  });

  it('counts a request in the second it ended, and one that does not say when in the second under way', () => {
    const endedAt = new Date(Date.UTC(2026, 11, 4, 12, 0, 5, 999));
    const task = new HTTPTask({ taskId: 't', method: 'GET', path: '/a', startedAt: new Date(endedAt.getTime() - 20), endedAt });
    expect(outcomeOfTask(task)).to.include({ name: 'GET /a', endedAtMillis: endedAt.getTime() });
    expect(outcomeSecond(outcomeOfTask(task))).to.equal(Math.floor(endedAt.getTime() / 1000));
    const before = Math.floor(Date.now() / 1000);
    const second = outcomeSecond(ok('GET /b'));
    expect(second).to.be.within(before, Math.floor(Date.now() / 1000));
  });

  it('counts names past its bound under one overflow name, so paths cannot flood Redis', () => {
    const counters = new LiveCounters(300);
    for (let i = 0; i < 10_000; i++) counters.record(ok(`GET /users/${i}`), 5);
    counters.record(ok('GET /users/0'), 5);
    const [counts] = counters.takeBefore(6);
    expect(counts.names.size).to.equal(301);
    expect(counts.names.get(OVERFLOW_TASK_NAME)?.count).to.equal(10_000 - 300);
    expect(counts.names.get('GET /users/0')?.count).to.equal(2);
  });

  it('takes back counts that could not be written, to go with the next write', () => {
    const counters = new LiveCounters();
    counters.record(ok('GET /a'), 10);
    const taken = counters.takeBefore(11);
    counters.record(ok('GET /a'), 10);
    counters.putBack(taken);
    const [again] = counters.takeBefore(11);
    expect(again.names.get('GET /a')?.count).to.equal(2);
  });

  it('keeps a request of an earlier second (a clock set back) in that second, in order', () => {
    const counters = new LiveCounters();
    counters.record(ok('GET /a'), 20);
    counters.record(ok('GET /a'), 22);
    counters.record(ok('GET /a'), 21);
    counters.record(ok('GET /a'), 19);
    expect(counters.takeBefore(30).map(({ second }) => second)).to.deep.equal([19, 20, 21, 22]);
  });
});

describe('The counts in Redis and in memory', () => {
  function second(at: number, names: Record<string, number[]>): SecondCounts {
    const counts: SecondCounts = { second: at, names: new Map() };
    for (const [name, durations] of Object.entries(names)) {
      const named = new RequestCounts();
      for (const duration of durations) named.record(duration > 1_000 ? 500 : 200, duration);
      counts.names.set(name, named);
    }
    return counts;
  }

  it('round-trips through hash fields, names with colons and newlines included', () => {
    const counts = second(7, { 'GET /a:b': [1, 2, 3_000], 'GET /x\ny': [4] });
    const fields: Record<string, string> = {};
    for (const [field, increment] of counterIncrements(counts)) fields[field] = String(Number(fields[field] ?? 0) + increment);
    fields['z9:unknown'] = '5';
    fields['c:bad'] = 'not a number';
    const names = new Map<string, RequestCounts>();
    // As HGETALL sends a hash: field and value in turn.
    const reply = Object.entries(fields).flat();
    addCounterFields(names, reply);
    addCounterFields(names, reply); // a second hash adds up
    addCounterFields(names, ['s9:GET /a:b', '1', 'h99999:GET /a:b', '1', 'c:GET /dangling']); // out of range, and a field without a value
    expect([...names.keys()].sort()).to.deep.equal(['GET /a:b', 'GET /x y']);
    const a = names.get('GET /a:b') as RequestCounts;
    expect([a.count, a.errors, a.statusClasses[2], a.statusClasses[5], a.latency.count]).to.deep.equal([6, 2, 4, 2, 6]);
  });

  it('makes a window of whole ten-second periods where they fit and single seconds at its edges', () => {
    expect(windowSlots(10, 1_009)).to.deep.equal({ seconds: [], tenSeconds: [1_000], covered: 10 });
    expect(windowSlots(10, 1_004)).to.deep.equal({
      seconds: [995, 996, 997, 998, 999, 1_000, 1_001, 1_002, 1_003, 1_004],
      tenSeconds: [],
      covered: 10,
    });
    const minute = windowSlots(60, 1_004);
    expect(minute.tenSeconds).to.deep.equal([950, 960, 970, 980, 990]);
    expect(minute.covered).to.equal(60);
    // Five minutes back, single seconds are no longer kept: the window covers what the periods cover.
    const five = windowSlots(300, 1_004);
    expect(five.seconds).to.deep.equal([1_000, 1_001, 1_002, 1_003, 1_004]);
    expect(five.covered).to.equal(295);
  });

  it('gives in memory the same windows, figures per name and in total, as a reader of Redis would', () => {
    const history = new CounterHistory();
    for (let at = 1_000; at < 1_060; at++) history.add(second(at, { 'GET /a': [10, 20], 'GET /b': [1_500] }));
    const window = history.window(10, 1_059);
    expect(window.seconds).to.equal(10);
    const [a, b] = routeFigures(window);
    expect(a).to.include({ name: 'GET /a', count: 20, errors: 0, rps: 2 });
    expect(b).to.include({ name: 'GET /b', count: 10, errors: 10, errorShare: 1, rps: 1 });
    expect(totalFigures(history.window(60, 1_059))).to.include({ count: 180, errors: 60, seconds: 60 });
  });
});
