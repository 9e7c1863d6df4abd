import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { HTTPTask, OpenSpan } from '@otel-top/model';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { REDACTED } from '@otel-top/span-processor';
import { AppProcess } from './fixtures/app-process';
import { HoldingServer } from './fixtures/holding-server';
import { request, Response } from './fixtures/http-client';
import { readLikeWebTop } from './fixtures/web-top-reader';

/** Runs the real `otel-top` command, as a user would; resolves to what it printed. */
async function otelTop(args: string[]): Promise<string> {
  const manifest = require.resolve('@otel-top/cli/package.json');
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }).bin['otel-top'];
  const { stdout } = await promisify(execFile)(process.execPath, [join(dirname(manifest), bin), ...args], { env: { ...process.env, NO_COLOR: '1' } });
  return stdout;
}

/** Kind and name of each open span, in the order the task lists them. */
function outline(task: HTTPTask): Array<[string | null, string | null]> {
  return (task.openSpans ?? []).map((span) => [span.kind, span.name]);
}

function last(task: HTTPTask): OpenSpan {
  const spans = task.openSpans ?? [];
  expect(spans.length).to.be.greaterThan(0);
  return spans[spans.length - 1];
}

/** Each span's parent is the one before it, the first's the request: a chain from the request inwards. */
function expectChain(task: HTTPTask): void {
  const spans = task.openSpans ?? [];
  expect(spans[0].parentSpanId).to.equal(task.tags?.span_id);
  for (let i = 1; i < spans.length; i++) expect(spans[i].parentSpanId).to.equal(spans[i - 1].spanId);
}

