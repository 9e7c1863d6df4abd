import { expect } from 'chai';
import { Redis } from 'ioredis';
import { HTTPTask } from '@otel-top/model';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { OtlpCollector } from './otlp-collector';
import { RegisteredApp } from './registered-app';

const LOOPBACK = ['127.0.0.1', '::ffff:127.0.0.1'];

async function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  return { status: response.status, body: await response.text() };
}

async function completedTask(reader: RedisTaskReader, path: string): Promise<HTTPTask> {
  return waitFor(async () => (await reader.getCompletedTasks()).find((task) => task.path === path), {
    message: `completed task for ${path}`,
  });
}

describe('@otel-top/register: an app without OTel code becomes tracked', function () {
  let redisServer: RedisTestServer;
  let redis: Redis;
  let reader: RedisTaskReader;
  let env: Record<string, string>;

  before(async () => {
    redisServer = await RedisTestServer.start();
    redis = new Redis(redisServer.url);
    reader = new RedisTaskReader({ url: redisServer.url });
  });

  beforeEach(async () => {
    await redis.flushall();
    env = { TOP_TRACKER_URL: redisServer.url };
  });

  afterEach(() => RegisteredApp.killAll());

  after(async () => {
    await reader.close();
    redis.disconnect();
    await redisServer.stop();
  });

  for (const { flag, fixture } of [
    { flag: '--require', fixture: 'plain-app.cjs' },
    { flag: '--import', fixture: 'plain-app.mjs' },
  ] as const) {
    describe(`node ${flag} @otel-top/register ${fixture}`, () => {
      it('tracks requests while they run and after, with every viewer column filled', async () => {
        const app = await RegisteredApp.start({ fixture, flag, env });
        const slow = get(app.port, '/slow/1?page=2&token=s3cr3t', {
          'user-agent': 'register-test',
          'x-forwarded-for': '203.0.113.9, 10.0.0.1',
          'cf-ipcountry': 'FI',
        });
        const active = await waitFor(async () => [...(await reader.getActiveTasks()).values()][0], { message: 'an active task' });
        expect(active).to.include({ method: 'GET', path: '/slow/1', processId: app.pid, endedAt: null, statusCode: null });
        expect(active.params).to.deep.equal({ page: '2', token: '[REDACTED]' });
        expect(active.getUserAgent()).to.equal('register-test');
        expect(active.getOriginalIp()).to.equal('203.0.113.9');
        expect(active.getIpCountry()).to.equal('FI');
        expect(LOOPBACK).to.include(active.clientIpAddress);

        await get(app.port, '/release');
        const { body } = await slow;
        const done = await completedTask(reader, '/slow/1');
        expect(done).to.include({ statusCode: 200, statusMessage: '200 OK', recordedSuccessfully: true });
        expect(done.getContentLength()).to.equal(Buffer.byteLength(body));
        expect(done.getDuration()).to.be.at.least(0);
        expect((await reader.getActiveTasks()).size).to.equal(0);

        expect(await app.kill('SIGTERM')).to.deep.equal({ code: null, signal: 'SIGTERM' });
        expect(app.stdout).to.deep.equal([JSON.stringify({ port: app.port })]);
        expect(app.stderr).to.equal('');
      });

      it('keeps the exit code of an app that ends by itself, and flushes before it goes', async () => {
        const app = await RegisteredApp.start({ fixture, flag, env });
        expect((await get(app.port, '/close?code=3')).body).to.equal('closing');
        const exit = await app.exited;
        expect(exit).to.deep.equal({ code: 3, signal: null });
        const task = await completedTask(reader, '/close');
        expect(task.statusCode).to.equal(200);
        expect(app.stderr).to.equal('');
      });
    });
  }

  it('on SIGTERM, ends in-flight requests in the tracking table and dies of the signal as before', async () => {
    const app = await RegisteredApp.start({ fixture: 'plain-app.cjs', flag: '--require', env });
    const abandoned = get(app.port, '/slow/at-shutdown').catch((error: Error) => error);
    await waitFor(async () => (await reader.getActiveTasks()).size === 1, { message: 'the request active' });
    expect(await app.kill('SIGTERM')).to.deep.equal({ code: null, signal: 'SIGTERM' });
    expect(await abandoned).to.be.instanceOf(Error);
    expect((await reader.getActiveTasks()).size).to.equal(0);
    const [task] = await reader.getCompletedTasks();
    expect(task).to.include({ path: '/slow/at-shutdown', recordedSuccessfully: false });
  });

  it('leaves SIGTERM to an app that handles it: its own output and exit code', async () => {
    const app = await RegisteredApp.start({ fixture: 'plain-app.cjs', flag: '--require', env: { ...env, APP_SIGTERM_EXIT_CODE: '7' } });
    await get(app.port, '/hello');
    expect(await app.kill('SIGTERM')).to.deep.equal({ code: 7, signal: null });
    expect(app.stdout).to.deep.equal([JSON.stringify({ port: app.port }), 'app: SIGTERM']);
    expect(app.stderr).to.equal('');
  });

  it('dies of SIGINT as before', async () => {
    const app = await RegisteredApp.start({ fixture: 'plain-app.cjs', flag: '--require', env });
    await get(app.port, '/hello');
    expect(await app.kill('SIGINT')).to.deep.equal({ code: null, signal: 'SIGINT' });
    expect(await completedTask(reader, '/hello')).to.include({ statusCode: 200 });
  });

  for (const { how, variables } of [
    { how: 'OTEL_TRACES_EXPORTER=otlp', variables: { OTEL_TRACES_EXPORTER: 'otlp' } },
    { how: 'only an OTLP endpoint', variables: {} },
  ]) {
    it(`keeps exporting traces over OTLP when the OTEL_* variables say so (${how})`, async () => {
      const collector = await OtlpCollector.start();
      try {
        const app = await RegisteredApp.start({
          fixture: 'plain-app.cjs',
          flag: '--require',
          env: {
            ...env,
            ...variables,
            OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
            OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl,
            OTEL_BSP_SCHEDULE_DELAY: '50',
          },
        });
        await get(app.port, '/exported');
        await completedTask(reader, '/exported');
        const span = await waitFor(() => collector.spans.find((s) => s.attributes['url.path'] === '/exported'), {
          message: 'the span at the collector',
        });
        expect(span.attributes['http.response.status_code']).to.equal(200);
        expect(await app.kill('SIGTERM')).to.deep.equal({ code: null, signal: 'SIGTERM' });
        expect(app.stderr).to.equal('');
      } finally {
        await collector.stop();
      }
    });
  }

  it('tracks every request behind a sampler that exports none of them', async () => {
    const collector = await OtlpCollector.start();
    try {
      const app = await RegisteredApp.start({
        fixture: 'plain-app.cjs',
        flag: '--require',
        env: {
          ...env,
          OTEL_TRACES_SAMPLER: 'traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '0',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl,
        },
      });
      for (const path of ['/a', '/b', '/c']) await get(app.port, path);
      for (const path of ['/a', '/b', '/c']) await completedTask(reader, path);
      // Shutdown flushes the OTLP batch processor too, so after the exit nothing more can arrive.
      expect(await app.kill('SIGTERM')).to.deep.equal({ code: null, signal: 'SIGTERM' });
      expect(collector.spans).to.deep.equal([]);
    } finally {
      await collector.stop();
    }
  });

  it("uses the app's own auto-instrumentations-node when it has it, so routes are known", async () => {
    const app = await RegisteredApp.start({ fixture: 'express-app.cjs', flag: '--require', env, withDependencies: true });
    expect((await get(app.port, '/users/42')).body).to.equal('{"id":"42"}');
    const task = await completedTask(reader, '/users/42');
    expect(task).to.include({ taskName: 'GET /users/:id', statusCode: 200 });
    expect(task.getContentLength()).to.equal(11);
    expect(await app.kill('SIGTERM')).to.deep.equal({ code: null, signal: 'SIGTERM' });
    expect(app.stderr).to.equal('');
  });

  it('runs the app untracked, saying why once, when the tracker URL is wrong', async () => {
    const app = await RegisteredApp.start({ fixture: 'plain-app.cjs', flag: '--require', env: { TOP_TRACKER_URL: 'http//nowhere' } });
    expect((await get(app.port, '/hello')).status).to.equal(200);
    expect(await app.kill('SIGTERM')).to.deep.equal({ code: null, signal: 'SIGTERM' });
    expect(app.stderr).to.match(/^otel-top: request tracking is off: .*TOP_TRACKER_URL.*\n$/);
  });

  it('lets an app end promptly with its exit code while Redis is unreachable', async () => {
    const unreachable = await RedisTestServer.start();
    await unreachable.stop();
    const app = await RegisteredApp.start({ fixture: 'plain-app.cjs', flag: '--require', env: { TOP_TRACKER_URL: unreachable.url } });
    await get(app.port, '/close?code=4');
    expect(await app.exited).to.deep.equal({ code: 4, signal: null });
    expect(app.stderr).to.equal('');
  });

  it('does nothing when OTEL_SDK_DISABLED=true', async () => {
    const app = await RegisteredApp.start({ fixture: 'plain-app.cjs', flag: '--require', env: { ...env, OTEL_SDK_DISABLED: 'true' } });
    await get(app.port, '/untracked');
    await get(app.port, '/close');
    expect(await app.exited).to.deep.equal({ code: 0, signal: null });
    expect(await reader.getCompletedTasks()).to.deep.equal([]);
  });
});
