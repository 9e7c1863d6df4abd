import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HTTPTask, RequestCounts } from '@otel-top/model';
import { AlignedTimer } from '../src/aligned-timer';
import { BatchBuilder, BatchHeader, BatchLimits } from '../src/batch-builder';
import { EXPORTER_DEFAULTS, resolveExporterOptions } from '../src/exporter-options';
import { ListBudget } from '../src/list-budget';
import { PendingEvents } from '../src/pending-events';
import { ListedTask, StaticInFlightList } from './static-in-flight-list';
import { StaticTask } from './static-task';

/*
 * The exporter's pure parts, driven by a clock of the test's own (plain
 * numbers for "now"): no Redis, no timers.
 */

const HEADER: BatchHeader = {
  exporterId: 'host:1:abcd',
  deadAfterMillis: 10_000,
  maxCompletedTasks: 16,
  publishTaskUpdates: 'auto',
  publishBatch: 'auto',
  hostName: 'host',
  pid: 1,
  cleanerLeaseMillis: 0,
};

function limits(overrides: Partial<BatchLimits> = {}): BatchLimits {
  return { seq: 1, now: 0, size: 1_000, unlimited: false, everything: false, activeAfterMillis: 100, maxRewrites: 100, counters: [], processRecord: '', ...overrides };
}

function pendingEvents(maxQueueSize = 1_000): PendingEvents {
  return new PendingEvents({ maxQueueSize, maxQueueBytes: 16 * 1024 * 1024, maxEndsWhileDown: 16 });
}

describe('ListBudget, as a function of time', () => {
  it('takes a whole list at once, then refills at a list per period, never above a list', () => {
    const budget = new ListBudget(256, 1_000);
    expect(budget.available(0)).to.equal(256);
    budget.spend(256, 0);
    expect(budget.available(0)).to.equal(0);
    expect(budget.available(500)).to.equal(128);
    expect(budget.available(10_000)).to.equal(256);
    expect(budget.slice).to.equal(32);
  });

  it('holds waiting tasks until it can take a slice of them, and says when that is', () => {
    const budget = new ListBudget(256, 1_000);
    budget.spend(256, 0);
    expect(budget.holds(100, 0)).to.equal(true);
    expect(budget.millisUntilSlice(100, 0)).to.equal(125);
    expect(budget.holds(100, 125)).to.equal(false);
    // Fewer waiting than a slice: it needs only room for them.
    expect(budget.holds(3, 10)).to.equal(true);
    expect(budget.holds(3, 12)).to.equal(false);
    expect(budget.worthKeeping(0)).to.equal(32);
    expect(budget.worthKeeping(1_000)).to.equal(256);
  });

  it('with a period of 0 never holds anything', () => {
    const budget = new ListBudget(10, 0);
    budget.spend(1_000, 0);
    expect([budget.limited, budget.holds(1_000, 0), budget.available(0), budget.worthKeeping(0)]).to.deep.equal([false, false, 10, 10]);
  });
});

