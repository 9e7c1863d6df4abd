/// <reference lib="dom" />
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { RedisTestServer } from '@otel-top/redis-test-server';
import { WebProcess } from './fixtures/web-process.js';
import { HeadlessChromium } from './headless-chromium.js';

const run = promisify(execFile);
const OTEL_TOP = fileURLToPath(new URL('../../../cli/build/src/bin.js', import.meta.url));
const TOKEN = 'b3f1c2d4e5f60718293a4b5c6d7e8f90';

describe('otel-top web, the command', function () {
  this.timeout(60_000);
  let redis: RedisTestServer;

  before(async () => {
    redis = await RedisTestServer.start();
  });

  after(async () => {
    await redis?.stop();
  });

  it('says its options and defaults in --help: loopback, port 7070, the token from --token or TOP_WEB_TOKEN', async () => {
    const { stdout } = await run(process.execPath, [OTEL_TOP, 'web', '--help']);
    // Commander wraps the help at 80 columns.
    const help = stdout.replace(/\s+/g, ' ');
    expect(help).to.match(/--host <address> .*?\(default: "127\.0\.0\.1"\)/).and.match(/--port <n> .*?\(default: 7070\)/);
    expect(help).to.include('TOP_WEB_TOKEN').and.include('--tracker-url').and.include('--key-prefix').and.include('--connect-timeout');
    expect((await run(process.execPath, [OTEL_TOP, '--help'])).stdout).to.match(/\bweb\b.*web page/);
  });

  it('refuses to listen beyond loopback without an access token, and says how to give one', async () => {
    for (const host of ['0.0.0.0', '::']) {
      const { code, stderr, stdout } = await WebProcess.run(['--tracker-url', redis.url, '--host', host, '--port', '0'], { TOP_WEB_TOKEN: undefined });
      expect(code, host).to.equal(2);
      expect(stderr, host).to.include(`listening on ${host}`).and.include('--token').and.include('TOP_WEB_TOKEN').and.include('openssl rand -hex 16');
      expect(stdout, host).to.equal('');
    }
    const short = await WebProcess.run(['--tracker-url', redis.url, '--host', '0.0.0.0', '--port', '0', '--token', 'short']);
    expect(short.code).to.equal(2);
    expect(short.stderr).to.include('at least 16 characters');
  });

  it('fails within seconds on an unreachable tracker, naming it without its password', async () => {
    const { code, stderr } = await WebProcess.run(['--tracker-url', 'redis://user:secret@127.0.0.1:1/0', '--connect-timeout', '500', '--port', '0']);
    expect(code).to.equal(1);
    expect(stderr).to.include('cannot reach the tracker at redis://user:***@127.0.0.1:1/0').and.not.include('secret');
  });

  it('listens on loopback by default, and stops on Ctrl-C', async () => {
    const web = await WebProcess.start(['--tracker-url', redis.url, '--port', '0']);
    expect(web.url.hostname).to.equal('127.0.0.1');
    expect((await fetch(web.url)).status).to.equal(200);
    expect(await web.stop()).to.equal(0);
  });

  it('on every address with a token (from the environment): 401 without it, then the token once and a cookie in the browser', async () => {
    // Bound to every address; the test connects to 127.0.0.1 only.
    const web = await WebProcess.start(['--tracker-url', redis.url, '--host', '0.0.0.0', '--port', '0'], { TOP_WEB_TOKEN: TOKEN });
    let chromium: HeadlessChromium | undefined;
    try {
      // Inside the try: a browser that cannot start must not leave the web process running.
      chromium = await HeadlessChromium.launch();
      const local = new URL(`http://127.0.0.1:${web.url.port}/`);
      for (const path of ['/', '/stream', '/assets/page.js']) expect((await fetch(new URL(path, local))).status, path).to.equal(401);
      const page = await chromium.newPage();
      const refused = await page.goto(local.href);
      expect(refused?.status()).to.equal(401);
      const signedIn = await page.goto(`${local.href}?view=processes&token=${TOKEN}`);
      expect(signedIn?.status()).to.equal(200);
      expect(page.url()).to.equal(`${local.href}?view=processes`);
      const cookies = await page.context().cookies(local.href);
      expect(cookies).to.have.length(1);
      expect(cookies[0]).to.include({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(cookies[0]?.value).not.to.include(TOKEN);
      await page.waitForFunction(() => /Processes, req\/s and errors/.test(document.querySelector('#view h2')?.textContent ?? ''));
      // The cookie stays: a reload without the token shows the page.
      expect((await page.reload())?.status()).to.equal(200);
    } finally {
      await chromium?.close();
      expect(await web.stop()).to.equal(0);
    }
  });
});
