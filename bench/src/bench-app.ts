import { createServer, Server } from 'node:http';
import { trace, Tracer } from '@opentelemetry/api';
import express, { RequestHandler } from 'express';
import type { BenchApp } from './types';

const HELLO = 'hello world';
/** Spans the `children` app makes inside each request: what following open spans costs is per child. */
export const CHILD_SPANS_PER_REQUEST = 5;
/** The budget of following them (docs/performance.md), judged by the `children` and `throughput` scenarios. */
export const BUDGET_MICROS_PER_CHILD = 0.5;

/**
 * The server every variant runs. `hello`: node:http answering `hello world`,
 * the harshest case, where tracking's cost is a large share of the whole;
 * `children`: the same with CHILD_SPANS_PER_REQUEST spans inside each
 * request, one inside the other, as database and outbound calls make them;
 * `express`: one small JSON route with a path parameter, as a typical API.
 * `childTracer` makes the spans inside (the registered provider's by default).
 */
export function createBenchServer(app: BenchApp, options: { tracking?: RequestHandler; childTracer?: () => Tracer } = {}): Server {
  if (app === 'hello' || app === 'children') {
    const fallback = trace.getTracer('otel-top-bench');
    const childTracer = options.childTracer ?? ((): Tracer => fallback);
    const children = app === 'children' ? CHILD_SPANS_PER_REQUEST : 0;
    const nest = (depth: number): void => {
      if (depth === 0) return;
      childTracer().startActiveSpan(`child ${depth}`, (span) => {
        nest(depth - 1);
        span.end();
      });
    };
    return createServer((_request, response) => {
      nest(children);
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': HELLO.length });
      response.end(HELLO);
    });
  }
  const shop = express();
  shop.set('etag', false);
  shop.set('x-powered-by', false);
  if (options.tracking !== undefined) shop.use(options.tracking);
  shop.get('/api/items/:id', (request, response) => {
    response.json({ id: request.params.id, name: `item ${request.params.id}`, page: Number(request.query.page ?? 1) });
  });
  return createServer(shop);
}
