import { expect } from 'chai';
import type { ProcessFigures } from '@otel-top/model';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { ExampleApp } from './example-app.js';
import { OTEL_TOP_BIN } from './otel-top-process.js';
import { TmuxTerminal } from './tmux-terminal.js';

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

/** The rows of the Routes table on a screen: name, active, count, errors. */
function routeRows(screen: string): string[][] {
  return [...screen.matchAll(/^[ >] (GET \S+)\s+(\d+)\s+(\d+)\s+[\d.]+\s+(\d+)\s/gm)].map((match) => match.slice(1, 5));
}

const footer = (screen: string): string | undefined => screen.split('\n').filter((line) => line !== '').at(-1);

describe('otel-top live: the Requests, Routes and Processes views, in a real terminal', function () {
  this.timeout(30_000);
  let redis: RedisTestServer;
  let app: ExampleApp;
  let reader: RedisTaskReader;
  let terminal: TmuxTerminal;
  let workers: ProcessFigures[];
  let hungPid: number;

  /** Presses one key and waits until the screen shows what it should. */
  async function press(key: string, ...texts: string[]): Promise<string> {
    await terminal.keys(key);
    return terminal.waitForText(...texts);
  }

  before(async () => {
    redis = await RedisTestServer.start();
    app = await ExampleApp.start(redis.url);
    reader = new RedisTaskReader({ url: redis.url });
    app.hang();
    for (const path of MIX) await app.call({ path });
    await waitFor(
      async () =>
        (await reader.getActiveTasks()).size === 1 &&
        (await reader.getCompletedTasks()).length === MIX.length &&
        (await reader.getTraffic('1m')).total.count === MIX.length,
      { timeoutMillis: 15_000, message: 'the mix counted in Redis and the export active' },
    );
    workers = await reader.getProcesses();
    expect(workers).to.have.length(2);
    hungPid = [...(await reader.getActiveTasks()).values()][0]?.processId ?? 0;
    terminal = await TmuxTerminal.start([process.execPath, OTEL_TOP_BIN, 'live', '--refresh-rate', '0.5'], {
      env: { TOP_TRACKER_URL: redis.url, NO_COLOR: undefined },
      width: 140,
      height: 30,
    });
    await terminal.waitForText('Active HTTP requests (1)', `Completed HTTP responses (${MIX.length})`);
  });

  after(async () => {
    await terminal?.close();
    await reader?.close();
    expect(await app?.stop()).to.equal(0);
    await redis?.stop();
  });

  it('the header counts every request from the live counters, and the fleet from the heartbeats', async () => {
    // 13 requests over 1 min; 2 failed (500), 1 not found.
    const screen = await terminal.waitForScreen((text) => text.includes('0.22 req/s'), 'the counted requests in the header');
    expect(screen.split('\n')[0]).to.match(/^otel-top {2}1 host, 2 processes {2}active 1 {2}0\.22 req\/s {2}errors 15\.4% \(4xx 7\.7%\) {2}p50 \S+ p95 \S+ p99 \S+ {2}loop p99 \S+$/);
  });

  it('2 shows Routes: exact counts, most requests first, the hung export from its running request', async () => {
    const screen = await press('2', 'Routes over the last 1 min (5)');
    expect(screen.split('\n')[1]).to.match(/^1 Requests \[2 Routes\] 3 Processes {2}tracker \S+ {2}window 1 min {2}sort: count$/);
    expect(screen).to.match(/ {2}Route\s+Active\s+Count\s+Req\/s\s+Errors\s+Err%\s+p50\s+p95\s+p99\s+Slowest\s+Latency\n/);
    expect(routeRows(screen)).to.deep.equal([
      ['GET /api/products', '0', '6', '0'],
      ['GET /api/products/:id', '0', '4', '0'],
      ['GET /api/fail', '0', '2', '2'],
      ['GET /', '0', '1', '0'],
      ['GET /api/export', '1', '0', '0'],
    ]);
    // A latency distribution in the row, a bar per decade: the list's 2 to 30 ms in the 1-10 ms and 10-100 ms ones.
    expect(screen).to.match(/^ {2}GET \/api\/products\s.* ···(█[·▁▂▃▄▅▆▇█]|[·▁▂▃▄▅▆▇]█)····$/m);
    expect(screen).to.match(/GET \/api\/fail\s+0\s+2\s+[\d.]+\s+2\s+100\.0%/);
    // Its slowest running request: the hung one, counted once it ends.
    expect(screen).to.match(/GET \/api\/export\s+1\s+0\s+0\.00\s+0\s+-\s+-\s+-\s+-\s+\d[\d.]*m?s( STALLED)?\s+-$/m);
    expect(footer(screen)).to.equal(' q  quit  Tab  view  p  pause  w  window  s  sort  ↑↓  select  Enter  requests  ?  help');
  });

  it('w cycles the window of the counters: 5 min, 10 s, back to 1 min', async () => {
    const five = await press('w', 'Routes over the last 5 min (5)', 'window 5 min');
    expect(routeRows(five).map((row) => row[2])).to.deep.equal(['6', '4', '2', '1', '0']);
    await press('w', 'Routes over the last 10 s', 'window 10 s');
    const back = await press('w', 'Routes over the last 1 min (5)', 'window 1 min');
    expect(routeRows(back).map((row) => row[0])).to.deep.equal(['GET /api/products', 'GET /api/products/:id', 'GET /api/fail', 'GET /', 'GET /api/export']);
  });

  it('s sorts the routes: by active, by errors, and round to count', async () => {
    const active = await press('s', 'sort: active');
    expect(routeRows(active)[0]?.[0]).to.equal('GET /api/export');
    const errors = await press('s', 'sort: errors');
    expect(routeRows(errors)[0]?.[0]).to.equal('GET /api/fail');
    await press('s', 'sort: p99');
    await press('s', 'sort: name');
    const count = await press('s', 'sort: count');
    expect(routeRows(count)[0]?.[0]).to.equal('GET /api/products');
  });

  it('Enter on a route opens Requests narrowed to it; Esc shows every request again', async () => {
    await press('Down', '> GET /api/products ');
    await press('Down', '> GET /api/products/:id ');
    const narrowed = await press('Enter', '[1 Requests]', 'route GET /api/products/:id', 'Completed HTTP responses (4)');
    expect(narrowed).to.include('Active HTTP requests (0)').and.include('none match the filter');
    expect(narrowed).not.to.include('/api/fail');
    expect([...narrowed.matchAll(/GET\s+(\/api\/products\/\d+)\s/g)].map((match) => match[1]).sort()).to.deep.equal([
      '/api/products/1',
      '/api/products/2',
      '/api/products/3',
      '/api/products/999',
    ]);
    await press('Escape', `Completed HTTP responses (${MIX.length})`, 'Active HTTP requests (1)');
  });

  it('Tab goes on to Processes, which lists both workers alive with their figures', async () => {
    await press('Tab', '[2 Routes]');
    const screen = await press('Tab', '[3 Processes]', 'Processes, req/s and errors over the last 1 min (2)');
    expect(screen).to.match(/ {2}Host\s+PID\s+Service\s+State\s+Uptime\s+Active\s+Req\/s\s+Errors\s+Loop p99\s+CPU\s+RSS\s+Heap\s+Heartbeat\s+Queued\s+Dropped\s+Failed\n/);
    for (const worker of workers) {
      const row = new RegExp(`^[ >] \\S+\\s+${worker.pid}\\s+example-shop 1\\.0\\.0\\s+alive\\s+\\d+[smhd]( \\d+[smhd])?\\s+(\\d)\\s+[\\d.]+\\s+\\d+\\s+\\S+\\s+\\d+%\\s+\\d+M\\s+\\S+M/\\S+M\\s+[\\d.]+s\\s+\\d+\\s+0\\s+0$`, 'm');
      const active = row.exec(screen)?.[2];
      expect(active, `the row of ${worker.pid}`).to.equal(worker.pid === hungPid ? '1' : '0');
    }
    expect(footer(screen)).to.equal(' q  quit  Tab  view  p  pause  w  window  ↑↓  select  Enter  requests  ?  help');
  });

  it('Enter on a process opens Requests narrowed to it', async () => {
    // Rows by host, then pid.
    const index = [...workers].sort((a, b) => a.pid - b.pid).findIndex((worker) => worker.pid === hungPid);
    for (let step = 0; step <= index; step++) await press('Down', '> ');
    await terminal.waitForScreen((screen) => new RegExp(`^> \\S+\\s+${hungPid}\\s`, 'm').test(screen), 'the process with the hung request selected');
    const screen = await press('Enter', '[1 Requests]', `pid ${hungPid}`, 'Active HTTP requests (1)');
    const workersShown = [...screen.matchAll(/\s(\d+):main\s/g)].map((match) => Number(match[1]));
    expect(workersShown).to.include(hungPid);
    expect(workersShown.every((pid) => pid === hungPid)).to.equal(true);
    await press('Escape', `Completed HTTP responses (${MIX.length})`);
  });

  it('a SIGKILLed worker turns dead, then cleaned, in Processes; the other stays alive', async () => {
    const killed = workers.find((worker) => worker.pid !== hungPid)!;
    await press('3', '[3 Processes]');
    process.kill(killed.pid, 'SIGKILL');
    // Dead once its heartbeat is 10 s old (the exporters' default); cleaned by the other worker right after.
    const screen = await terminal.waitForScreen(
      (text) => new RegExp(`^[ >] \\S+\\s+${killed.pid}\\s+example-shop 1\\.0\\.0\\s+(dead|cleaned)\\s`, 'm').test(text),
      `worker ${killed.pid} shown dead or cleaned`,
      20_000,
    );
    expect(screen).to.match(new RegExp(`^[ >] \\S+\\s+${hungPid}\\s+example-shop 1\\.0\\.0\\s+alive\\s`, 'm'));
    expect(screen.split('\n')[0]).to.match(/^otel-top {2}1 host, 1 process(, 1 dead)? {2}/);
    await terminal.waitForScreen(
      (text) => new RegExp(`^[ >] \\S+\\s+${killed.pid}\\s+example-shop 1\\.0\\.0\\s+cleaned\\s`, 'm').test(text),
      `worker ${killed.pid} shown cleaned`,
      5_000,
    );
  });

  it('q quits with exit code 0', async () => {
    await terminal.keys('q');
    expect(await terminal.waitForExit()).to.equal(0);
  });
});