describe('PendingEvents', () => {
  it('forgets a start when its request ends before it was written', () => {
    const pending = pendingEvents();
    const task = new StaticTask('/fast');
    expect(pending.start(task, 0, false, 0)).to.deep.equal({ queued: true, dropped: 0 });
    expect(pending.end(task.end(), () => false)).to.include({ task, activeId: '' });
    expect([pending.starts.size, pending.ends.length, pending.orphanRemovals.size]).to.deep.equal([0, 1, 0]);
    expect(pending.ends.take(1)[0].activeId).to.equal('');
  });

  it('drops the oldest completed tasks first when full, and a start only when nothing else is left', () => {
    const pending = pendingEvents(3);
    const ended = [new StaticTask('/1').end(), new StaticTask('/2').end(), new StaticTask('/3').end()];
    for (const task of ended) pending.end(task, () => false);
    expect(pending.start(new StaticTask('/s1'), 0, false, 0)).to.deep.equal({ queued: true, dropped: 1 });
    const left: string[] = [];
    pending.ends.forEach(({ task }) => left.push(task?.processorId ?? 'encoded'));
    expect(left).to.deep.equal([ended[1].processorId, ended[2].processorId]);
    expect(pending.start(new StaticTask('/s2'), 0, false, 0)).to.deep.equal({ queued: true, dropped: 1 });
    expect(pending.start(new StaticTask('/s3'), 0, false, 0)).to.deep.equal({ queued: true, dropped: 1 });
    expect(pending.start(new StaticTask('/s4'), 0, false, 0)).to.deep.equal({ queued: false, dropped: 0 });
  });

  it('keeps only a list of completed tasks while Redis is down', () => {
    const pending = pendingEvents();
    for (let i = 0; i < 40; i++) pending.end(new StaticTask(`/${i}`).end(), () => false);
    expect(pending.enforceBounds(0, true, 0)).to.equal(24);
    expect(pending.ends.length).to.equal(16);
  });

  it('takes starts in order once they are old enough, and counts them active from then on', () => {
    const pending = pendingEvents();
    const tasks = [new StaticTask('/a'), new StaticTask('/b'), new StaticTask('/c')];
    pending.start(tasks[0], 0, false, 0);
    pending.start(tasks[1], 50, false, 0);
    pending.start(tasks[2], 150, false, 0);
    const taken = pending.takeStarts(10, (queuedAt) => 160 - queuedAt >= 100);
    expect(taken.map(([, task]) => task)).to.deep.equal([tasks[0], tasks[1]]);
    expect(pending.active.get(tasks[0])).to.equal(tasks[0].processorId);
    // Its end now also removes it from processors; held, the removal goes out first on its own.
    pending.end(tasks[0].end(), () => true);
    expect([...pending.orphanRemovals]).to.deep.equal([tasks[0].processorId]);
    expect(pending.ends.take(1)[0].activeId).to.equal('');
  });

  it('marks an active task for a rewrite once, and never one that is not written yet', () => {
    const pending = pendingEvents();
    const written = new StaticTask('/written');
    const young = new StaticTask('/young');
    pending.start(written, 0, false, 0);
    pending.start(young, 500, false, 0);
    pending.takeStarts(10, (queuedAt) => queuedAt === 0);
    expect(pending.update(young)).to.equal(false);
    expect(pending.update(written)).to.equal(true);
    expect(pending.update(written)).to.equal(true);
    expect(pending.takeRewrites(10).map(([id]) => id)).to.deep.equal([written.processorId]);
    expect(pending.takeRewrites(10)).to.deep.equal([]);
    pending.update(written);
    pending.end(written.end(), () => false);
    expect(pending.rewrites.size).to.equal(0);
  });

  it('never writes the end of a task a cleaner moved, nor requeues it', () => {
    const pending = pendingEvents();
    const task = new StaticTask('/cleaned');
    pending.start(task, 0, false, 0);
    pending.takeStarts(10, () => true);
    pending.markActiveCleaned(new Set());
    expect(pending.end(task.end(), () => false)).to.equal(undefined);
    expect(pending.ends.length).to.equal(0);
  });
});

