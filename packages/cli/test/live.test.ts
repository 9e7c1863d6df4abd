import { expect } from 'chai';
import stringWidth from 'string-width';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { ExampleApp } from './example-app.js';
import { OTEL_TOP_BIN } from './otel-top-process.js';
import { TmuxTerminal } from './tmux-terminal.js';

const CLIENT = { 'x-forwarded-for': '198.51.100.23, 10.0.0.1', 'cf-ipcountry': 'DE', 'user-agent': 'live-test/2.0' };

describe('otel-top live, in a real terminal', function () {
  this.timeout(30_000);
  let redis: RedisTestServer;
  let app: ExampleApp;
  let reader: RedisTaskReader;
  let terminal: TmuxTerminal;

  const completedCount = async (path: string): Promise<number> =>
    (await reader.getCompletedTasks()).filter((task) => task.path === path).length;

  before(async () => {
    redis = await RedisTestServer.start();
    app = await ExampleApp.start(redis.url);
    reader = new RedisTaskReader({ url: redis.url });
    app.hang({ ...CLIENT, 'user-agent': 'stuck-client/1.0' });
    await waitFor(async () => (await reader.getActiveTasks()).size === 1, { message: 'the hung request active in Redis' });
    for (const path of ['/api/products', '/api/products/2', '/api/products/404404', '/api/fail']) await app.call({ path, headers: CLIENT });
    await waitFor(async () => (await reader.getCompletedTasks()).length === 4, { message: 'four completed requests in Redis' });
    terminal = await TmuxTerminal.start([process.execPath, OTEL_TOP_BIN, 'live', '--refresh-rate', '0.5', '--stalled', '60000'], {
      env: { TOP_TRACKER_URL: redis.url, NO_COLOR: undefined },
      width: 130,
      height: 30,
    });
  });

  after(async () => {
    await terminal?.close();
    await reader?.close();
    expect(await app?.stop()).to.equal(0);
    await redis?.stop();
  });

  it('shows the header figures and both tables with the reference columns', async () => {
    await terminal.waitForText('Active HTTP requests (1)', 'Completed HTTP responses (4)');
    // The counters are a couple of seconds behind the tables: the header has the four requests once they are in.
    const header = /^otel-top {2}1 host, 2 processes {2}active 1 {2}[\d.]+ req\/s {2}errors 25\.0% \(4xx 25\.0%\) {2}p50 \S+ p95 \S+ p99 \S+ {2}loop p99 \S+$/;
    const screen = await terminal.waitForScreen((text) => header.test(text.split('\n')[0] ?? ''), 'the header with the counted requests');
    const lines = screen.split('\n');
    expect(lines[1]).to.match(new RegExp(`^\\[1 Requests\\] 2 Routes 3 Processes {2}tracker ${redis.url.replace(/[/.]/g, '\\$&')} {2}window 1 min {2}sort: time$`));
    // Waiting on shows while some request waits on a call (the shop's cart in Redis, its warehouse).
    expect(screen).to.match(/ {2}Cty\s+IP\s+Worker\s+Method\s+Path\s+Duration\s+(Waiting on\s+)?User agent\n/);
    expect(screen).to.match(/DE\s+198\.51\.100\.23\s+\d+:main\s+GET\s+\/api\/export\s+[\d.]+m?s\s+(?:\S.*?[\d.]+m?s\s+)?stuck-client\/1\.0/);
    expect(screen).to.match(/ {2}Cty\s+IP\s+Ago\s+Duration\s+Resp\s+Method\s+Path\s+Length\s+User agent\n/);
    expect(screen).to.match(/DE\s+198\.51\.100\.23\s+\S+\s+\S+\s+500\s+GET\s+\/api\/fail\s+\d+\s+live-test\/2\.0/);
    expect(screen).to.match(/404\s+GET\s+\/api\/products\/404404/);
    expect(lines.filter((line) => line !== '').at(-1)).to.include('q  quit').and.include('?  help');
  });

  it('shows new requests as they complete, and ticks the durations of running ones', async () => {
    const before = /\/api\/export\s+(\S+)/.exec((await terminal.screen()).join('\n'))?.[1];
    await app.call({ path: '/api/products/7', headers: CLIENT });
    await terminal.waitForText('/api/products/7', 'Completed HTTP responses (5)');
    await terminal.waitForScreen((screen) => /\/api\/export\s+(\S+)/.exec(screen)?.[1] !== before, 'the running duration to tick');
  });

  it('p pauses and resumes the view', async () => {
    await terminal.keys('p');
    await terminal.waitForText('PAUSED');
    await app.call({ path: '/api/products/8', headers: CLIENT });
    await waitFor(async () => (await completedCount('/api/products/8')) === 1, { message: 'the request in Redis' });
    // Redis has it now; the paused screen keeps what it showed.
    expect((await terminal.screen()).join('\n')).not.to.include('/api/products/8');
    await terminal.keys('p');
    await terminal.waitForScreen((screen) => screen.includes('/api/products/8') && !screen.includes('PAUSED'), 'the view resumed');
  });

  it('s cycles the sort', async () => {
    await terminal.keys('s');
    await terminal.waitForText('sort: duration');
    await terminal.keys('s');
    const screen = await terminal.waitForText('sort: status');
    // 5xx first, then 4xx, then 2xx.
    const statuses = [...screen.matchAll(/\s(500|404|200)\s+GET/g)].map((match) => match[1]);
    expect(statuses.slice(0, 2)).to.deep.equal(['500', '404']);
    await terminal.keys('s', 's');
    await terminal.waitForText('sort: time');
  });

  it('/ filters by path, status or method, and Esc clears it', async () => {
    await terminal.keys('/');
    await terminal.waitForText('Filter:');
    await terminal.type('products 4xx');
    await terminal.keys('Enter');
    const screen = await terminal.waitForText('filter: products 4xx', 'Completed HTTP responses (1)');
    expect(screen).to.include('/api/products/404404');
    expect(screen).not.to.include('/api/fail');
    expect(screen).to.include('Active HTTP requests (0)').and.include('none match the filter');
    await terminal.keys('Escape');
    await terminal.waitForScreen((text) => !text.includes('filter:') && text.includes('/api/fail'), 'the filter cleared');
  });

  it('arrows select a request and Enter shows every field of it', async () => {
    await terminal.keys('Down');
    // The first row, the hung export, gets the marker.
    await terminal.waitForScreen((screen) => /^> .*\/api\/export/m.test(screen), 'the first row selected');
    await terminal.keys('Enter');
    const detail = await terminal.waitForText('Request detail', 'Trace id');
    expect(detail).to.match(/Path\s+\/api\/export/);
    expect(detail).to.match(/Original IP\s+198\.51\.100\.23/);
    expect(detail).to.match(/Status\s+running/);
    expect(detail).to.match(/Trace id\s+[0-9a-f]{32}/);
    // The key line names the detail's keys, from the same table as the help.
    expect(detail.split('\n').filter((line) => line !== '').at(-1)).to.equal(' q  quit  Esc  back  ↑↓  scroll  PgUp PgDn  page');
    await terminal.keys('Down', 'Down');
    await terminal.waitForScreen((screen) => !screen.includes('  Method '), 'the detail to scroll');
    await terminal.keys('PageDown');
    const headers = await terminal.waitForText('Request headers');
    expect(headers).to.include('USER-AGENT: stuck-client/1.0').and.include('X-FORWARDED-FOR: 198.51.100.23, 10.0.0.1');
    expect(headers).to.match(/service\.name: example-shop/);
    await terminal.keys('Escape');
    await terminal.waitForText('Active HTTP requests (1)');
  });

  it('? shows the keys, any key closes them', async () => {
    await terminal.keys('?');
    const help = await terminal.waitForText('Keys (any key closes this help)');
    expect(help).to.match(/p\s+pause \/ resume updates/).and.match(/Enter\s+show every field/);
    expect(help.split('\n').filter((line) => line !== '').at(-1)).to.equal(' q  quit  any key  close');
    await terminal.keys('x');
    await terminal.waitForText('Active HTTP requests (1)');
  });

  it('follows a resize, cutting values rather than wrapping them', async () => {
    await terminal.resize(70, 16);
    const screen = await terminal.waitForScreen(
      (text) => text.split('\n').length === 16 && text.includes('Completed HTTP responses') && text.split('\n').every((line) => stringWidth(line) <= 70),
      'the view fitted to 70x16',
    );
    const lines = screen.split('\n');
    expect(lines[0]).to.match(/^otel-top {2}1 host/);
    expect(lines.filter((line) => line !== '').at(-1)).to.include('q  quit');
    expect(screen).to.include('/api/export');
    await terminal.resize(130, 30);
    await terminal.waitForScreen((text) => /stuck-client\/1\.0/.test(text), 'the view back at 130 columns');
  });

  it('q quits with exit code 0 and gives the terminal back', async () => {
    await terminal.keys('q');
    expect(await terminal.waitForExit()).to.equal(0);
    const screen = (await terminal.screen()).join('\n');
    expect(screen).not.to.include('Active HTTP requests');
  });
});

describe('otel-top live, allowed to read the table but not to subscribe', function () {
  this.timeout(30_000);
  let redis: RedisTestServer;
  let terminal: TmuxTerminal | undefined;

  before(async () => {
    // A Redis user with every command and key but no channel: its SUBSCRIBE is refused (NOPERM).
    redis = await RedisTestServer.start({ args: ['--user', 'viewer', 'on', '>viewer-secret', '~*', 'resetchannels', '+@all'] });
  });

  after(async () => {
    await terminal?.close();
    await redis?.stop();
  });

  it('draws the table all the same, and says on the status line that it has no live updates', async () => {
    const url = new URL(redis.url);
    url.username = 'viewer';
    url.password = 'viewer-secret';
    terminal = await TmuxTerminal.start([process.execPath, OTEL_TOP_BIN, 'live', '--refresh-rate', '0.5'], {
      env: { TOP_TRACKER_URL: url.href, NO_COLOR: undefined },
      width: 160,
      height: 20,
    });
    const screen = await terminal.waitForText('Active HTTP requests (0)', 'no live updates, read every refresh: NOPERM');
    expect(screen).to.include('Completed HTTP responses (0)');
    await terminal.keys('q');
    expect(await terminal.waitForExit()).to.equal(0);
  });
});
