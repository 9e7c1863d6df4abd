/**
 * A real Express app under the real OTel SDK and instrumentation, tracked by
 * otel-top, for the fault tests. Env TOP_TRACKER_URL as usual; FAULT_EXPORTER
 * holds extra exporter options as JSON; it captures the credential headers, so
 * that redaction is tested end to end. Prints `{"port": N}` once it listens;
 * SIGTERM shuts the SDK down (as a service should) and exits.
 */
import type { Server } from 'node:http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { RedisTaskExporter, RedisTaskExporterConfig } from '@otel-top/redis-exporter';
import { HttpTaskSpanProcessor, httpInstrumentationConfig } from '@otel-top/span-processor';

async function main(): Promise<void> {
  const exporter = new RedisTaskExporter(JSON.parse(process.env.FAULT_EXPORTER ?? '{}') as RedisTaskExporterConfig);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.FAULT_SERVICE ?? 'fault-app', 'service.version': '1.2.3' }),
    spanProcessors: [new HttpTaskSpanProcessor({ exporter })],
  });
  provider.register();
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation(
        httpInstrumentationConfig({
          requestHeaders: ['authorization', 'cookie', 'x-api-key', 'proxy-authorization'],
          responseHeaders: ['set-cookie', 'x-session-token'],
        }),
      ),
      new ExpressInstrumentation(),
    ],
  });
  // Required after the instrumentations, so that Express is patched and tasks carry their routes (import()
  // would go through the ES module loader, which only OpenTelemetry's loader hook instruments).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const express = require('express') as typeof import('express');
  const app = express();
  const held: Array<() => void> = [];
  app.get('/fast', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/login', (_req, res) => {
    res.cookie('session', 'set-cookie-secret-value').setHeader('x-session-token', 'response-token-secret');
    res.json({ ok: true });
  });
  // A known latency and a known status, for the counters' tests.
  app.get('/delay/:ms', (req, res) => {
    setTimeout(() => res.json({ ok: true }), Number(req.params.ms));
  });
  // Holds the event loop, as a CPU-bound handler would.
  app.post('/block/:ms', (req, res) => {
    const until = Date.now() + Number(req.params.ms);
    while (Date.now() < until) {
      // busy
    }
    res.json({ blocked: Number(req.params.ms) });
  });
  app.get('/status/:code', (req, res) => {
    res.status(Number(req.params.code)).json({ status: req.params.code });
  });
  app.get('/slow/:id', (req, res) => {
    held.push(() => res.send(req.params.id));
  });
  app.post('/release', (_req, res) => {
    const count = held.length;
    for (const release of held.splice(0)) release();
    res.json({ released: count });
  });
  app.get('/stats', (_req, res) => {
    res.json({ ...exporter.getStats(), heapUsed: process.memoryUsage().heapUsed, exporterId: exporter.id });
  });
  app.post('/gc', (_req, res) => {
    // Run with --expose-gc, so heap figures compare live data, not garbage not yet collected.
    (globalThis as { gc?: () => void }).gc?.();
    res.json({ heapUsed: process.memoryUsage().heapUsed });
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 })}\n`);
  process.once('SIGTERM', () => {
    // In-flight requests are ended by the exporter's shutdown; the SDK shuts down before the process exits.
    void provider.shutdown().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
