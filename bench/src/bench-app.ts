import { createServer, Server } from 'node:http';
import express, { RequestHandler } from 'express';
import type { BenchApp } from './types';

const HELLO = 'hello world';

/**
 * The server every variant runs. `hello`: node:http answering `hello world`,
 * the harshest case, where tracking's cost is a large share of the whole;
 * `express`: one small JSON route with a path parameter, as a typical API.
 */
export function createBenchServer(app: BenchApp, tracking?: RequestHandler): Server {
  if (app === 'hello') {
    return createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': HELLO.length });
      response.end(HELLO);
    });
  }
  const shop = express();
  shop.set('etag', false);
  shop.set('x-powered-by', false);
  if (tracking !== undefined) shop.use(tracking);
  shop.get('/api/items/:id', (request, response) => {
    response.json({ id: request.params.id, name: `item ${request.params.id}`, page: Number(request.query.page ?? 1) });
  });
  return createServer(shop);
}
