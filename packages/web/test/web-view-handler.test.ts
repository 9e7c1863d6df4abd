import { expect } from 'chai';
import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { EVENTS, Frame, WebViewHandler } from '../src/index.js';
import { EventStream } from './fixtures/event-stream.js';
import { ExampleShop } from './fixtures/example-shop.js';

const TOKEN = 'a-test-token-of-32-characters-00';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function fetchRaw(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

async function serve(handler: WebViewHandler, host: string): Promise<{ server: Server; port: number }> {
  const server = createServer(handler.handle);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function stop(server: Server, handler: WebViewHandler): Promise<void> {
  await handler.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('WebViewHandler', function () {
  this.timeout(60_000);
  let redis: RedisTestServer;
  let shop: ExampleShop;
  let reader: RedisTaskReader;

  before(async () => {
    redis = await RedisTestServer.start();
    shop = await ExampleShop.start(redis.url, 1);
    reader = new RedisTaskReader({ url: redis.url });
  });

  after(async () => {
    await reader?.close();
    await shop?.stop();
    await redis?.stop();
  });

  describe('without a token, on loopback', () => {
    let handler: WebViewHandler;
    let server: Server;
    let port: number;

    before(async () => {
      handler = new WebViewHandler({ reader, trackerUrl: redis.url, maxStreams: 3, lingerMillis: 100 });
      ({ server, port } = await serve(handler, '127.0.0.1'));
    });

    after(() => stop(server, handler));

    it('serves the page with a strict Content-Security-Policy, nosniff, and no inline script or style', async () => {
      const page = await fetchRaw(port, '/');
      expect(page.status).to.equal(200);
      expect(page.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(page.headers['content-security-policy']).to.include("default-src 'none'").and.include("script-src 'self'").and.include("style-src 'self'");
      expect(page.headers['content-security-policy']).to.include("connect-src 'self'").and.include("img-src 'self' data:");
      expect(page.headers['content-security-policy']).not.to.include('unsafe-inline');
      expect(page.headers['x-content-type-options']).to.equal('nosniff');
      // Every script has a src, no <style> element, no style or on* attribute.
      expect(page.body.match(/<script\b[^>]*>/g)).to.deep.equal(['<script src="assets/page.js" defer>']);
      expect(page.body).not.to.match(/<style\b|\sstyle=|\son[a-z]+=/i);
      for (const asset of ['/assets/page.js', '/assets/page-style.css']) {
        const answer = await fetchRaw(port, asset);
        expect(answer.status, asset).to.equal(200);
        expect(answer.headers['x-content-type-options'], asset).to.equal('nosniff');
        expect(answer.body.length, asset).to.be.above(1_000);
      }
      // uPlot is in the bundle, served from the package, not from a CDN.
      expect((await fetchRaw(port, '/assets/page.js')).body).to.include('uplot');
      expect(page.body).not.to.match(/https?:\/\//);
    });

    it('answers only GET and HEAD: read-only', async () => {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const answer = await fetchRaw(port, '/', { method });
        expect(answer.status, method).to.equal(405);
        expect(answer.headers.allow, method).to.equal('GET, HEAD');
      }
      const head = await fetchRaw(port, '/', { method: 'HEAD' });
      expect(head.status).to.equal(200);
      expect(head.body).to.equal('');
      expect((await fetchRaw(port, '/assets/../../package.json')).status).to.equal(404);
      expect((await fetchRaw(port, '/assets/nothing.js')).status).to.equal(404);
    });

    it('refuses a request that names another host (a DNS rebinding): 403', async () => {
      const answer = await fetchRaw(port, '/', { headers: { host: 'attacker.example:7070' } });
      expect(answer.status).to.equal(403);
      expect(answer.body).to.include('loopback only');
      expect((await fetchRaw(port, '/', { headers: { host: `localhost:${port}` } })).status).to.equal(200);
    });

    it('streams frames of the view the address asks for, with no-store', async () => {
      await shop.calls('/api/products', 3);
      const stream = await EventStream.open(`http://127.0.0.1:${port}/stream?view=requests&filter=products`);
      try {
        expect(stream.status).to.equal(200);
        expect(stream.response.headers['content-type']).to.equal('text/event-stream; charset=utf-8');
        expect(stream.response.headers['cache-control']).to.equal('no-store');
        const frame = await waitFor(
          () => {
            const latest = stream.latest<Frame>(EVENTS.frame);
            return latest?.body.panel === 'main' && latest.body.view === 'requests' && (latest.body.tables[1]?.table.rows.length ?? 0) >= 3 && latest;
          },
          { timeoutMillis: 10_000, message: 'a frame with the completed requests' },
        );
        expect(frame.status.filter).to.equal('products');
        const completed = frame.body.panel === 'main' && frame.body.view === 'requests' ? frame.body.tables[1] : undefined;
        const pathColumn = completed?.table.columns.findIndex((column) => column.name === 'Path') ?? -1;
        expect(completed?.table.rows.every((row) => row.cells[pathColumn]?.text === '/api/products')).to.equal(true);
        expect(stream.events[0]?.event).to.equal(EVENTS.history);
      } finally {
        stream.close();
      }
    });

    it('bounds the live streams: the one past maxStreams gets 503, and a freed place is taken again', async () => {
      const open = await Promise.all([1, 2, 3].map(() => EventStream.open(`http://127.0.0.1:${port}/stream`)));
      try {
        expect(open.map((stream) => stream.status)).to.deep.equal([200, 200, 200]);
        await waitFor(() => handler.stats.streams === 3, { message: 'three streams open' });
        const refused = await fetchRaw(port, '/stream');
        expect(refused.status).to.equal(503);
        expect(refused.headers['retry-after']).to.equal('10');
        expect(handler.stats.refusedStreams).to.equal(1);
        open[0]?.close();
        await waitFor(() => handler.stats.streams === 2, { message: 'the closed stream to be let go' });
        const again = await EventStream.open(`http://127.0.0.1:${port}/stream`);
        expect(again.status).to.equal(200);
        open.push(again);
      } finally {
        for (const stream of open) stream.close();
      }
      await waitFor(() => handler.stats.streams === 0, { message: 'every stream let go' });
    });
  });

  describe('with a token, listening on every address', () => {
    let handler: WebViewHandler;
    let server: Server;
    let port: number;

    before(async () => {
      handler = new WebViewHandler({ reader, trackerUrl: redis.url, token: TOKEN, lingerMillis: 100 });
      // Bound to every address; the test connects to 127.0.0.1 only.
      ({ server, port } = await serve(handler, '0.0.0.0'));
    });

    after(() => stop(server, handler));

    it('answers 401 on every route without the token', async () => {
      for (const path of ['/', '/?view=routes', '/stream', '/assets/page.js', '/assets/page-style.css', '/nothing']) {
        const answer = await fetchRaw(port, path);
        expect(answer.status, path).to.equal(401);
        expect(answer.headers['content-security-policy'], path).to.include("default-src 'none'");
        expect(answer.body, path).not.to.include(TOKEN);
      }
      expect((await fetchRaw(port, `/?token=${TOKEN.slice(0, -1)}x`)).status).to.equal(401);
      expect((await fetchRaw(port, '/', { headers: { cookie: `otel-top-web-${port}=${TOKEN}` } })).status).to.equal(401);
    });

    it('takes the token once in the address, keeps it in an HttpOnly SameSite=Strict cookie, and redirects to the address without it', async () => {
      const signIn = await fetchRaw(port, `/?view=routes&token=${TOKEN}&filter=x`);
      expect(signIn.status).to.equal(303);
      expect(signIn.headers.location).to.equal('/?view=routes&filter=x');
      const cookie = String(signIn.headers['set-cookie']);
      expect(cookie).to.match(new RegExp(`^otel-top-web-${port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`));
      // The cookie holds a value derived from the token, not the token.
      expect(cookie).not.to.include(TOKEN);
      const session = cookie.split(';')[0] ?? '';
      const page = await fetchRaw(port, '/?view=routes&filter=x', { headers: { cookie: session } });
      expect(page.status).to.equal(200);
      expect(page.body).to.include('<html');
      expect((await fetchRaw(port, '/assets/page.js', { headers: { cookie: `other=1; ${session}` } })).status).to.equal(200);
      const stream = await EventStream.open(`http://127.0.0.1:${port}/stream?view=processes`, { cookie: session });
      try {
        expect(stream.status).to.equal(200);
        await waitFor(() => stream.latest<Frame>(EVENTS.frame)?.body.panel === 'main', { message: 'a frame over the cookie' });
      } finally {
        stream.close();
      }
    });

    it('refuses a token shorter than 16 characters, saying how to make one', () => {
      expect(() => new WebViewHandler({ reader, token: 'short' })).to.throw(RangeError, /at least 16 characters.*openssl rand -hex 16/);
    });
  });
});
