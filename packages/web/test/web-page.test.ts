/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { expect } from 'chai';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { createRedisClient } from '@otel-top/redis-exporter';
import { RedisTestServer } from '@otel-top/redis-test-server';
import { ExampleShop, Warehouse } from './fixtures/example-shop.js';
import { WebProcess } from './fixtures/web-process.js';
import { HeadlessChromium } from './headless-chromium.js';

/** The README's picture of the page, taken here from the real pipeline. */
/** The README's screenshot, rewritten when UPDATE_SCREENSHOT=1; else taken into the build folder, so a test run leaves git clean. */
const SCREENSHOT = fileURLToPath(
  new URL(process.env.UPDATE_SCREENSHOT === '1' ? '../../../../docs/images/otel-top-web.png' : '../screenshots/otel-top-web.png', import.meta.url),
);

/** The texts of one column of the table under the heading that starts with `heading` (`Active`, `Completed`, `Routes`). */
function columnTexts(page: Page, heading: string, column: string): Promise<string[]> {
  return page.evaluate(
    ([title, name]) => {
      const block = [...document.querySelectorAll('#view .table-block')].find((candidate) => candidate.querySelector('h2')?.textContent?.startsWith(title));
      const table = block?.querySelector('table.rows');
      if (table === null || table === undefined) return [];
      const at = [...table.querySelectorAll('thead th')].map((head) => head.textContent).indexOf(name);
      if (at === -1) return [];
      return [...table.querySelectorAll('tbody tr')].map((row) => row.children[at]?.textContent ?? '');
    },
    [heading, column] as const,
  );
}

/** Waits until the texts of that column hold every one of `texts`. */
function waitForColumn(page: Page, heading: string, column: string, texts: readonly string[]): Promise<string[]> {
  return waitForColumnWhere(page, heading, column, (found) => texts.every((text) => found.includes(text)), JSON.stringify(texts));
}

/** Waits until the texts of that column pass `check` (`expected` says what it looks for), and returns them. */
async function waitForColumnWhere(
  page: Page,
  heading: string,
  column: string,
  check: (found: string[]) => boolean,
  expected: string,
): Promise<string[]> {
  for (let attempt = 0; ; attempt++) {
    const found = await columnTexts(page, heading, column);
    if (check(found)) return found;
    if (attempt >= 300) throw new Error(`the ${column} column of ${heading} never held ${expected}; it holds ${JSON.stringify(found)}`);
    await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(true), 100))));
  }
}

/** The row of that table whose column holds `text`. */
function rowWith(page: Page, heading: string, text: string): ReturnType<Page['locator']> {
  return page.locator('#view .table-block', { has: page.locator(`h2:text-matches("^${heading}")`) }).locator('tbody tr', { has: page.locator('td', { hasText: text }) }).first();
}

/** Waits until the chart's canvas holds pixels of the series' colour: the data drawn, not only the axes. */
async function waitForDrawn(page: Page, chart: string, colour: readonly [number, number, number]): Promise<void> {
  await page.waitForFunction(
    ([id, [red, green, blue]]) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`#${id} canvas`);
      const context = canvas?.getContext('2d');
      if (canvas === null || canvas === undefined || context === null || context === undefined || canvas.width === 0) return false;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let found = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs((data[i] ?? 0) - red) < 24 && Math.abs((data[i + 1] ?? 0) - green) < 24 && Math.abs((data[i + 2] ?? 0) - blue) < 24) found++;
      }
      return found > 50;
    },
    [chart, colour] as const,
    { polling: 200, timeout: 30_000 },
  );
}

