import { expect } from 'chai';
import stringWidth from 'string-width';
import { HTTPTask } from '@otel-top/model';
import { createRedisClient, RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { ExampleApp } from './example-app.js';
import { runOtelTop } from './otel-top-process.js';

const CLIENT = { 'x-forwarded-for': '203.0.113.7, 10.0.0.1', 'cf-ipcountry': 'FI', 'user-agent': 'recent-test/1.0' };

interface WireTask {
  task_id: string;
  path: string;
  status_code: number | null;
  ended_at: string | null;
  request_headers: Array<[string, string]>;
}

describe('otel-top recent, against a Redis filled by the example app', function () {
  this.timeout(30_000);
  let redis: RedisTestServer;
  let app: ExampleApp;
  let reader: RedisTaskReader;

  before(async () => {
    redis = await RedisTestServer.start();
    app = await ExampleApp.start(redis.url);
    reader = new RedisTaskReader({ url: redis.url });
    app.hang({ ...CLIENT, 'user-agent': 'hung-client/1.0' });
    app.hang({ ...CLIENT, 'user-agent': 'hung-client/1.0' });
    // The app's two workers each flush on their own: each request is in Redis before the next is made, so that
    // the list's order is the order they were made in.
    const calls = [
      ['/api/products', 200],
      ['/api/products/1', 200],
      ['/api/products/999', 404],
      ['/api/fail', 500],
    ] as const;
    for (const [index, [path, status]] of calls.entries()) {
      expect(await app.call({ path, headers: CLIENT })).to.equal(status);
      await waitFor(async () => (await reader.getCompletedTasks()).length === index + 1, { message: `${path} written to past_tasks` });
    }
    await waitFor(async () => (await reader.getActiveTasks()).size === 2 && (await reader.getCompletedTasks()).length === 4, {
      message: 'two active and four completed requests in Redis',
    });
  });

  after(async () => {
    await reader?.close();
    expect(await app?.stop()).to.equal(0);
    await redis?.stop();
  });

  it('prints one table of the active requests, then the completed ones, newest first', async () => {
    const { code, stdout, stderr } = await runOtelTop(['recent', '--tracker-url', redis.url]);
    expect(code).to.equal(0);
    expect(stderr).to.equal('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).to.equal(`2 active HTTP requests, 4 completed HTTP responses at ${redis.url}`);
    expect(lines[1]).to.match(/^Cty\s+IP\s+Worker\s+Method\s+Path\s+Duration\s+(Waiting on\s+)?Ago\s+Resp\s+Length\s+User agent$/);
    const rows = lines.slice(2);
    expect(rows).to.have.length(6);
    for (const row of rows.slice(0, 2)) expect(row).to.match(/FI\s+203\.0\.113\.7\s+\d+:main\s+GET\s+\/api\/export\s+\S+\s+(?:\S.*?[\d.]+m?s\s+)?running\s+-\s+-\s+hung-client\/1\.0$/);
    // Newest first: the order the requests were made, reversed.
    expect(rows.slice(2).map((row) => /(\/api\/\S+)/.exec(row)?.[1])).to.deep.equal(['/api/fail', '/api/products/999', '/api/products/1', '/api/products']);
    expect(rows[2]).to.match(/\d+:main\s+GET\s+\/api\/fail\s+\S+\s+\S+\s+500\s+\d+\s+recent-test\/1\.0$/);
    expect(rows[3]).to.match(/\d+:main\s+GET\s+\/api\/products\/999\s+\S+\s+\S+\s+404\s+\d+\s+recent-test\/1\.0$/);
    expect(stdout).not.to.include('\u001b[');
  });

  it('--json prints the wire-format tasks, as the reader decodes them', async () => {
    const { code, stdout } = await runOtelTop(['recent', '--json'], { TOP_TRACKER_URL: redis.url });
    expect(code).to.equal(0);
    const document = JSON.parse(stdout) as { active: WireTask[]; completed: WireTask[] };
    expect(Object.keys(document)).to.deep.equal(['active', 'completed']);
    const active = [...(await reader.getActiveTasks()).values()].map((task) => task.toJSON());
    const completed = (await reader.getCompletedTasks()).map((task) => task.toJSON());
    expect(document.active).to.have.deep.members(active);
    expect(document.completed).to.have.deep.members(completed);
    expect(document.completed.map((task) => task.status_code)).to.deep.equal([500, 404, 200, 200]);
    expect(document.active[0]?.request_headers).to.deep.include(['USER-AGENT', 'hung-client/1.0']);
    expect(document.active.every((task) => task.ended_at === null && task.status_code === null)).to.equal(true);
  });

  it('--mode, --limit and --columns choose what is printed', async () => {
    const activeOnly = JSON.parse((await runOtelTop(['recent', '--json', '--mode', 'active', '--tracker-url', redis.url])).stdout);
    expect(activeOnly.active).to.have.length(2);
    expect(activeOnly.completed).to.deep.equal([]);

    const limited = JSON.parse((await runOtelTop(['recent', '--json', '--mode', 'complete', '--limit', '2', '--tracker-url', redis.url])).stdout);
    expect(limited.active).to.deep.equal([]);
    expect(limited.completed.map((task: WireTask) => task.path)).to.deep.equal(['/api/fail', '/api/products/999']);

    const table = await runOtelTop(['recent', '--mode', 'complete', '--columns', 'path,resp,service,route', '--tracker-url', redis.url]);
    expect(table.code).to.equal(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).to.equal(`4 completed HTTP responses at ${redis.url}`);
    expect(lines[1]).to.match(/^Path\s+Resp\s+Service\s+Route$/);
    expect(lines[3]).to.match(/^\/api\/products\/999\s+404\s+example-shop\s+\/api\/products\/:id$/);
  });

  it('colours only when asked to, and never with NO_COLOR', async () => {
    const forced = await runOtelTop(['recent', '--tracker-url', redis.url], { FORCE_COLOR: '1' });
    expect(forced.stdout).to.include('\u001b[');
    const noColor = await runOtelTop(['recent', '--tracker-url', redis.url], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(noColor.code).to.equal(0);
    expect(noColor.stdout).not.to.include('\u001b[');
    expect(noColor.stdout).to.include('/api/products/999');
  });

  it('lays out wide characters as two columns each, through the command as it ships', async () => {
    const client = createRedisClient(redis.url, {});
    try {
      const wide = new HTTPTask({ taskId: 'wide-1', method: 'GET', path: '/注文/一覧', statusCode: 200, endedAt: new Date(), startedAt: new Date() });
      const narrow = new HTTPTask({ taskId: 'narrow-1', method: 'GET', path: '/orders/list', statusCode: 200, endedAt: new Date(), startedAt: new Date() });
      await client.lpush('wide:past_tasks', JSON.stringify(narrow), JSON.stringify(wide));
      const { code, stdout } = await runOtelTop(['recent', '--mode', 'complete', '--key-prefix', 'wide:', '--tracker-url', redis.url]);
      expect(code).to.equal(0);
      const rows = stdout.split('\n').filter((line) => line.includes('/注文/一覧') || line.includes('/orders/list'));
      expect(rows).to.have.length(2);
      // Padded for two columns a CJK character, the rows line up column for column on a terminal.
      const [wideRow, narrowRow] = rows;
      const columnOf = (row: string, text: string): number => stringWidth(row.slice(0, row.indexOf(text)));
      expect(columnOf(wideRow, ' 200 ')).to.equal(columnOf(narrowRow, ' 200 '));
      expect(stringWidth(wideRow)).to.equal(stringWidth(narrowRow));
      expect(wideRow.length).to.not.equal(narrowRow.length);
    } finally {
      client.disconnect();
    }
  });

  it('reads the keys under --key-prefix, and warns about records that do not decode', async () => {
    const client = createRedisClient(redis.url, {});
    try {
      const good = new HTTPTask({ taskId: 'good-1', method: 'GET', path: '/from-python', statusCode: 201, endedAt: new Date(), startedAt: new Date() });
      await client.lpush('shop:past_tasks', JSON.stringify({ status_code: 'not a number' }), JSON.stringify(good), 'not json');
      await client.hset('shop:processors', 'pid:1 tid:1', '[]');

      const { code, stdout, stderr } = await runOtelTop(['recent', '--key-prefix', 'shop:', '--tracker-url', redis.url]);
      expect(code).to.equal(0);
      expect(stderr).to.equal('otel-top: warning: 3 records in the tracking table did not decode and were skipped\n');
      expect(stdout.split('\n')[0]).to.equal(`0 active HTTP requests, 1 completed HTTP response at ${redis.url}`);
      expect(stdout).to.match(/GET\s+\/from-python/);

      // Two tables, one per service, read as one view: repeated, or comma-separated.
      const other = new HTTPTask({ taskId: 'other-1', method: 'POST', path: '/from-billing', statusCode: 200, endedAt: new Date(Date.now() + 1_000), startedAt: new Date() });
      await client.lpush('billing:past_tasks', JSON.stringify(other));
      for (const args of [['--key-prefix', 'shop:', '--key-prefix', 'billing:'], ['--key-prefix', 'shop:,billing:']]) {
        const both = await runOtelTop(['recent', '--json', '--mode', 'complete', ...args, '--tracker-url', redis.url]);
        expect(both.code).to.equal(0);
        const paths = (JSON.parse(both.stdout) as { completed: Array<{ path: string }> }).completed.map((task) => task.path);
        expect(paths).to.deep.equal(['/from-billing', '/from-python']);
      }
    } finally {
      client.disconnect();
    }
  });
});
