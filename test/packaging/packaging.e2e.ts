/**
 * The published packages without the monorepo around them: packs every
 * publishable package with `npm pack`, installs the tarballs into a scratch
 * app in a temporary directory outside the workspace (the OpenTelemetry
 * dependencies come from the npm registry), and runs it end to end against a
 * throwaway redis-server. Slow (an npm install): run with `npm run test:packaging`.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
const SCRATCH_SOURCES = join(ROOT, 'test/packaging/scratch');
const PUBLISHED = ['model', 'span-processor', 'redis-exporter', 'memory-exporter', 'register', 'cli', 'web'];

interface Started {
  port: number;
  stop(): Promise<{ code: number | null; signal: string | null; stderr: string }>;
}

/** Starts a scratch app as its users would, and waits for its {"port": N} line. */
async function startApp(directory: string, args: string[], env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, args, { cwd: directory, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`app did not start: ${stderr}`)), 20_000);
    void exited.then(() => fail(new Error(`app exited: ${stderr}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      done((JSON.parse(line) as { port: number }).port);
    });
  });
  return {
    port,
    stop: async () => {
      child.kill('SIGTERM');
      return { ...(await exited), stderr };
    },
  };
}

describe('Published packages, installed from their tarballs into an app outside the workspace', function () {
  let scratch: string;
  let redisServer: RedisTestServer;

  before(async function () {
    this.timeout(300_000);
    scratch = mkdtempSync(join(tmpdir(), 'otel-top-packaging-'));
    const tarballs = join(scratch, 'tarballs');
    mkdirSync(tarballs);
    await run('npm', ['pack', '--silent', '--pack-destination', tarballs, ...PUBLISHED.flatMap((name) => ['-w', `packages/${name}`])], {
      cwd: ROOT,
    });
    const dependencies: Record<string, string> = { '@opentelemetry/api': '^1.9.0' };
    for (const file of readdirSync(tarballs)) {
      const name = file.replace(/^otel-top-/, '@otel-top/').replace(/-\d+\.\d+\.\d+\.tgz$/, '');
      dependencies[name] = `file:tarballs/${file}`;
    }
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, dependencies }, null, 2));
    for (const file of readdirSync(SCRATCH_SOURCES)) copyFileSync(join(SCRATCH_SOURCES, file), join(scratch, file));
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: scratch, maxBuffer: 16 * 1024 * 1024 });
    redisServer = await RedisTestServer.start();
  });

  after(async () => {
    await redisServer?.stop();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  it('packs only built JavaScript, types, README, LICENSE and package.json, the otel-top launcher and its bundle, and the built page', async () => {
    for (const file of readdirSync(join(scratch, 'tarballs'))) {
      const { stdout } = await run('tar', ['-tzf', join(scratch, 'tarballs', file)]);
      const entries = stdout.trim().split('\n');
      // The command bundled into one file at the build step, which the launcher runs: quicker to start.
      const launcher = file.startsWith('otel-top-cli-') ? ['package/bin/otel-top.js', 'package/build/bundle/otel-top.mjs'] : [];
      // The web page, bundled at the build step: served from the package, never from a CDN.
      const page = file.startsWith('otel-top-web-') ? ['package/build/page/index.html', 'package/build/page/page.js', 'package/build/page/page-style.css'] : [];
      const unexpected = entries.filter(
        (entry) =>
          !launcher.includes(entry) && !page.includes(entry) && !/^package\/(package\.json|README\.md|LICENSE|build\/src\/.+\.(js|mjs|d\.ts|d\.mts))$/.test(entry),
      );
      expect(unexpected, file).to.deep.equal([]);
      expect(entries, file).to.include.members(['package/package.json', 'package/README.md', 'package/LICENSE', ...launcher, ...page]);
      expect(entries.some((entry) => entry.includes('/test/')), file).to.equal(false);
    }
    expect(readdirSync(join(scratch, 'tarballs'))).to.have.length(PUBLISHED.length);
  });

  it('loads every entry point with require() and with import', async () => {
    for (const script of ['imports.cjs', 'imports.mjs']) {
      const { stdout } = await run(process.execPath, [script], { cwd: scratch });
      expect(JSON.parse(stdout), script).to.deep.equal({ missing: [] });
    }
  });

  for (const { flag, app } of [
    { flag: '--require', app: 'app.cjs' },
    { flag: '--import', app: 'app.mjs' },
  ]) {
    it(`tracks an app started with node ${flag} @otel-top/register, and otel-top reads it back`, async function () {
      this.timeout(60_000);
      const started = await startApp(scratch, [flag, '@otel-top/register', app], { TOP_TRACKER_URL: redisServer.url });
      try {
        const response = await fetch(`http://127.0.0.1:${started.port}/from-tarball?via=${flag}`, { headers: { 'user-agent': 'packaging' } });
        expect(await response.text()).to.equal(`packed /from-tarball?via=${flag}`);
        // The installed otel-top command, reading the table as a user would.
        const view = await waitFor(
          async () => {
            const { stdout } = await run(join(scratch, 'node_modules/.bin/otel-top'), ['recent', '--json', '--tracker-url', redisServer.url]);
            const parsed = JSON.parse(stdout) as { completed: Array<Record<string, unknown>> };
            return parsed.completed.find((task) => task.path === '/from-tarball' && (task.params as { via?: string }).via === flag);
          },
          { timeoutMillis: 15_000, intervalMillis: 200, message: 'the request in otel-top recent --json' },
        );
        expect(view).to.include({ method: 'GET', status_code: 200, status_message: '200 OK' });
        expect(view.request_headers).to.deep.include(['USER-AGENT', 'packaging']);
      } finally {
        const exit = await started.stop();
        expect(exit.signal).to.equal('SIGTERM');
        expect(exit.stderr).to.equal('');
      }
    });
  }

  it('serves the page with the installed otel-top web, from the package\'s own files', async function () {
    this.timeout(30_000);
    const child = spawn(join(scratch, 'node_modules/.bin/otel-top'), ['web', '--tracker-url', redisServer.url, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((done, fail) => {
        const timer = setTimeout(() => fail(new Error('otel-top web did not start')), 20_000);
        createInterface({ input: child.stdout }).on('line', (line) => {
          const found = /listening on (http:\/\/\S+)/.exec(line)?.[1];
          if (found === undefined) return;
          clearTimeout(timer);
          done(found);
        });
      });
      const page = await fetch(url);
      expect(page.status).to.equal(200);
      expect(await page.text()).to.include('assets/page.js');
      const script = await fetch(new URL('assets/page.js', url));
      expect(script.status).to.equal(200);
      expect((await script.text()).length).to.be.above(10_000);
    } finally {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGINT');
      await exited;
    }
  });
});