describe('PendingEvents reading starts from the tracker\'s list', () => {
  function reading(maxQueueSize = 1_000): { pending: PendingEvents; list: StaticInFlightList } {
    const pending = pendingEvents(maxQueueSize);
    const list = new StaticInFlightList();
    pending.readFrom(list);
    return { pending, list };
  }

  it('takes each start once, in order, once it is old enough, and never one that ended first', () => {
    const { pending, list } = reading();
    const [a, gone, b, young] = [0, 10, 20, 150].map((at) => list.start(new ListedTask(at)));
    list.remove(gone);
    expect(pending.readsStartOf(a)).to.equal(true);
    expect([pending.hasStarts, pending.oldestStart(), pending.length]).to.deep.equal([true, 0, 0]);
    const taken = pending.takeStarts(10, (startedAt) => 160 - startedAt >= 100);
    expect(taken).to.deep.equal([[a.processorId, a], [b.processorId, b]]);
    expect(pending.active.get(b)).to.equal(b.processorId);
    expect(pending.oldestStart()).to.equal(150);
    expect(pending.takeStarts(10, (startedAt) => 160 - startedAt >= 100)).to.deep.equal([]);
    expect(pending.takeStarts(10, () => true)).to.deep.equal([[young.processorId, young]]);
    expect([pending.hasStarts, pending.oldestStart()]).to.deep.equal([false, undefined]);
  });

  it('stops at the limit and goes on from there, even when the last one taken has ended since', () => {
    const { pending, list } = reading();
    const tasks = [0, 1, 2, 3].map((at) => list.start(new ListedTask(at)));
    expect(pending.takeStarts(2, () => true).map(([, task]) => task)).to.deep.equal(tasks.slice(0, 2));
    list.remove(tasks[1]);
    expect(pending.takeStarts(10, () => true).map(([, task]) => task)).to.deep.equal(tasks.slice(2));
  });

  it('does not count the listed starts against the queue bound, and drops no completed task for them', () => {
    const { pending, list } = reading(2);
    pending.end(new StaticTask('/done').end(), () => false);
    for (let i = 0; i < 5; i++) list.start(new ListedTask(0));
    expect(pending.enforceBounds(0, false, 0)).to.equal(0);
    expect(pending.takeStarts(10, () => true)).to.have.length(5);
    expect(pending.ends.length).to.equal(1);
  });

  it('writes again from its own queue an active task Redis lost, although the list is read past it', () => {
    const { pending, list } = reading();
    const task = list.start(new ListedTask(0));
    pending.takeStarts(10, () => true);
    pending.requeueActive([task]);
    expect(pending.takeStarts(10, () => true)).to.deep.equal([[task.processorId, task]]);
    expect(pending.takeStarts(10, () => true)).to.deep.equal([]);
  });

  it('queues a start the list does not hold as before, and reads only one list', () => {
    const { pending, list } = reading();
    const other = new StaticInFlightList();
    pending.readFrom(other);
    const unlisted = new StaticTask('/unlisted');
    const elsewhere = other.start(new ListedTask(0));
    expect([pending.readsStartOf(unlisted), pending.readsStartOf(elsewhere)]).to.deep.equal([false, false]);
    pending.start(unlisted, 80, false, 0);
    const listed = list.start(new ListedTask(50));
    expect(pending.oldestStart()).to.equal(50);
    expect(pending.takeStarts(10, () => true).map(([, task]) => task)).to.deep.equal([unlisted, listed]);
  });

  it('leaves alone what the list held before it was read, which was queued the usual way', () => {
    const pending = pendingEvents();
    const list = new StaticInFlightList();
    const earlier = list.start(new ListedTask(0));
    pending.start(earlier, 0, false, 0);
    pending.readFrom(list);
    const later = list.start(new ListedTask(0));
    expect(pending.takeStarts(10, () => true).map(([, task]) => task)).to.deep.equal([earlier, later]);
  });

  it('counts the requests in flight as the list does: written, waiting, or not yet started long', () => {
    const { pending, list } = reading();
    list.start(new ListedTask(0));
    list.start(new ListedTask(500));
    pending.takeStarts(10, (startedAt) => startedAt === 0);
    expect(pending.inFlight).to.equal(2);
  });

  it('once detached, queues what it had not taken and reads nothing the list gets later', () => {
    const { pending, list } = reading();
    const taken = list.start(new ListedTask(0));
    pending.takeStarts(10, () => true);
    const waiting = list.start(new ListedTask(300));
    pending.detachSource();
    const after = list.start(new ListedTask(400));
    expect([pending.readsStartOf(after), pending.starts.get(waiting), pending.starts.has(taken)]).to.deep.equal([false, 300, false]);
    // Its end, before it is written, takes it out of the queue like any queued start; the later one is not read.
    pending.end(waiting.end(), () => false);
    expect(pending.hasStarts).to.equal(false);
    expect(pending.takeStarts(10, () => true)).to.deep.equal([]);
  });
});

