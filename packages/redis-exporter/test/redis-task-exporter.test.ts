import { expect } from 'chai';
import { Redis } from 'ioredis';
import { decodeProcessRecord, HTTPTask, trackingTableKeys } from '@otel-top/model';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { RedisTaskExporter, RedisTaskExporterConfig } from '../src';
import { ListedTask, StaticInFlightList } from './static-in-flight-list';
import { StaticTask } from './static-task';

async function commandCalls(redis: Redis, command: string): Promise<number> {
  const info = await redis.info('commandstats');
  const match = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info);
  return match === null ? 0 : Number(match[1]);
}

describe('RedisTaskExporter', function () {
  let server: RedisTestServer;
  let redis: Redis;
  const exporters: RedisTaskExporter[] = [];

  function exporter(config: RedisTaskExporterConfig = {}): RedisTaskExporter {
    const created = new RedisTaskExporter({ url: server.url, ...config });
    exporters.push(created);
    return created;
  }

  before(async () => {
    server = await RedisTestServer.start();
    redis = new Redis(server.url);
  });

  afterEach(async () => {
    await Promise.all(exporters.splice(0).map((created) => created.shutdown()));
    await redis.flushall();
    await redis.config('RESETSTAT');
  });

  after(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('writes a started task to processors by itself, under its processor id', async () => {
    const tracker = exporter();
    const task = new StaticTask('/slow');
    tracker.taskStarted(task);
    // No forceFlush: the exporter's own timer (100 ms by default) writes it.
    const json = await waitFor(() => redis.hget('processors', task.processorId), { timeoutMillis: 2_000 });
    expect(HTTPTask.fromJSON(json).path).to.equal('/slow');
  });

  it('moves an ended task to past_tasks, newest first, and trims the list', async () => {
    const tracker = exporter({ maxCompletedTasks: 3 });
    const tasks = ['/a', '/b', '/c', '/d'].map((path) => new StaticTask(path));
    for (const task of tasks) tracker.taskStarted(task);
    await tracker.forceFlush();
    expect(await redis.hlen('processors')).to.equal(4);
    for (const task of tasks) tracker.taskEnded(task.end());
    await tracker.forceFlush();
    expect(await redis.hlen('processors')).to.equal(0);
    const paths = (await redis.lrange('past_tasks', 0, -1)).map((json) => HTTPTask.fromJSON(json).path);
    expect(paths).to.deep.equal(['/d', '/c', '/b']);
  });

  it('writes a task that starts and ends within one flush once, as completed', async () => {
    const tracker = exporter({ publishUpdates: true });
    const task = new StaticTask('/fast');
    tracker.taskStarted(task);
    tracker.taskEnded(task.end());
    await tracker.forceFlush();
    expect(await redis.exists('processors')).to.equal(0);
    expect(await commandCalls(redis, 'publish')).to.equal(1);
    expect(await redis.llen('past_tasks')).to.equal(1);
    expect(tracker.getStats()).to.include({ writtenActive: 0, writtenCompleted: 1, dropped: 0, failed: 0 });
  });

  it('writes a whole burst in one round trip', async () => {
    const tracker = exporter({ maxBatchSize: 1_000 });
    // The exporter first registers itself (its heartbeat record); count from then on.
    await waitFor(async () => (await redis.hlen(trackingTableKeys().exporters)) === 1);
    await redis.config('RESETSTAT');
    const tasks = Array.from({ length: 400 }, (_, i) => new StaticTask(`/r${i}`));
    for (const task of tasks) tracker.taskStarted(task);
    for (const task of tasks.slice(0, 200)) tracker.taskEnded(task.end());
    await tracker.forceFlush();
    expect(await commandCalls(redis, 'evalsha')).to.equal(1);
    expect(await redis.hlen('processors')).to.equal(200);
    expect(await redis.llen('past_tasks')).to.equal(200);
  });

  it('resolves forceFlush only once everything queued before it is in Redis, newest kept', async () => {
    const tracker = exporter({ flushIntervalMillis: 60_000 });
    const tasks = Array.from({ length: 2_500 }, (_, i) => new StaticTask(`/f${i}`).end());
    for (const task of tasks) tracker.taskEnded(task);
    await tracker.forceFlush();
    const paths = (await redis.lrange('past_tasks', 0, -1)).map((json) => HTTPTask.fromJSON(json).path);
    expect(paths).to.deep.equal(tasks.slice(-256).reverse().map((task) => task.task.path));
    const stats = tracker.getStats();
    expect(stats.queued).to.equal(0);
    // With nobody subscribed, tasks the list could not keep anyway are not encoded at all.
    expect(stats.trimmed).to.be.greaterThan(0);
    expect(stats.writtenCompleted + stats.trimmed).to.equal(2_500);
  });

  it('encodes a completed task at its end where every one is written, and only at write time otherwise', async () => {
    const snapshotsAtEnd = async (config: RedisTaskExporterConfig): Promise<number> => {
      const tracker = exporter({ flushIntervalMillis: 60_000, ...config });
      const tasks = Array.from({ length: 300 }, (_, i) => new StaticTask(`/e${i}`));
      let snapshots = 0;
      for (const task of tasks) {
        const snapshot = task.snapshot.bind(task);
        task.snapshot = () => {
          snapshots++;
          return snapshot();
        };
      }
      for (const task of tasks) tracker.taskEnded(task.end());
      const atEnd = snapshots;
      // What a task says after its end is not what was written where it was encoded at its end.
      for (const task of tasks) task.task.path = '/changed';
      await tracker.forceFlush();
      const written = (await redis.lrange('past_tasks', 0, -1)).map((json) => HTTPTask.fromJSON(json).path);
      const kept = Math.min(300, config.maxCompletedTasks ?? 256);
      // Newest first.
      expect(written).to.deep.equal(Array.from({ length: kept }, (_, k) => (atEnd > 0 ? `/e${299 - k}` : '/changed')));
      await redis.del('past_tasks');
      return atEnd;
    };
    // No list budget, and a list as long as the queue: every completed task is written.
    expect(await snapshotsAtEnd({ completedListRefreshMillis: 0, maxCompletedTasks: 1_000, maxQueueSize: 1_000 })).to.equal(300);
    // The defaults: most completed tasks under load are never written, so none is built before its write.
    expect(await snapshotsAtEnd({})).to.equal(0);
    // No list budget, but a queue longer than the list: the older ones may be trimmed unwritten.
    expect(await snapshotsAtEnd({ completedListRefreshMillis: 0, maxCompletedTasks: 100 })).to.equal(0);
  });

  it('encodes and publishes every completed task while somebody listens', async () => {
    const subscriber = new Redis(server.url);
    let received = 0;
    subscriber.on('message', () => received++);
    await subscriber.subscribe('task_updates');
    try {
      const tracker = exporter({ flushIntervalMillis: 60_000 });
      for (let i = 0; i < 1_000; i++) tracker.taskEnded(new StaticTask(`/p${i}`).end());
      await tracker.forceFlush();
      expect(tracker.getStats()).to.include({ writtenCompleted: 1_000, trimmed: 0 });
      await waitFor(() => received === 1_000, { message: '1,000 updates received' });
      expect(await redis.llen('past_tasks')).to.equal(256);
    } finally {
      subscriber.disconnect();
    }
  });

  it('writes a request to processors only once it has run activeAfterMillis; a shorter one only as completed', async () => {
    const tracker = exporter({ flushIntervalMillis: 20, activeAfterMillis: 1_000 });
    await tracker.forceFlush();
    const startedAt = Date.now();
    const long = new StaticTask('/long');
    const short = new StaticTask('/short');
    tracker.taskStarted(long);
    tracker.taskStarted(short);
    tracker.taskEnded(new StaticTask('/marker').end());
    // Once the marker is written, flushes have run since both requests started: neither is active yet.
    await waitFor(async () => (await redis.llen('past_tasks')) === 1, { timeoutMillis: 2_000, message: 'marker written' });
    expect(await redis.hlen('processors')).to.equal(0);
    tracker.taskEnded(short.end());
    await waitFor(async () => (await redis.hexists('processors', long.processorId)) === 1, {
      timeoutMillis: 3_000,
      message: 'long request active',
    });
    expect(Date.now() - startedAt).to.be.at.least(1_000);
    const paths = (await redis.lrange('past_tasks', 0, -1)).map((json) => HTTPTask.fromJSON(json).path);
    expect(paths).to.deep.equal(['/short', '/marker']);
    expect(tracker.getStats()).to.include({ writtenActive: 1, writtenCompleted: 2 });
  });

  it('under load writes completed tasks at the rate the list keeps them, newest first, yet removes ended requests at once', async () => {
    // 16 per 16 s, in slices of 2: one slice every 2 s once the budget is spent.
    const tracker = exporter({ maxCompletedTasks: 16, completedListRefreshMillis: 16_000 });
    const paths = async (): Promise<string[]> =>
      (await redis.lrange('past_tasks', 0, -1)).map((json) => HTTPTask.fromJSON(json).path ?? '');
    const long = new StaticTask('/long');
    tracker.taskStarted(long);
    await tracker.forceFlush(); // registered, and Redis said nobody subscribes
    // More tasks end than the list keeps: the newest 16 are written by the exporter's own timer.
    for (let i = 0; i < 30; i++) tracker.taskEnded(new StaticTask(`/burst${i}`).end());
    await waitFor(async () => (await paths())[0] === '/burst29', { timeoutMillis: 2_000, message: 'burst written' });
    expect(await paths()).to.have.length(16);
    // The budget is spent: of what ends now only the newest slice is kept, and it waits. The active record does not.
    tracker.taskEnded(long.end());
    for (let i = 0; i < 5; i++) tracker.taskEnded(new StaticTask(`/after${i}`).end());
    await waitFor(async () => (await redis.hexists('processors', long.processorId)) === 0, {
      timeoutMillis: 1_000,
      message: 'ended request left processors',
    });
    expect((await paths())[0]).to.equal('/burst29');
    // No forceFlush: the exporter writes the slice by itself once the budget takes it.
    await waitFor(async () => (await paths())[0] === '/after4', { timeoutMillis: 5_000, message: 'held slice written' });
    expect((await paths()).slice(0, 3)).to.deep.equal(['/after4', '/after3', '/burst29']);
    expect(tracker.getStats()).to.include({ writtenCompleted: 18, trimmed: 18, dropped: 0 });
  });

  it('writes no more than the budget takes, even across batches, the newest first, and forceFlush writes what is held', async () => {
    const tracker = exporter({ maxCompletedTasks: 5, completedListRefreshMillis: 60_000, flushIntervalMillis: 20 });
    const paths = async (): Promise<string[]> =>
      (await redis.lrange('past_tasks', 0, -1)).map((json) => HTTPTask.fromJSON(json).path ?? '');
    const running = new StaticTask('/running');
    tracker.taskStarted(running);
    await tracker.forceFlush();
    for (const path of ['/p1', '/p2', '/p3']) tracker.taskEnded(new StaticTask(path).end());
    await waitFor(async () => (await paths()).length === 3, { timeoutMillis: 2_000, message: 'first three written' });
    // Two more fit in the budget: the newest two of what ends now.
    for (const path of ['/p4', '/p5']) tracker.taskEnded(new StaticTask(path).end());
    tracker.taskEnded(running.end());
    for (const path of ['/p6', '/p7']) tracker.taskEnded(new StaticTask(path).end());
    await waitFor(async () => (await paths()).length === 5, { timeoutMillis: 2_000, message: 'budget used up' });
    await waitFor(async () => (await redis.hexists('processors', running.processorId)) === 0, {
      timeoutMillis: 2_000,
      message: 'ended request left processors',
    });
    expect(await paths()).to.deep.equal(['/p7', '/p6', '/p3', '/p2', '/p1']);
    // Spent: one slice (here one task) is held for a minute, and forceFlush writes it now.
    for (const path of ['/p8', '/p9']) tracker.taskEnded(new StaticTask(path).end());
    await tracker.forceFlush();
    expect(await paths()).to.deep.equal(['/p9', '/p7', '/p6', '/p3', '/p2']);
    expect(tracker.getStats()).to.include({ writtenCompleted: 6, trimmed: 4 });
  });

  it('holds at most two slices of completed tasks between flushes while the budget is spent', async () => {
    // 16 per minute, in slices of 2; flushes far apart, so only the request path trims.
    const tracker = exporter({ maxCompletedTasks: 16, completedListRefreshMillis: 60_000, flushIntervalMillis: 30_000 });
    await tracker.forceFlush();
    for (let i = 0; i < 16; i++) tracker.taskEnded(new StaticTask(`/spend${i}`).end());
    await tracker.forceFlush(); // the budget is spent
    let mostQueued = 0;
    for (let i = 0; i < 1_000; i++) {
      tracker.taskEnded(new StaticTask(`/held${i}`).end());
      mostQueued = Math.max(mostQueued, tracker.getStats().queued);
    }
    expect(mostQueued).to.be.at.most(2 * 2);
    expect(tracker.getStats()).to.include({ writtenCompleted: 16, dropped: 0 });
    expect(tracker.getStats().trimmed).to.be.at.least(1_000 - 2 * 2);
    // What is held is the newest: forceFlush writes it.
    await tracker.forceFlush();
    const [newest] = await redis.lrange('past_tasks', 0, 0);
    expect(HTTPTask.fromJSON(newest).path).to.equal('/held999');
  });

  it('writes held completed tasks at once on forceFlush', async () => {
    const tracker = exporter({ maxCompletedTasks: 5, completedListRefreshMillis: 60_000 });
    await tracker.forceFlush();
    for (let i = 0; i < 8; i++) tracker.taskEnded(new StaticTask(`/first${i}`).end());
    await waitFor(async () => (await redis.llen('past_tasks')) === 5, { timeoutMillis: 2_000, message: 'first burst written' });
    tracker.taskEnded(new StaticTask('/held').end());
    await tracker.forceFlush();
    const [newest] = await redis.lrange('past_tasks', 0, 0);
    expect(HTTPTask.fromJSON(newest).path).to.equal('/held');
  });

  it('holds nothing back while somebody listens: every completed task is published as it comes', async () => {
    const subscriber = new Redis(server.url);
    let received = 0;
    subscriber.on('message', () => received++);
    await subscriber.subscribe('task_updates');
    try {
      const tracker = exporter({ maxCompletedTasks: 20, completedListRefreshMillis: 60_000 });
      await tracker.forceFlush(); // learns that somebody is subscribed
      for (let burst = 0; burst < 3; burst++) {
        for (let i = 0; i < 30; i++) tracker.taskEnded(new StaticTask(`/seen${burst}-${i}`).end());
        // No forceFlush: each burst goes out with the exporter's timer.
        await waitFor(() => received === 30 * (burst + 1), { timeoutMillis: 2_000, message: `burst ${burst} published` });
      }
      expect(tracker.getStats()).to.include({ writtenCompleted: 90, trimmed: 0 });
    } finally {
      subscriber.disconnect();
    }
  });

  it('publishes on task_updates while somebody listens', async () => {
    const subscriber = new Redis(server.url);
    const messages: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => messages.push(message));
    await subscriber.subscribe('task_updates');
    try {
      const tracker = exporter();
      const warmUp = new StaticTask('/warm-up');
      tracker.taskStarted(warmUp);
      await tracker.forceFlush(); // learns that somebody is subscribed
      const task = new StaticTask('/watched');
      tracker.taskStarted(task);
      await tracker.forceFlush();
      tracker.taskEnded(task.end(201));
      await tracker.forceFlush();
      const updates = await waitFor(() => {
        const watched = messages.map((message) => HTTPTask.fromJSON(message)).filter((t) => t.path === '/watched');
        return watched.length === 2 && watched;
      });
      expect(updates[0].endedAt).to.equal(null);
      expect(updates[1].statusCode).to.equal(201);
    } finally {
      subscriber.disconnect();
    }
  });

  it('does not publish when nobody listens', async () => {
    const tracker = exporter();
    for (let i = 0; i < 3; i++) {
      tracker.taskStarted(new StaticTask(`/quiet${i}`));
      await tracker.forceFlush();
    }
    expect(await commandCalls(redis, 'publish')).to.equal(0);
  });

  it('heartbeats on the boundaries of its period, whenever it started, so that a fleet heartbeats in the same instant', async () => {
    const period = 500;
    const seen = new Map<string, Set<number>>();
    // Started at three different points of a period.
    for (const offset of [100, 250, 400]) {
      await waitFor(() => Date.now() % period >= offset && Date.now() % period < offset + 50, { intervalMillis: 5, message: `${offset} ms into a period` });
      const created = exporter({ heartbeatIntervalMillis: period });
      seen.set(created.id, new Set());
    }
    const until = Date.now() + 4 * period;
    await waitFor(
      async () => {
        for (const [id, times] of seen) {
          const record = await redis.hget('otel_top:exporters', id);
          if (record !== null) times.add((JSON.parse(record) as { seen: number }).seen);
        }
        return Date.now() > until;
      },
      { intervalMillis: 20, timeoutMillis: 10_000 },
    );
    for (const times of seen.values()) {
      // The first write is at its start; the heartbeats after it land just after a boundary (timers fire a little late).
      const heartbeats = [...times].sort().slice(1);
      expect(heartbeats.length).to.be.at.least(3);
      expect(heartbeats.filter((at) => at % period < 100).length).to.be.at.least(heartbeats.length - 1);
    }
  });

  it('uses the key prefix for every key', async () => {
    const tracker = exporter({ keyPrefix: '{shop}:' });
    const running = new StaticTask('/running');
    tracker.taskStarted(running);
    tracker.taskEnded(new StaticTask('/done').end());
    await tracker.forceFlush();
    const keys = await redis.keys('*');
    expect(keys.every((key) => key.startsWith('{shop}:'))).to.equal(true);
    expect(keys).to.include.members(['{shop}:past_tasks', '{shop}:processors', '{shop}:otel_top:exporters']);
  });

  it('reads TOP_TRACKER_URL and TOP_MAX_COMPLETED_TASKS', async () => {
    process.env.TOP_TRACKER_URL = server.url.replace(/\/0$/, '/2');
    process.env.TOP_MAX_COMPLETED_TASKS = '2';
    try {
      const tracker = new RedisTaskExporter();
      exporters.push(tracker);
      for (let i = 0; i < 5; i++) tracker.taskEnded(new StaticTask(`/e${i}`).end());
      await tracker.forceFlush();
      await redis.select(2);
      expect(await redis.llen('past_tasks')).to.equal(2);
    } finally {
      delete process.env.TOP_TRACKER_URL;
      delete process.env.TOP_MAX_COMPLETED_TASKS;
      await redis.select(0);
    }
  });

  it('says clearly what is wrong with a bad URL or setting', () => {
    expect(() => new RedisTaskExporter({ url: 'http://127.0.0.1:6379' })).to.throw(/redis:\/\/ or rediss:\/\//);
    const withPassword = (): RedisTaskExporter => new RedisTaskExporter({ url: 'redis://:hunter2@127.0.0.1:6379/x' });
    expect(withPassword).to.throw(/database number/);
    expect(withPassword).to.throw(/\*\*\*/);
    expect(withPassword).not.to.throw(/hunter2/);
    expect(() => new RedisTaskExporter({ url: server.url, maxCompletedTasks: 0 })).to.throw(/maxCompletedTasks/);
    process.env.TOP_MAX_COMPLETED_TASKS = 'many';
    try {
      expect(() => new RedisTaskExporter({ url: server.url })).to.throw(/TOP_MAX_COMPLETED_TASKS/);
    } finally {
      delete process.env.TOP_MAX_COMPLETED_TASKS;
    }
  });

  it('logs in with a password or an ACL user from the URL', async () => {
    await redis.acl('SETUSER', 'tracker', 'on', '>tracker-pw', '~*', '&*', '+@all');
    try {
      const tracker = exporter({ url: `redis://tracker:tracker-pw@127.0.0.1:${server.port}/0` });
      tracker.taskEnded(new StaticTask('/acl').end());
      await tracker.forceFlush();
      expect(tracker.getStats().writtenCompleted).to.equal(1);
      expect(await redis.llen('past_tasks')).to.equal(1);
    } finally {
      await redis.acl('DELUSER', 'tracker');
    }
  });

  it('ends the tasks still in flight at shutdown, so none stays active', async () => {
    const tracker = new RedisTaskExporter({ url: server.url });
    const inFlight = new StaticTask('/in-flight');
    tracker.taskStarted(inFlight);
    await tracker.forceFlush();
    expect(await redis.hlen('processors')).to.equal(1);
    await tracker.shutdown();
    expect(await redis.hlen('processors')).to.equal(0);
    const [json] = await redis.lrange('past_tasks', 0, -1);
    const task = HTTPTask.fromJSON(json);
    expect(task.path).to.equal('/in-flight');
    expect(task.recordedSuccessfully).to.equal(false);
    expect(task.endedAt).to.be.instanceOf(Date);
  });

  it('counts a request in the second it ended, as its task says, not the second it is counted in', async () => {
    const tracker = exporter();
    const task = new StaticTask('/earlier').end();
    task.task.endedAt = new Date(Date.now() - 3_000);
    tracker.taskEnded(task);
    await tracker.forceFlush();
    const keys = trackingTableKeys();
    const second = Math.floor(task.task.endedAt.getTime() / 1000);
    expect(await redis.hget(keys.countsPerSecond(second), 'c:GET /earlier')).to.equal('1');
    expect(await redis.hget(keys.countsPerSecond(Math.floor(Date.now() / 1000)), 'c:GET /earlier')).to.equal(null);
  });

  describe("reading starts from the tracker's list", () => {
    it('writes a long request from the list by itself, moves it at its end, and writes a quick one once, completed', async () => {
      const tracker = exporter({ maxQueueSize: 2 });
      const list = new StaticInFlightList();
      tracker.readInFlightFrom(list);
      const slow = ['/slow-1', '/slow-2', '/slow-3'].map((path) => list.start(new ListedTask(Date.now(), path)));
      for (const task of slow) tracker.taskStarted(task);
      // No forceFlush: the timer a start sets writes them once they are old enough; none counts against the queue bound.
      await waitFor(async () => (await redis.hlen('processors')) === 3 || undefined, { timeoutMillis: 2_000 });
      const quick = list.start(new ListedTask(Date.now(), '/quick'));
      tracker.taskStarted(quick);
      tracker.taskEnded(list.remove(quick).end());
      tracker.taskEnded(list.remove(slow[0]).end());
      await tracker.forceFlush();
      const paths = (await redis.lrange('past_tasks', 0, -1)).map((json) => HTTPTask.fromJSON(json).path);
      expect(paths).to.deep.equal(['/slow-1', '/quick']);
      expect((await redis.hkeys('processors')).sort()).to.deep.equal([slow[1].processorId, slow[2].processorId].sort());
      const stats = tracker.getStats();
      expect([stats.writtenActive, stats.writtenCompleted, stats.dropped]).to.deep.equal([3, 2, 0]);
    });

    it('says in its heartbeat record how many requests the list holds', async () => {
      const tracker = exporter({ activeAfterMillis: 60_000 });
      const list = new StaticInFlightList();
      tracker.readInFlightFrom(list);
      for (const path of ['/a', '/b']) tracker.taskStarted(list.start(new ListedTask(Date.now(), path)));
      await tracker.forceFlush();
      const record = await redis.hget('otel_top:processes', tracker.id);
      expect(record).to.be.a('string');
      expect(decodeProcessRecord(record as string).inFlight).to.equal(2);
    });

    it('at shutdown ends what the list holds, written or not, and writes no request started after', async () => {
      const tracker = new RedisTaskExporter({ url: server.url });
      const list = new StaticInFlightList();
      tracker.readInFlightFrom(list);
      const written = list.start(new ListedTask(Date.now(), '/written'));
      tracker.taskStarted(written);
      await tracker.forceFlush();
      const young = list.start(new ListedTask(Date.now(), '/young'));
      tracker.taskStarted(young);
      const stopping = tracker.shutdown();
      const late = list.start(new ListedTask(Date.now(), '/late'));
      tracker.taskStarted(late);
      await stopping;
      expect(await redis.hlen('processors')).to.equal(0);
      const ended = (await redis.lrange('past_tasks', 0, -1)).map((json) => HTTPTask.fromJSON(json));
      expect(ended.map((task) => task.path).sort()).to.deep.equal(['/written', '/young']);
      expect(ended.every((task) => task.recordedSuccessfully === false)).to.equal(true);
      expect(tracker.getStats().dropped).to.equal(1);
    });
  });
});
