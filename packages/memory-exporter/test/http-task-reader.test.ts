import { execFile } from 'node:child_process';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { HTTPTask } from '@otel-top/model';
import { TestCertificates, waitFor } from '@otel-top/redis-test-server';
import { HttpTaskReader } from '../src';
import { AppProcess } from './fixtures/app-process';

const KEY = '0123456789abcdef0123456789abcdef-test';
const LOOPBACK = ['127.0.0.1', '::ffff:127.0.0.1'];
const PYTHON_READER = join(__dirname, '../../test/python/rest_tracker_reader.py');

async function send(url: string, init: RequestInit = {}): Promise<string> {
  return (await fetch(url, init)).text();
}

describe('One process, no Redis: MemoryTaskExporter served at /tracker, read by HttpTaskReader', function () {
  describe('over http', () => {
    let app: AppProcess;
    let reader: HttpTaskReader;
    let base: string;

    before(async () => {
      app = await AppProcess.start({ TOP_WEB_API_KEY: KEY });
      base = `http://127.0.0.1:${app.port}`;
      reader = new HttpTaskReader({ url: `${base}/tracker`, apiKey: KEY, pollIntervalMillis: 20 });
    });

    after(async () => {
      await reader.close();
      expect(await app.stop()).to.equal(0);
      expect(app.stderr).to.equal('');
    });

    it('shows requests as active while they run and as completed after, with their fields', async () => {
      const slow = send(`${base}/slow/1?q=shoes`, { headers: { 'user-agent': 'reader-test', 'x-forwarded-for': '198.51.100.7' } });
      const [[id, active]] = await waitFor(async () => {
        const tasks = await reader.getActiveTasks();
        return tasks.size === 1 && [...tasks];
      });
      expect(id).to.equal(active.getProcessorTrackingId());
      expect(active).to.include({ method: 'GET', path: '/slow/1', processId: app.pid, statusCode: null, endedAt: null });
      expect(active.params).to.deep.equal({ q: 'shoes' });
      expect(active.getUserAgent()).to.equal('reader-test');
      expect(active.getOriginalIp()).to.equal('198.51.100.7');
      expect(LOOPBACK).to.include(active.clientIpAddress);

      await send(`${base}/release`);
      await slow;
      const completed = await waitFor(async () => (await reader.getCompletedTasks()).find((task) => task.path === '/slow/1'));
      expect(completed).to.include({ statusCode: 200, statusMessage: '200 OK', recordedSuccessfully: true });
      expect(completed.getDuration()).to.be.at.least(0);
      // The tracker endpoint's own polls are not tracked.
      expect((await reader.getCompletedTasks()).map((task) => task.path)).to.deep.equal(['/release', '/slow/1']);
    });

    it('lists completed tasks newest first and honours a limit', async () => {
      for (const path of ['/a', '/b', '/c']) await send(`${base}${path}`);
      const paths = (await reader.getCompletedTasks()).map((task) => task.path);
      expect(paths.slice(0, 3)).to.deep.equal(['/c', '/b', '/a']);
      expect((await reader.getCompletedTasks(2)).map((task) => task.path)).to.deep.equal(['/c', '/b']);
      expect(reader.skipped).to.deep.equal({ active: 0, completed: 0, failedPolls: 0 });
    });

    it('reports starts and ends to subscribers by polling', async () => {
      const updates: HTTPTask[] = [];
      const unsubscribe = await reader.subscribe((update) => updates.push(...update.active, ...update.completed));
      const slow = send(`${base}/slow/sub`);
      await waitFor(() => updates.some((task) => task.path === '/slow/sub' && task.endedAt === null), { message: 'the start' });
      await send(`${base}/release`);
      await slow;
      const ended = await waitFor(() => updates.find((task) => task.path === '/slow/sub' && task.endedAt !== null), {
        message: 'the end',
      });
      expect(ended.statusCode).to.equal(200);
      await unsubscribe();
      const seen = updates.length;
      await send(`${base}/after-unsubscribe`);
      await waitFor(async () => (await reader.getCompletedTasks())[0].path === '/after-unsubscribe');
      expect(updates.length).to.equal(seen);
    });

    it('counts every request by name in the traffic report, errors and latencies too', async () => {
      const before = await reader.getTraffic('5m');
      const countOf = (name: string, report = before): number => report.routes.find((route) => route.name === name)?.count ?? 0;
      for (let i = 0; i < 6; i++) await send(`${base}/counted`);
      for (let i = 0; i < 2; i++) await send(`${base}/also-counted?i=${i}`);
      // Seconds are reported once they are over.
      const report = await waitFor(
        async () => {
          const now = await reader.getTraffic('5m');
          return countOf('GET /counted', now) - countOf('GET /counted') === 6 ? now : undefined;
        },
        { timeoutMillis: 5_000, intervalMillis: 100, message: 'the six requests counted' },
      );
      expect(countOf('GET /also-counted', report) - countOf('GET /also-counted')).to.equal(2);
      const counted = report.routes.find((route) => route.name === 'GET /counted');
      expect(counted?.errors).to.equal(0);
      expect(counted?.statusClasses[2]).to.be.at.least(6);
      expect(counted?.p50Millis).to.be.above(0);
      expect(report.total.count).to.equal(report.routes.reduce((sum, route) => sum + route.count, 0));
      const error = await reader.getTraffic('2h' as '5m').then(
        () => undefined,
        (failure: Error) => failure,
      );
      expect(error?.message).to.match(/answered traffic with 400: window must be one of 10s, 1m, 5m/);
    });

    it('says a wrong key was refused, without showing the key', async () => {
      const wrong = new HttpTaskReader({ url: `${base}/tracker`, apiKey: `${KEY}-wrong` });
      try {
        const error = await wrong.getActiveTasks().then(
          () => undefined,
          (failure: Error) => failure,
        );
        expect(error?.message).to.equal(`otel-top: ${base}/tracker refused the API key (403); check TOP_WEB_API_KEY`);
      } finally {
        await wrong.close();
      }
    });

    it('is readable the way the Python RESTAPITracker reads it', async () => {
      const slow = send(`${base}/slow/py`);
      await waitFor(async () => (await reader.getActiveTasks()).size === 1);
      const { stdout } = await promisify(execFile)('python3', [PYTHON_READER, `${base}/tracker`, KEY]);
      const view = JSON.parse(stdout) as {
        active: Record<string, { path: string }>;
        completed: Array<{ path: string; status_code: number }>;
        errors: string[];
        wrong_key_status: number;
      };
      expect(view.errors).to.deep.equal([]);
      expect(view.wrong_key_status).to.equal(403);
      expect(Object.values(view.active).map((task) => task.path)).to.deep.equal(['/slow/py']);
      expect(view.completed[0]).to.include({ status_code: 200 });
      await send(`${base}/release`);
      await slow;
    });
  });

  describe('over https with a certificate of a private CA', () => {
    it('reads the tracker when given the certificate to trust', async () => {
      const certificates = TestCertificates.create();
      const { ca } = certificates;
      const app = await AppProcess.start({
        TOP_WEB_API_KEY: KEY,
        TLS_KEY: certificates.serverKey,
        TLS_CERT: certificates.serverCert,
      });
      certificates.remove();
      const url = `https://127.0.0.1:${app.port}/tracker`;
      const reader = new HttpTaskReader({ url, apiKey: KEY, ca });
      const untrusting = new HttpTaskReader({ url, apiKey: KEY });
      try {
        const error = await untrusting.getActiveTasks().then(
          () => undefined,
          (failure: Error) => failure,
        );
        expect(error?.message).to.match(/certificate/); // not trusted without the private CA
        await new Promise<void>((resolve, reject) => {
          httpsGet(`https://127.0.0.1:${app.port}/secure`, { ca }, (res) => res.resume().on('end', resolve)).on('error', reject);
        });
        const completed = await waitFor(async () => (await reader.getCompletedTasks()).find((task) => task.path === '/secure'));
        expect(completed).to.include({ protocol: 'https', statusCode: 200 });
      } finally {
        await reader.close();
        await untrusting.close();
        expect(await app.stop()).to.equal(0);
      }
    });
  });

  it('refuses URLs it cannot read, and a missing key, clearly', () => {
    expect(() => new HttpTaskReader({ url: 'redis://127.0.0.1:6379/0', apiKey: KEY })).to.throw(TypeError, /expected an http:\/\/ or https:\/\//);
    const saved = process.env.TOP_WEB_API_KEY;
    try {
      delete process.env.TOP_WEB_API_KEY;
      expect(() => new HttpTaskReader({ url: 'http://127.0.0.1:1/tracker' })).to.throw(TypeError, /needs its API key: set TOP_WEB_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.TOP_WEB_API_KEY = saved;
    }
  });
});