describe('BatchBuilder', () => {
  it('takes removals, then as many ends as the budget allows, then starts old enough, then rewrites', async () => {
    const pending = pendingEvents();
    const budget = new ListBudget(16, 1_000);
    const builder = new BatchBuilder(pending, budget, 16_384);
    const old = new StaticTask('/old');
    pending.start(old, 0, false, 0);
    pending.takeStarts(10, () => true);
    pending.update(old);
    pending.orphanRemovals.add('gone');
    for (let i = 0; i < 20; i++) pending.end(new StaticTask(`/done${i}`).end(), () => false);
    const starting = new StaticTask('/starting');
    pending.start(starting, 0, false, 0);
    const young = new StaticTask('/young');
    pending.start(young, 90, false, 0);

    const batch = await builder.build(HEADER, limits({ now: 100 }));
    expect(batch.request.seq).to.equal(1);
    expect(batch.completed).to.equal(16);
    expect(batch.request.ends.slice(0, 2)).to.deep.equal(['gone', '']);
    const written = batch.written.map(([, task]) => task);
    expect(written).to.deep.equal([starting, old]);
    expect(batch.rewritten).to.equal(1);
    // Processor id, start in ms, JSON: the index of active tasks by start needs the start.
    expect(batch.request.active.filter((_, index) => index % 3 === 0)).to.deep.equal([starting.processorId, old.processorId]);
    expect(Number(batch.request.active[1])).to.equal(starting.task.startedAt?.getTime());
    expect(HTTPTask.fromJSON(batch.request.active[2]).path).to.equal('/starting');
    expect(pending.starts.has(young)).to.equal(true);
    expect(pending.ends.length).to.equal(4);
    // The budget is spent: the next batch holds the rest of the ends, and says nothing of them yet.
    const next = await builder.build(HEADER, limits({ seq: 2, now: 101 }));
    expect(next.completed).to.equal(0);
  });

  it('skips a task that cannot be built, counts it, and goes on with the rest', async () => {
    const pending = pendingEvents();
    const builder = new BatchBuilder(pending, new ListBudget(16, 0), 16_384);
    const broken = new StaticTask('/broken').end();
    broken.snapshot = () => {
      throw new Error('span gone');
    };
    pending.end(broken, () => false);
    pending.end(new StaticTask('/fine').end(), () => false);
    const batch = await builder.build(HEADER, limits());
    expect(batch.completed).to.equal(1);
    expect(builder.errorCount).to.equal(1);
  });

  it('writes the JSON of a task encoded at its end, which let go of the task, beside tasks encoded now', async () => {
    const pending = pendingEvents();
    const builder = new BatchBuilder(pending, new ListBudget(16, 0), 16_384);
    const early = new StaticTask('/early').end();
    const end = pending.end(early, () => false);
    if (end === undefined) throw new Error('the end was not queued');
    builder.encodeAtEnd(end);
    expect(end.task).to.equal(null);
    // Changed after its end: what is written is what it was then.
    early.task.path = '/changed';
    pending.end(new StaticTask('/late').end(), () => false);
    const batch = await builder.build(HEADER, limits());
    expect(batch.completed).to.equal(2);
    const paths = batch.request.ends.filter((_, index) => index % 2 === 1).map((json) => HTTPTask.fromJSON(json).path);
    expect(paths).to.deep.equal(['/early', '/late']);
  });

  it('carries the counters it is given', async () => {
    const builder = new BatchBuilder(pendingEvents(), new ListBudget(16, 0), 16_384);
    const counts = new RequestCounts();
    counts.record(200, 5);
    const batch = await builder.build(HEADER, limits({ counters: [{ second: 42, names: new Map([['GET /x', counts]]) }] }));
    expect(batch.request.counters.map(({ second }) => second)).to.deep.equal([42]);
  });
});

describe('Exporter options', () => {
  it('are checked, with a clear error naming the bad one', () => {
    expect(() => resolveExporterOptions({ flushIntervalMillis: 0 })).to.throw(TypeError, /flushIntervalMillis must be a positive integer/);
    expect(() => resolveExporterOptions({ maxCountedNames: 1.5 })).to.throw(TypeError, /maxCountedNames/);
    expect(resolveExporterOptions({ activeAfterMillis: 0, completedListRefreshMillis: 0 })).to.include({
      activeAfterMillis: 0,
      completedListRefreshMillis: 0,
    });
    expect(resolveExporterOptions({ heartbeatIntervalMillis: 8_000 }).deadAfterMillis).to.equal(16_000);
  });

  it('are documented in the README with the defaults the code has', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const rows = new Map<string, string>();
    for (const [, name, value] of readme.matchAll(/^\| `(\w+)` \| ([^|]*) \|/gm)) rows.set(name, value.trim());
    const spelled = (value: unknown): string =>
      typeof value === 'number'
        ? value >= 1024 * 1024 && value % (1024 * 1024) === 0
          ? `${value / (1024 * 1024)} MiB`
          : value.toLocaleString('en-US')
        : typeof value === 'string'
          ? `\`'${value}'\``
          : `\`${String(value)}\``;
    for (const [name, value] of Object.entries(EXPORTER_DEFAULTS)) {
      expect(rows.get(name), `README row for ${name}`).to.equal(spelled(value));
    }
  });
});

describe('AlignedTimer, as a function of time', () => {
  it('waits for the next whole multiple of its period since the epoch, a whole period on one', () => {
    expect(AlignedTimer.delay(1_000, 1_000)).to.equal(1_000);
    expect(AlignedTimer.delay(1_001, 1_000)).to.equal(999);
    expect(AlignedTimer.delay(1_999, 1_000)).to.equal(1);
    expect(AlignedTimer.delay(1_764_650_123_456, 1_000)).to.equal(544);
    expect(AlignedTimer.delay(1_250, 500)).to.equal(250);
  });
});
