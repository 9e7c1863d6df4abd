import { expect } from 'chai';
import { Redis } from 'ioredis';
import { HTTPTask } from '@otel-top/model';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { AppProcess } from './fixtures/app-process';
import { abandonedRequest, request } from './fixtures/http-client';
import { readLikeWebTop } from './fixtures/web-top-reader';

const generations: Array<{ name: string; env: Record<string, string>; peerKnownAtStart: boolean }> = [
  { name: 'stable conventions (instrumentation-http 0.2xx)', env: { HTTP_GENERATION: 'stable' }, peerKnownAtStart: true },
  // The old conventions set the peer address (net.peer.ip) only when the response ends.
  { name: 'old conventions (instrumentation-http 0.57)', env: { HTTP_GENERATION: 'old' }, peerKnownAtStart: false },
  {
    name: 'both conventions (instrumentation-http 0.57, http/dup)',
    env: { HTTP_GENERATION: 'old', OTEL_SEMCONV_STABILITY_OPT_IN: 'http/dup' },
    peerKnownAtStart: true,
  },
];

const LOOPBACK = ['127.0.0.1', '::ffff:127.0.0.1'];

describe('An instrumented Express app, end to end through Redis', function () {
  let redisServer: RedisTestServer;
  let redis: Redis;

  before(async () => {
    redisServer = await RedisTestServer.start();
    redis = new Redis(redisServer.url);
  });

  after(async () => {
    redis.disconnect();
    await redisServer.stop();
  });

  for (const generation of generations) {
    describe(generation.name, () => {
      let app: AppProcess;
      let reader: RedisTaskReader;

      before(async () => {
        await redis.flushall();
        app = await AppProcess.start({ ...generation.env, TOP_TRACKER_URL: redisServer.url, NODE_ENV: 'test' });
        reader = new RedisTaskReader({ url: redisServer.url });
      });

      after(async () => {
        await reader.close();
        expect(await app.stop()).to.equal(0);
        expect(app.stderr).not.to.include('otel-top');
      });

      it('shows concurrent slow requests as active, each under its own processor id, then as completed', async () => {
        const startedAfter = Date.now();
        const responses = [1, 2, 3, 4, 5].map((i) =>
          request(app.port, `/slow/${i}?page=${i}&token=s3cr3t-${i}`, {
            headers: { 'user-agent': `client-${i}`, 'x-forwarded-for': `203.0.113.${i}, 10.0.0.1`, 'cf-ipcountry': 'FI' },
          }),
        );
        const active = await waitFor(
          async () => {
            const tasks = await reader.getActiveTasks();
            return tasks.size === 5 && tasks;
          },
          { message: 'five active requests' },
        );
        const seenBefore = Date.now();
        for (const [processorId, task] of active) {
          const i = Number(task.path?.split('/').pop());
          expect(processorId).to.equal(task.getProcessorTrackingId());
          expect(processorId).to.equal(`${app.pid}-0-${task.processInternalId}`);
          expect(task.method).to.equal('GET');
          expect(task.path).to.equal(`/slow/${i}`);
          expect(task.params).to.deep.equal({ page: String(i), token: '[REDACTED]' });
          if (generation.peerKnownAtStart) expect(LOOPBACK).to.include(task.clientIpAddress);
          else expect(task.clientIpAddress).to.equal(null);
          expect(task.getUserAgent()).to.equal(`client-${i}`);
          expect(task.getOriginalIp()).to.equal(`203.0.113.${i}`);
          expect(task.getIpCountry()).to.equal('FI');
          expect(task.getHost()).to.equal(`127.0.0.1:${app.port}`);
          expect(task.startedAt?.getTime()).to.be.within(startedAfter - 5, seenBefore);
          expect(task.endedAt).to.equal(null);
          expect(task.statusCode).to.equal(null);
          expect(task.tags).to.include({ 'service.name': 'fixture-app' });
        }
        expect(JSON.stringify([...active.values()])).not.to.include('s3cr3t');

        await request(app.port, '/release', { method: 'POST' });
        const bodies = await Promise.all(responses);
        const completed = await waitFor(
          async () => {
            const tasks = (await reader.getCompletedTasks()).filter((task) => task.path?.startsWith('/slow/'));
            return tasks.length === 5 && tasks;
          },
          { message: 'five completed requests' },
        );
        for (const task of completed) {
          const i = Number(task.path?.split('/').pop());
          expect(task.statusCode).to.equal(200);
          expect(task.statusMessage).to.equal('200 OK');
          expect(LOOPBACK).to.include(task.clientIpAddress);
          expect(task.getContentLength()).to.equal(Buffer.byteLength(bodies[i - 1].body));
          expect(task.recordedSuccessfully).to.equal(true);
          expect(task.getDuration()).to.be.at.least(0);
          expect(task.taskName).to.match(/^GET \/slow\//);
        }
        // Newest first. Span end times come from per-trace anchored clocks, which may disagree by a millisecond.
        const endTimes = completed.map((task) => task.endedAt?.getTime() ?? 0);
        for (let k = 1; k < endTimes.length; k++) expect(endTimes[k - 1]).to.be.at.least(endTimes[k] - 2);
        const stillActive = [...(await reader.getActiveTasks()).values()].filter((task) => task.path?.startsWith('/slow/'));
        expect(stillActive).to.deep.equal([]);
      });

      it('records 404 and 500 responses with their status', async () => {
        expect((await request(app.port, '/missing')).status).to.equal(404);
        expect((await request(app.port, '/boom')).status).to.equal(500);
        const byPath = await waitFor(async () => {
          const tasks = new Map((await reader.getCompletedTasks()).map((task) => [task.path, task]));
          return tasks.has('/missing') && tasks.has('/boom') && tasks;
        });
        expect(byPath.get('/missing')?.statusMessage).to.equal('404 Not Found');
        expect(byPath.get('/boom')?.statusMessage).to.equal('500 Internal Server Error');
      });

      it('records the tracked headers and the ones asked for beyond them', async () => {
        await request(app.port, '/fast?extra=1', {
          headers: { 'x-request-id': 'req-7', 'x-forwarded-for': '198.51.100.9', 'cf-ipcountry': 'SE' },
        });
        const task = await waitFor(async () => (await reader.getCompletedTasks()).find((t: HTTPTask) => t.params?.extra === '1'));
        expect(task.getSingleRequestHeader('x-request-id')).to.equal('req-7');
        expect(task.getOriginalIp()).to.equal('198.51.100.9');
        expect(task.getIpCountry()).to.equal('SE');
        expect(task.responseHeaders).to.deep.include(['x-served-by', 'fixture']);
        expect(task.responseHeaders?.find(([name]) => name === 'content-type')?.[1]).to.match(/^application\/json/);
        expect(task.getContentLength()).to.equal(11);
      });

      it("keeps what it captures out of the app's traces, which carry only the headers asked for", async () => {
        await request(app.port, '/fast', { headers: { 'x-request-id': 'req-8', 'x-forwarded-for': '198.51.100.10', 'cf-ipcountry': 'NO' } });
        const task = await waitFor(async () => (await reader.getCompletedTasks()).find((t: HTTPTask) => t.getSingleRequestHeader('x-request-id') === 'req-8'));
        expect(task.getOriginalIp()).to.equal('198.51.100.10');
        const keys = (await request(app.port, '/span-attribute-keys?path=/fast')).body;
        // The old conventions spell names with underscores, and in dup mode both spellings are there.
        const captured = new Set((JSON.parse(keys) as string[]).filter((key) => /header|otel_top/.test(key)).map((key) => key.replaceAll('_', '-')));
        // The extra headers asked for are attributes; the four the columns need, and the incomplete mark, are not.
        expect([...captured]).to.have.members(['http.request.header.x-request-id', 'http.response.header.x-served-by']);
      });

      it('knows the length of a response whose headers went only to writeHead', async () => {
        expect((await request(app.port, '/write-head')).body).to.equal('hello');
        const task = await waitFor(async () => (await reader.getCompletedTasks()).find((t: HTTPTask) => t.path === '/write-head'));
        expect(task.getContentLength()).to.equal(5);
        expect(task.responseHeaders?.find(([name]) => name === 'content-type')?.[1]).to.equal('text/plain');
      });

      it('knows the length Node announced by itself, and that a HEAD or chunked response announced none or no body', async () => {
        await request(app.port, '/implicit-length');
        expect((await request(app.port, '/write-head', { method: 'HEAD' })).body).to.equal('');
        await request(app.port, '/chunked');
        const byKey = await waitFor(async () => {
          const tasks = new Map((await reader.getCompletedTasks()).map((task) => [`${task.method} ${task.path}`, task]));
          return tasks.has('GET /implicit-length') && tasks.has('HEAD /write-head') && tasks.has('GET /chunked') && tasks;
        });
        expect(byKey.get('GET /implicit-length')?.getContentLength()).to.equal(6);
        // A HEAD response carries the header, not the body: the length is the header's, found in the block Node sent.
        expect(byKey.get('HEAD /write-head')?.getContentLength()).to.equal(5);
        expect(byKey.get('GET /chunked')?.getContentLength()).to.equal(undefined);
      });

      it('ends a request whose client went away as completed, without a status code', async () => {
        const hanging = abandonedRequest(app.port, '/hang');
        await waitFor(async () => [...(await reader.getActiveTasks()).values()].some((task) => task.path === '/hang'));
        hanging.abort();
        const task = await waitFor(async () => (await reader.getCompletedTasks()).find((t: HTTPTask) => t.path === '/hang'));
        expect(task.statusCode).to.equal(null);
        expect(task.endedAt).to.be.instanceOf(Date);
        expect(await reader.getActiveTasks()).to.have.property('size', 0);
      });

      it('is readable by a Python reader that decodes like web-top', async () => {
        await request(app.port, '/fast', { headers: { 'user-agent': 'python-check', 'x-forwarded-for': '198.51.100.4' } });
        const slow = request(app.port, '/slow/9', { headers: { 'cf-ipcountry': 'US' } });
        await waitFor(async () => (await reader.getActiveTasks()).size === 1);
        const view = await readLikeWebTop(redisServer.port);
        expect(view.errors).to.deep.equal([]);
        const [active] = Object.values(view.active);
        expect(active).to.include({ Method: 'GET', Path: '/slow/9', Cty: 'US', Resp: null, Ago: null });
        expect(active.Duration).to.be.at.least(0);
        const fast = view.completed.find((columns) => columns.Path === '/fast');
        expect(fast).to.include({ IP: '198.51.100.4', Resp: 200, 'User agent': 'python-check', Length: 11 });
        await request(app.port, '/release', { method: 'POST' });
        await slow;
      });
    });
  }
});
