// The shop's upstream: a small, slow "warehouse" service in a process of its
// own, as a real dependency would be. Stock lookups are mostly quick and now
// and then slow, reservations now and then hang, and an export never answers
// until its caller gives up. It is not tracked: otel-top shows the shop's
// requests waiting on it. PORT=0 picks a free port; the URL is printed once
// it listens. Stops on SIGTERM and SIGINT.
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Longest any answer is held, so that nothing here waits forever (ms). */
const MAX_HOLD_MILLIS = 120_000;

function randomBetween(min: number, max: number): number {
  return min + Math.random() * (max - min);
}

/** Answers with JSON after `delayMillis`, unless the caller has gone by then. */
function answerLater(response: ServerResponse, delayMillis: number, status: number, body: unknown): void {
  const timer = setTimeout(() => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }, Math.min(delayMillis, MAX_HOLD_MILLIS));
  response.on('close', () => clearTimeout(timer));
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  request.resume(); // bodies are not read
  const { pathname } = new URL(request.url ?? '/', 'http://warehouse');
  const stock = /^\/stock\/(\d+)$/.exec(pathname);
  if (request.method === 'GET' && stock !== null) {
    // One lookup in thirty is slow: the warehouse's database is having a moment.
    const delay = Math.random() < 1 / 30 ? randomBetween(2_000, 6_000) : randomBetween(5, 40);
    answerLater(response, delay, 200, { productId: Number(stock[1]), inStock: Math.floor(randomBetween(0, 50)) });
  } else if (request.method === 'POST' && pathname === '/reservations') {
    // One reservation in forty hangs until the shop gives up on it.
    const delay = Math.random() < 1 / 40 ? MAX_HOLD_MILLIS : randomBetween(30, 300);
    answerLater(response, delay, 201, { reservation: Math.floor(randomBetween(1, 1e6)) });
  } else if (request.method === 'GET' && pathname === '/export') {
    // Never ready: the caller's own timeout, or its client's, ends the wait.
    answerLater(response, MAX_HOLD_MILLIS, 503, { error: 'export not ready' });
  } else {
    answerLater(response, 0, 404, { error: 'not found' });
  }
}

const server = createServer(handle);
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  console.log(`warehouse listening on http://${address}:${port}`);
});

function stop(): void {
  server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
