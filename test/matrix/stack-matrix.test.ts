import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer, TestCertificates, waitFor } from '@otel-top/redis-test-server';
import { send } from './matrix-client';
import { STACK_CASES } from './stack-cases';
import { nodeBinary, StackProcess } from './stack-process';

const LOOPBACK = ['127.0.0.1', '::ffff:127.0.0.1'];
// Span times come from a clock anchored per trace, Date.now() from the wall clock: allow them to disagree a little.
const CLOCK_SLACK_MILLIS = 5;

describe('Stack matrix: real servers under real instrumentation, tracked end to end', function () {
  let redisServer: RedisTestServer;
  let redis: Redis;
  let reader: RedisTaskReader;
  let certificates: TestCertificates;

  before(async () => {
    redisServer = await RedisTestServer.start();
    redis = new Redis(redisServer.url);
    reader = new RedisTaskReader({ url: redisServer.url });
    certificates = TestCertificates.create();
  });

  after(async () => {
    certificates.remove();
    await reader.close();
    redis.disconnect();
    await redisServer.stop();
  });

  for (const stackCase of STACK_CASES) {
    it(`${stackCase.name} (Node ${stackCase.node})`, async () => {
      await redis.flushall();
      const app = await StackProcess.start(nodeBinary(stackCase.node), {
        ...stackCase.env,
        ...(stackCase.protocol === 'https' ? { TLS_KEY: certificates.serverKey, TLS_CERT: certificates.serverCert } : {}),
        TOP_TRACKER_URL: redisServer.url,
      }, stackCase.zeroCode);
      const target = { port: app.port, protocol: stackCase.protocol, ca: certificates.ca };
      try {
        // A request held open: active while it runs.
        const slow = send(target, '/slow/7', { headers: { 'user-agent': 'matrix-slow' } });
        const active = await waitFor(async () => [...(await reader.getActiveTasks()).values()][0], { message: 'an active task' });
        expect(active).to.include({ method: 'GET', path: '/slow/7', protocol: stackCase.protocol, endedAt: null, statusCode: null });
        // Named by its route as soon as the framework matched it, not only at its end.
        expect(active.taskName).to.equal(`GET ${stackCase.route?.replace('/items/', '/slow/') ?? '/slow/7'}`);
        expect(active.openSpans).to.be.an('array');
        if (stackCase.route !== undefined) {
          // The framework's handler spans are open while it holds the request, the outermost inside the request's span.
          expect(active.openSpans).to.have.length.greaterThan(0);
          expect(active.openSpans?.[0].parentSpanId).to.equal(active.tags?.span_id);
        }
        expect(active.getUserAgent()).to.equal('matrix-slow');
        if (stackCase.peerWhileActive) expect(LOOPBACK).to.include(active.clientIpAddress);
        await send(target, '/release', { method: 'POST' });
        expect((await slow).status).to.equal(200);

        const response = await send(target, '/items/42?color=red', {
          headers: { 'user-agent': 'matrix-client', 'x-forwarded-for': '203.0.113.5, 10.0.0.2', 'cf-ipcountry': 'NL' },
        });
        expect(response.status).to.equal(200);
        const missing = await send(target, '/missing');
        expect(missing.status).to.equal(404);

        const byPath = await waitFor(
          async () => {
            const tasks = new Map((await reader.getCompletedTasks()).map((task) => [task.path, task]));
            return tasks.has('/items/42') && tasks.has('/missing') && tasks.has('/slow/7') && tasks;
          },
          { message: 'the completed tasks' },
        );
        const task = byPath.get('/items/42')!;
        expect(task).to.include({ method: 'GET', protocol: stackCase.protocol, statusCode: 200, statusMessage: '200 OK' });
        expect(task.taskName).to.equal(`GET ${stackCase.route ?? '/items/42'}`);
        expect(task.params).to.deep.equal({ color: 'red' });
        expect(task.getHost()).to.equal(`127.0.0.1:${app.port}`);
        expect(task.getUserAgent()).to.equal('matrix-client');
        expect(task.getOriginalIp()).to.equal('203.0.113.5');
        expect(task.getIpCountry()).to.equal('NL');
        expect(LOOPBACK).to.include(task.clientIpAddress);
        expect(task.getContentLength()).to.equal(Buffer.byteLength(response.body));
        expect(Number(response.headers['content-length'])).to.equal(Buffer.byteLength(response.body));
        expect(task.recordedSuccessfully).to.equal(true);
        expect(task.startedAt!.getTime()).to.be.within(response.sentAt - CLOCK_SLACK_MILLIS, response.endedAt + CLOCK_SLACK_MILLIS);
        expect(task.getDuration()).to.be.within(0, response.endedAt - response.sentAt + CLOCK_SLACK_MILLIS);
        expect(byPath.get('/missing')).to.include({ statusCode: 404, statusMessage: '404 Not Found' });
        expect(byPath.get('/slow/7')).to.include({ statusCode: 200 });
        expect((await reader.getActiveTasks()).size).to.equal(0);
      } finally {
        // An app of its own ends with 0 on SIGTERM; a zero-code app without a handler dies of the signal, as it would untracked.
        expect(await app.stop()).to.equal(stackCase.zeroCode === undefined ? 0 : 'SIGTERM');
      }
      expect(app.stderr).to.equal('');
    });
  }
});