describe('What each active request waits on, end to end through Redis', function () {
  let redisServer: RedisTestServer;
  let redis: Redis;
  let reader: RedisTaskReader;
  let upstream: HoldingServer;
  let app: AppProcess;

  before(async () => {
    redisServer = await RedisTestServer.start();
    redis = new Redis(redisServer.url);
    reader = new RedisTaskReader({ url: redisServer.url });
    upstream = await HoldingServer.start();
    app = await AppProcess.start(
      { TOP_TRACKER_URL: redisServer.url, CART_REDIS_URL: redisServer.url, UPSTREAM_URL: upstream.url, NODE_ENV: 'test' },
      'waiting-app.js',
    );
  });

  after(async () => {
    await upstream.close();
    expect(await app.stop()).to.equal(0);
    expect(app.stderr).to.equal('');
    await reader.close();
    redis.disconnect();
    await redisServer.stop();
  });

  /** The active task of that path, as the exporter wrote it (a snapshot once it had run 100 ms). */
  function activeTask(path: string): Promise<HTTPTask> {
    return waitFor(async () => [...(await reader.getActiveTasks()).values()].find((task) => task.path === path), {
      message: `the active task of ${path}`,
    });
  }

  /** The raw JSON of that path's active task in the processors hash. */
  async function activeJson(path: string): Promise<string> {
    const values = Object.values(await redis.hgetall('processors'));
    return values.find((json) => (JSON.parse(json) as { path: string }).path === path) ?? '';
  }

  async function completedTask(path: string): Promise<{ task: HTTPTask; json: string }> {
    const task = await waitFor(async () => (await reader.getCompletedTasks()).find((candidate) => candidate.path === path), {
      message: `the completed task of ${path}`,
    });
    const json = (await redis.lrange('past_tasks', 0, -1)).find((entry) => (JSON.parse(entry) as { path: string }).path === path) ?? '';
    return { task, json };
  }

  it('shows an outbound node:http call while the request is inside it, and nothing once it has ended', async () => {
    const sentAt = Date.now();
    const response = request(app.port, '/wait/http/7');
    const task = await activeTask('/wait/http/7');

    expect(task.taskName).to.equal('GET /wait/http/:item');
    expect(outline(task)).to.deep.equal([
      ['INTERNAL', 'request handler'],
      ['CLIENT', 'GET'],
    ]);
    expectChain(task);
    const call = last(task);
    expect(call.attributes).to.deep.equal({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'url.path': '/hold/7',
      'url.query': `token=${REDACTED}&item=7`,
    });
    expect(call.startedAt?.getTime()).to.be.within((task.startedAt?.getTime() ?? 0) - 5, Date.now());
    expect(task.startedAt?.getTime()).to.be.at.least(sentAt - 5);
    const json = await activeJson('/wait/http/7');
    expect(json).to.include('"open_spans":[{"span_id":');
    expect(json).not.to.include('s3cr3t');
    expect(upstream.arrived).to.include('/hold/7?token=s3cr3t-token&item=7'); // the secret was really sent

    // The Python reader ignores the field it does not know and decodes the task as before.
    const pythonView = await readLikeWebTop(redisServer.port);
    expect(pythonView.errors).to.deep.equal([]);
    expect(Object.values(pythonView.active).map((columns) => columns.Path)).to.include('/wait/http/7');

    expect(upstream.release('/hold/7')).to.equal(1);
    expect((await response).body).to.equal('released /hold/7?token=s3cr3t-token&item=7');
    const completed = await completedTask('/wait/http/7');
    expect(completed.task.openSpans).to.equal(null);
    expect(completed.task.statusCode).to.equal(200);
    expect(completed.json).not.to.include('open_spans');
    expect([...(await reader.getActiveTasks()).values()].map((active) => active.path)).not.to.include('/wait/http/7');
    expect((await readLikeWebTop(redisServer.port)).errors).to.deep.equal([]);
  });

  it('is shown by otel-top recent as what each request waits on, and in its --json', async () => {
    const response = request(app.port, '/wait/http/21');
    await activeTask('/wait/http/21');
    const table = await otelTop(['recent', '--mode', 'active', '--tracker-url', redisServer.url, '--columns', 'Path,Duration,Waiting on']);
    expect(table).to.match(/\/wait\/http\/21 +[\d.]+m?s +GET 127\.0\.0\.1 \/hold\/21 [\d.]+m?s/);
    const json = JSON.parse(await otelTop(['recent', '--mode', 'active', '--json', '--tracker-url', redisServer.url])) as {
      active: Array<{ path: string; open_spans?: Array<{ kind: string; attributes: Record<string, string> }> }>;
    };
    const wire = json.active.find((task) => task.path === '/wait/http/21');
    expect(wire?.open_spans?.map((open) => open.kind)).to.deep.equal(['INTERNAL', 'CLIENT']);
    expect(wire?.open_spans?.[1].attributes['url.path']).to.equal('/hold/21');
    upstream.release('/hold/21');
    await response;
  });

  it('is written again when what it waits on changes: the call that ended is gone, the next one is there', async () => {
    const response = request(app.port, '/wait/two-calls/5');
    const first = await activeTask('/wait/two-calls/5');
    expect(last(first).attributes?.['url.path']).to.equal('/hold/5-first');
    expect(upstream.release('/hold/5-first')).to.equal(1);
    const second = await waitFor(
      async () => {
        const task = await activeTask('/wait/two-calls/5');
        return last(task).attributes?.['url.path'] === '/hold/5-second' && task;
      },
      { message: 'the active task written again, waiting on the second call' },
    );
    expect(outline(second)).to.deep.equal([
      ['INTERNAL', 'request handler'],
      ['CLIENT', 'GET'],
    ]);
    expect(last(second).spanId).not.to.equal(last(first).spanId);
    expectChain(second);
    upstream.release('/hold/5-second');
    expect((await response).body).to.equal('released /hold/5-first, released /hold/5-second');
    expect((await completedTask('/wait/two-calls/5')).task.openSpans).to.equal(null);
  });

  it('shows a fetch call (undici) with its query redacted', async () => {
    const response = request(app.port, '/wait/fetch/8');
    const task = await activeTask('/wait/fetch/8');
    expect(task.taskName).to.equal('GET /wait/fetch/:item');
    expect(outline(task)).to.deep.equal([
      ['INTERNAL', 'request handler'],
      ['CLIENT', 'GET'],
    ]);
    expectChain(task);
    expect(last(task).attributes).to.deep.equal({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'url.path': '/hold/8',
      'url.query': `api_key=${REDACTED}&item=8`,
    });
    expect(await activeJson('/wait/fetch/8')).not.to.include('s3cr3t');
    upstream.release('/hold/8');
    expect((await response).status).to.equal(200);
    expect((await completedTask('/wait/fetch/8')).task.openSpans).to.equal(null);
  });

  it('shows a blocking ioredis command against a real redis-server, its literals masked', async () => {
    const response = request(app.port, '/wait/redis/alice');
    const task = await activeTask('/wait/redis/alice');
    expect(task.taskName).to.equal('GET /wait/redis/:cart');
    expect(outline(task)).to.deep.equal([
      ['INTERNAL', 'request handler'],
      ['CLIENT', 'blpop'],
    ]);
    expectChain(task);
    expect(last(task).attributes).to.deep.equal({
      'db.system.name': 'redis',
      'db.operation.name': 'blpop',
      'db.query.text': 'blpop cart-events:alice ?',
      'server.address': '127.0.0.1',
    });
    await redis.lpush('cart-events:alice', 'added');
    expect(JSON.parse((await response).body)).to.deep.equal({ event: 'added' });
    expect((await completedTask('/wait/redis/alice')).task.openSpans).to.equal(null);
  });

  it('lists nested spans outermost first: an internal span with the client call inside it', async () => {
    const response = request(app.port, '/wait/nested/3');
    const task = await activeTask('/wait/nested/3');
    expect(outline(task)).to.deep.equal([
      ['INTERNAL', 'request handler'],
      ['INTERNAL', 'reserve stock'],
      ['CLIENT', 'GET'],
    ]);
    expectChain(task);
    expect(last(task).attributes).to.include({ 'url.path': '/hold/3' });
    upstream.release('/hold/3');
    expect((await response).status).to.equal(200);
  });

  it('never shows one request the spans of another, nor a call left running by a request that ended', async () => {
    // This request answers at once and leaves its call to the upstream open.
    expect((await request(app.port, '/leave-behind/9')).body).to.equal('left behind');
    await waitFor(() => upstream.arrived.some((url) => url.startsWith('/hold/9')), { message: 'the call left behind to arrive' });
    const leftBehind = await completedTask('/leave-behind/9');
    expect(leftBehind.task.openSpans).to.equal(null);

    const responses: Array<Promise<Response>> = [
      request(app.port, '/wait/http/10'),
      request(app.port, '/wait/http/11'),
      request(app.port, '/wait/redis/bob'),
    ];
    const [ten, eleven, bob] = await Promise.all(['/wait/http/10', '/wait/http/11', '/wait/redis/bob'].map(activeTask));
    for (const [task, path] of [
      [ten, '/hold/10'],
      [eleven, '/hold/11'],
    ] as const) {
      expect(outline(task)).to.deep.equal([
        ['INTERNAL', 'request handler'],
        ['CLIENT', 'GET'],
      ]);
      expect(last(task).attributes?.['url.path']).to.equal(path);
      expectChain(task);
    }
    expect(outline(bob)).to.deep.equal([
      ['INTERNAL', 'request handler'],
      ['CLIENT', 'blpop'],
    ]);
    const ids = [ten, eleven, bob].flatMap((task) => (task.openSpans ?? []).map((span) => span.spanId));
    expect(new Set(ids).size).to.equal(6);

    upstream.release('/hold/1');
    await redis.lpush('cart-events:bob', 'removed');
    expect((await Promise.all(responses)).map((response) => response.status)).to.deep.equal([200, 200, 200]);
    // The call left behind ends now, long after its request: nothing in the app minds.
    expect(upstream.release('/hold/9')).to.equal(1);
    await waitFor(async () => (await reader.getActiveTasks()).size === 0, { message: 'no request active' });
  });
});