describe('otel-top web in a real browser, on a real pipeline', function () {
  this.timeout(120_000);
  let redis: RedisTestServer;
  let warehouse: Warehouse;
  let shop: ExampleShop;
  let web: WebProcess;
  let chromium: HeadlessChromium;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    chromium = await HeadlessChromium.launch();
    redis = await RedisTestServer.start();
    warehouse = await Warehouse.start();
    shop = await ExampleShop.start(redis.url, 2, warehouse);
    web = await WebProcess.start(['--tracker-url', redis.url, '--port', '0']);
    page = await chromium.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  after(async () => {
    await chromium?.close();
    await web?.stop();
    await shop?.stop();
    await warehouse?.stop();
    await redis?.stop();
  });

  it('shows the requests as they come, without a reload, under a strict Content-Security-Policy', async () => {
    await shop.calls('/api/products', 3);
    const response = await page.goto(web.url.href);
    expect(response?.status()).to.equal(200);
    expect(response?.headers()['content-security-policy']).to.include("default-src 'none'").and.include("script-src 'self'");
    await waitForColumn(page, 'Completed', 'Path', ['/api/products']);
    expect(await page.title()).to.equal('otel-top · Requests');
    await page.evaluate(() => Object.assign(window, { sameDocument: 'yes' }));

    // A request made now shows up in the page as it is: no reload.
    await shop.call('/api/never-seen-before');
    await page.waitForFunction(() => [...document.querySelectorAll('#view tbody td')].some((cell) => cell.textContent === '/api/never-seen-before'));
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: string }).sameDocument)).to.equal('yes');
    const header = await page.locator('#figures').innerText();
    expect(header).to.match(/1\s+host/).and.match(/2\s+processes/);
  });

  it('shows what a hung request waits on, and its open spans as a tree in the detail', async () => {
    shop.hang();
    await page.goto(web.url.href);
    // The export waits on the warehouse's /export: its innermost open span, in the Waiting on column.
    await page.waitForFunction(() => {
      const table = document.querySelector('#view table.rows');
      const heads = [...(table?.querySelectorAll('thead th') ?? [])].map((head) => head.textContent);
      const at = heads.indexOf('Waiting on');
      return at !== -1 && [...(table?.querySelectorAll('tbody tr') ?? [])].some((row) => /\/export/.test(row.children[at]?.textContent ?? ''));
    });
    await rowWith(page, 'Active', '/api/export').dblclick();
    await page.waitForURL(/[?&]detail=/);
    await page.waitForSelector('#view .detail');
    const detail = await page.locator('#view .detail').innerText();
    expect(detail).to.include('Request detail').and.include('/api/export');
    // The tree: the warehouse call indented inside the request, with its attributes.
    const spans = await page.locator('#view li.span').evaluateAll((items) =>
      items.map((item) => ({ depth: Number((item as HTMLElement).dataset.depth), text: item.textContent ?? '' })),
    );
    expect(spans.some((span) => /\/export/.test(span.text) && /client span/.test(span.text) && /url\.path/.test(span.text))).to.equal(true, JSON.stringify(spans));
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => !url.searchParams.has('detail'));
    await page.waitForSelector('#view table.rows');
    shop.abandonAll();
  });

  it('switches views with the keys and the tabs, sorts, filters, and keeps view and filter in the address', async () => {
    await shop.calls('/api/search?q=lamp', 2);
    await page.goto(web.url.href);
    await page.waitForSelector('#view table.rows');

    await page.keyboard.press('2');
    await page.waitForURL(/view=routes/);
    await page.waitForFunction(() => /Routes over the last 1 min/.test(document.querySelector('#view h2')?.textContent ?? ''));
    // The live counters count a second once it is over: the routes come within seconds.
    await waitForColumn(page, 'Routes', 'Route', ['GET /api/products', 'GET /api/search']);
    await page.keyboard.press('s');
    await page.waitForURL(/route-sort=active/);
    await page.waitForFunction(() => /sort: active/.test(document.querySelector('#status')?.textContent ?? ''));
    await page.keyboard.press('w');
    await page.waitForURL(/window=5m/);
    await page.waitForFunction(() => /Routes over the last 5 min/.test(document.querySelector('#view h2')?.textContent ?? ''));

    await page.click('#status button[data-view="processes"]');
    await page.waitForURL(/view=processes/);
    // Wait for the Processes table itself: until it is drawn, the rows on the page are still the routes'.
    const states = await waitForColumnWhere(page, 'Processes', 'State', (found) => found.length >= 2, 'two processes');
    expect(states.filter((state) => state === 'alive')).to.have.length.of.at.least(2);

    await page.keyboard.press('Tab');
    await page.waitForURL(/view=requests/);
    await page.waitForSelector('#filter-bar:not([hidden])');
    await page.keyboard.press('/');
    await page.keyboard.type('search');
    await page.keyboard.press('Enter');
    await page.waitForURL(/filter=search/);
    expect(await page.locator('#filter').inputValue()).to.equal('search');
    await page.waitForFunction(() => document.querySelectorAll('#view tbody tr').length > 0);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#view table.rows')].every((table) => {
        const at = [...table.querySelectorAll('thead th')].map((head) => head.textContent).indexOf('Path');
        return [...table.querySelectorAll('tbody tr')].every((row) => row.children[at]?.textContent === '/api/search');
      }),
    );
    const shared = page.url();

    // The link, opened in another tab, shows the same view and filter.
    const other = await chromium.newPage();
    try {
      await other.goto(shared);
      await other.waitForFunction(() => document.querySelectorAll('#view tbody tr').length > 0);
      expect(await other.locator('#filter').inputValue()).to.equal('search');
      expect(await other.locator('#status .tab.current').innerText()).to.equal('1 Requests');
      expect(new Set(await columnTexts(other, 'Completed', 'Path'))).to.deep.equal(new Set(['/api/search']));
    } finally {
      await other.close();
    }

    // Enter on a route: the requests of that route only; Esc shows all again.
    await page.goto(new URL('/?view=routes', web.url).href);
    await page.waitForFunction(() => document.querySelectorAll('#view tbody tr').length >= 2);
    await page.keyboard.press('ArrowDown');
    const selected = await page.locator('#view tr.selected td').first().innerText();
    await page.keyboard.press('Enter');
    await page.waitForURL(/view=requests/);
    expect(new URL(page.url()).searchParams.get('route')).to.equal(selected);
    await page.waitForFunction((route) => (document.querySelector('#status')?.textContent ?? '').includes(`route ${route}`), selected);
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => !url.searchParams.has('route'));
  });

  it('draws the charts: req/s and p95 of the fleet and of the selected route, and its latency distribution', async () => {
    await page.goto(new URL('/?view=routes', web.url).href);
    await page.waitForSelector('#view table.rows');
    // Samples come once a second; a few requests on each keep the lines up.
    for (let round = 0; round < 3; round++) await shop.calls('/api/products', 5);
    await page.waitForFunction(() => document.querySelectorAll('#fleet-rps canvas, #fleet-p95 canvas, #route-rps canvas, #route-distribution canvas').length === 4);
    const green: [number, number, number] = [0x73, 0xd1, 0x3d];
    const orange: [number, number, number] = [0xff, 0xa9, 0x40];
    const blue: [number, number, number] = [0x7a, 0xa2, 0xf7];
    await waitForDrawn(page, 'fleet-rps', green);
    await waitForDrawn(page, 'fleet-p95', orange);
    await waitForDrawn(page, 'route-rps', green);
    await waitForDrawn(page, 'route-distribution', blue);
    expect(await page.locator('#route-title').innerText()).to.match(/^GET \/api\//);
  });

  it('takes the README screenshot of the page, with real rows and charts', async () => {
    shop.hang({ 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' });
    const visitors = [
      { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36', 'x-forwarded-for': '203.0.113.20' },
      { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148', 'x-forwarded-for': '198.51.100.7' },
      { 'user-agent': 'curl/8.5.0', 'x-forwarded-for': '192.0.2.55' },
    ];
    for (let round = 0; round < 4; round++) {
      for (const visitor of visitors) {
        await shop.calls('/api/products', 2, visitor);
        await shop.call('/api/search?q=desk', visitor);
      }
      await shop.call('/static/logo.png', visitors[2]);
    }
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(web.url.href);
    await page.waitForFunction(() => document.querySelectorAll('#view tbody tr').length >= 10 && /\/export/.test(document.querySelector('#view table.rows')?.textContent ?? ''));
    // Two frames later the charts hold the history and the newest sample.
    await page.waitForFunction(() => document.querySelectorAll('#fleet-rps canvas').length === 1 && document.querySelector('#connection')?.textContent === 'live');
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    // A real picture of the page: a PNG of its size, and far more than a blank page's bytes.
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(1, 4).toString('latin1')).to.equal('PNG');
    expect(png.readUInt32BE(16)).to.equal(1400);
    expect(png.length).to.be.above(50_000);
    shop.abandonAll();
  });
  it('renders a hostile task as text, and runs none of it', async () => {
    // A request with a hostile user agent, through the real pipeline (its path the client encodes)...
    const agent = '<img src=x onerror="window.pwned=2">';
    expect(await shop.call('/api/hostile', { 'user-agent': agent })).to.equal(404);
    // ...and a task as any writer of the table may write it, its path and headers as they came.
    const path = '/api/<script>window.pwned=1</script>';
    const now = new Date().toISOString().replace('Z', '000+00:00');
    const task = {
      task_id: 'hostile1', task_name: `GET ${path}`, host_name: '<b>host</b>', process_id: 4242, thread_id: 0, processor_name: '4242:<i>main</i>',
      started_at: now, updated_at: now, ended_at: now, recorded_successfully: true, method: 'GET', path, status_code: 200,
      request_headers: [['USER-AGENT', '<script>window.pwned=3</script>'], ['X-FORWARDED-FOR', '<svg onload="window.pwned=4">']],
      tags: { 'service.name': '<iframe src="javascript:window.pwned=5">' },
    };
    const client = createRedisClient(redis.url, {});
    try {
      await client.lpush('past_tasks', JSON.stringify(task));
    } finally {
      client.disconnect();
    }
    await page.goto(web.url.href);
    // The shop's request reaches the list with its exporter's next slice of completed tasks, perhaps after the page's first read.
    await page.waitForFunction(
      (hostile) => hostile.every((text) => [...document.querySelectorAll('#view td')].some((cell) => cell.textContent === text)),
      [path, agent],
    );
    const agents = await columnTexts(page, 'Completed', 'User agent');
    expect(agents).to.include(agent).and.include('<script>window.pwned=3</script>');
    await rowWith(page, 'Completed', path).dblclick();
    await page.waitForSelector('#view .detail');
    expect(await page.locator('#view .detail').innerText()).to.include(path).and.include('<svg onload="window.pwned=4">').and.include('<b>host</b>');
    expect(await page.evaluate(() => document.querySelectorAll('#view script, #view img, #view svg, #view iframe, #view b, [onerror], [onload]').length)).to.equal(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).to.equal(undefined);
    await page.keyboard.press('Escape');
    // Nothing failed in the page all along: no script error, no resource the policy refused.
    expect(pageErrors).to.deep.equal([]);
  });
});
