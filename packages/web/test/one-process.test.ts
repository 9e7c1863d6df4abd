/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { expect } from 'chai';
import { ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { HeadlessChromium } from './headless-chromium.js';

const APP = fileURLToPath(new URL('./fixtures/one-process-app.js', import.meta.url));

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('One process, no Redis: a MemoryTaskExporter serves the same page for its own requests', function () {
  this.timeout(60_000);
  let app: ChildProcess;
  let port: number;
  let chromium: HeadlessChromium;

  before(async () => {
    chromium = await HeadlessChromium.launch();
    app = spawn(process.execPath, [APP], { stdio: ['ignore', 'pipe', 'inherit'] });
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the app did not start within 15 s')), 15_000);
      app.once('exit', (code) => reject(new Error(`the app exited with ${code}`)));
      createInterface({ input: app.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      });
    });
    app.removeAllListeners('exit');
  });

  after(async () => {
    await chromium?.close();
    if (app !== undefined && app.exitCode === null) {
      const exited = new Promise((resolve) => app.once('exit', resolve));
      app.kill('SIGTERM');
      await exited;
    }
  });

  it('shows its completed and running requests, its routes and itself, at the path it is mounted on', async () => {
    expect(await get(port, '/hello/one')).to.equal(200);
    expect(await get(port, '/hello/two')).to.equal(200);
    const slow = get(port, '/slow/held');
    const page = await chromium.newPage();
    // Without the slash, to the page's own address (its files are relative to it).
    const response = await page.goto(`http://127.0.0.1:${port}/top`);
    expect(page.url()).to.equal(`http://127.0.0.1:${port}/top/`);
    expect(response?.headers()['content-security-policy']).to.include("default-src 'none'");
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('#view td')].map((cell) => cell.textContent);
      return cells.includes('/hello/one') && cells.includes('/hello/two') && cells.includes('/slow/held');
    });
    expect(await page.locator('#status .tracker').innerText()).to.equal('tracker (this process)');
    // The page's own requests are not tracked: only the app's are.
    expect(await page.evaluate(() => [...document.querySelectorAll('#view td')].some((cell) => (cell.textContent ?? '').startsWith('/top')))).to.equal(false);

    await page.keyboard.press('3');
    await page.waitForFunction(() => /alive/.test(document.querySelector('#view tbody')?.textContent ?? ''));
    const pid = await page.locator('#view tbody tr td').nth(1).innerText();
    expect(Number(pid)).to.equal(app.pid);
    await get(port, '/release');
    expect(await slow).to.equal(200);
    await page.close();
  });
});
