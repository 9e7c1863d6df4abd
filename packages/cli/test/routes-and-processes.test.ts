import { expect } from 'chai';
import { HTTPTask } from '@otel-top/model';
import { createRedisClient, RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { ExampleApp } from './example-app.js';
import { runOtelTop } from './otel-top-process.js';

/** A known mix: 6 + 4 (one 404) + 2 failures + 1, and one export that hangs. */
const MIX = [
  ...Array<string>(6).fill('/api/products'),
  '/api/products/1',
  '/api/products/2',
  '/api/products/3',
  '/api/products/999',
  '/api/fail',
  '/api/fail',
  '/',
];

interface WireRoute {
  name: string;
  active: number;
  count: number;
  errors: number;
  error_share: number | null;
  rps: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  status_classes: number[];
  seconds: number;
}

interface WireProcess {
  host: string;
  pid: number;
  service: string | null;
  service_version?: string | null;
  active: number;
  rps: number | null;
  event_loop_delay_p99_ms: number | null;
  rss_bytes: number | null;
  heartbeat_age_ms: number | null;
  state: string;
  traffic?: Record<string, { count: number }>;
}

describe('otel-top routes and otel-top processes, against the example app', function () {
  this.timeout(30_000);
  let redis: RedisTestServer;
  let app: ExampleApp;
  let reader: RedisTaskReader;

  before(async () => {
    redis = await RedisTestServer.start();
    app = await ExampleApp.start(redis.url);
    reader = new RedisTaskReader({ url: redis.url });
    app.hang();
    const statuses = [];
    for (const path of MIX) statuses.push(await app.call({ path }));
    expect(statuses.filter((status) => status === 200)).to.have.length(10);
    await waitFor(async () => (await reader.getActiveTasks()).size === 1 && (await reader.getTraffic('1m')).total.count === MIX.length, {
      timeoutMillis: 15_000,
      message: 'the mix counted in Redis and the export active',
    });
  });

  after(async () => {
    await reader?.close();
    expect(await app?.stop()).to.equal(0);
    await redis?.stop();
  });

  it('routes: one row per route with exact counts, most requests first, the hung route from its active request', async () => {
    const { code, stdout, stderr } = await runOtelTop(['routes', '--tracker-url', redis.url]);
    expect(code).to.equal(0);
    expect(stderr).to.equal('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).to.equal(`5 routes over the last 1 min at ${redis.url}`);
    expect(lines[1]).to.match(/^Route\s+Active\s+Count\s+Req\/s\s+Errors\s+p50\s+p95\s+p99$/);
    const rows = lines.slice(2).map((line) => /^(GET \S+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)$/.exec(line)?.slice(1, 6));
    expect(rows).to.deep.equal([
      ['GET /api/products', '0', '6', '0.10', '0'],
      ['GET /api/products/:id', '0', '4', '0.07', '0'],
      ['GET /api/fail', '0', '2', '0.03', '2'],
      ['GET /', '0', '1', '0.02', '0'],
      ['GET /api/export', '1', '0', '0.00', '0'],
    ]);
    expect(lines.at(-1)).to.match(/GET \/api\/export\s+1\s+0\s+0\.00\s+0\s+-\s+-\s+-$/);
    expect(stdout).not.to.include('\u001b[');
  });

  it('routes --json: the same routes with every figure, for scripts', async () => {
    const { code, stdout } = await runOtelTop(['routes', '--json'], { TOP_TRACKER_URL: redis.url });
    expect(code).to.equal(0);
    const routes = JSON.parse(stdout) as WireRoute[];
    expect(routes.map((route) => [route.name, route.active, route.count, route.errors])).to.deep.equal([
      ['GET /api/products', 0, 6, 0],
      ['GET /api/products/:id', 0, 4, 0],
      ['GET /api/fail', 0, 2, 2],
      ['GET /', 0, 1, 0],
      ['GET /api/export', 1, 0, 0],
    ]);
    const [products, byId, fail] = routes;
    for (const key of ['name', 'active', 'count', 'errors', 'rps', 'p50_ms', 'p95_ms', 'p99_ms']) expect(products, key).to.have.property(key);
    expect(products?.rps).to.be.closeTo(6 / 60, 1e-9);
    // The percentiles are those of the requests' own durations (nearest rank), within the buckets' 5% and the tasks' millisecond times.
    const durations = (await reader.getCompletedTasks())
      .filter((task) => task.path === '/api/products')
      .map((task) => task.getDuration() ?? NaN)
      .sort((a, b) => a - b);
    expect(durations).to.have.length(6);
    const [p50, p99] = [durations[2]!, durations[5]!];
    expect(products?.p50_ms).to.be.closeTo(p50, p50 * 0.05 + 1);
    expect(products?.p99_ms).to.be.closeTo(p99, p99 * 0.05 + 1);
    expect(byId?.status_classes).to.deep.equal([0, 0, 3, 0, 1, 0]);
    expect(fail).to.include({ error_share: 1 });
    expect(routes[4]).to.include({ p50_ms: null, error_share: null });

    // Every request is in the 5 minutes too (which cover a few seconds less at their older edge); 10 seconds cover 10 seconds.
    const longer = JSON.parse((await runOtelTop(['routes', '--json', '--window', '5m', '--tracker-url', redis.url])).stdout) as WireRoute[];
    expect(longer.map((route) => route.count)).to.deep.equal([6, 4, 2, 1, 0]);
    expect(longer[0]?.seconds).to.be.within(290, 300);
    const shorter = JSON.parse((await runOtelTop(['routes', '--json', '--window', '10s', '--tracker-url', redis.url])).stdout) as WireRoute[];
    expect(shorter.every((route) => route.seconds === 10)).to.equal(true);
  });

  it('processes: both workers alive with their health, and --json for scripts', async () => {
    const heartbeats = await reader.getProcesses();
    expect(heartbeats).to.have.length(2);
    const { code, stdout, stderr } = await runOtelTop(['processes', '--tracker-url', redis.url]);
    expect(code).to.equal(0);
    expect(stderr).to.equal('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).to.equal(`2 processes at ${redis.url}, req/s and errors over the last 1 min`);
    expect(lines[1]).to.match(/^Host\s+PID\s+Service\s+State\s+Uptime\s+Active\s+Req\/s\s+Errors\s+Loop p99\s+CPU\s+RSS\s+Heap\s+Heartbeat\s+Queued\s+Dropped\s+Failed$/);
    for (const figures of heartbeats) {
      expect(lines.slice(2).some((line) => new RegExp(`^\\S+\\s+${figures.pid}\\s+example-shop 1\\.0\\.0\\s+alive\\s`).test(line)), String(figures.pid)).to.equal(true);
    }

    const processes = JSON.parse((await runOtelTop(['processes', '--json', '--tracker-url', redis.url])).stdout) as WireProcess[];
    expect(processes.map((process) => process.pid)).to.have.members(heartbeats.map((figures) => figures.pid));
    for (const process of processes) {
      expect(process).to.include({ service: 'example-shop', service_version: '1.0.0', state: 'alive' });
      for (const key of ['host', 'pid', 'service', 'active', 'rps', 'event_loop_delay_p99_ms', 'rss_bytes', 'heartbeat_age_ms', 'state']) expect(process, key).to.have.property(key);
      expect(process.rss_bytes).to.be.above(10 * 1024 * 1024);
      expect(process.event_loop_delay_p99_ms).to.be.within(0, 1_000);
      expect(process.heartbeat_age_ms).to.be.within(0, 2_500);
    }
    // Each worker counts its own requests: together, the mix; the hung one is in flight in one of them.
    expect(processes.reduce((sum, process) => sum + (process.traffic?.['1m']?.count ?? 0), 0)).to.equal(MIX.length);
    expect(processes.map((process) => process.active).sort()).to.deep.equal([0, 1]);
  });

  it('processes: a writer without a heartbeat (the Python Top Framework) is listed from its tasks; broken records are counted', async () => {
    const client = createRedisClient(redis.url, {});
    const task = new HTTPTask({ taskId: 'py-1', hostName: 'py-host', processId: 4242, threadId: 1, method: 'GET', path: '/report', startedAt: new Date() });
    try {
      await client.hset('processors', task.getProcessorTrackingId(), JSON.stringify(task));
      const processes = JSON.parse((await runOtelTop(['processes', '--json', '--tracker-url', redis.url])).stdout) as WireProcess[];
      expect(processes).to.have.length(3);
      expect(processes.find((process) => process.host === 'py-host')).to.deep.equal({
        host: 'py-host',
        pid: 4242,
        service: null,
        active: 1,
        rps: null,
        errors: null,
        event_loop_delay_p99_ms: null,
        rss_bytes: null,
        heartbeat_age_ms: null,
        state: 'no-heartbeat',
      });
      const table = await runOtelTop(['processes', '--tracker-url', redis.url]);
      expect(table.stdout).to.match(/\npy-host\s+4242\s+-\s+no heartbeat\s+-\s+1\s+-/);

      // A record that does not decode is skipped and counted, as by recent.
      await client.hset('processors', 'broken', 'not json');
      for (const command of ['processes', 'routes']) {
        const warned = await runOtelTop([command, '--tracker-url', redis.url]);
        expect(warned.code, command).to.equal(0);
        expect(warned.stderr, command).to.equal('otel-top: warning: 1 record in the tracking table did not decode and was skipped\n');
      }
    } finally {
      await client.hdel('processors', task.getProcessorTrackingId(), 'broken');
      client.disconnect();
    }
  });
});
