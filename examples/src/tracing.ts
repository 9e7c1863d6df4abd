// The otel-top part of an app's OpenTelemetry setup. Load it before anything
// else (`node -r ./tracing.js app.js`, or import it first), so that the
// instrumentations patch `http`, `express` and `ioredis` before the app uses them.
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { RedisTaskExporter } from '@otel-top/redis-exporter';
import { HttpTaskSpanProcessor, httpInstrumentationConfig } from '@otel-top/span-processor';

// Writes to env TOP_TRACKER_URL (default redis://127.0.0.1:6379/0), in
// batches, off the request path. If Redis is away the app serves as before.
const exporter = new RedisTaskExporter();

const provider = new NodeTracerProvider({
  // service.* and deployment.* resource attributes become task tags (the Service column).
  resource: resourceFromAttributes({ 'service.name': 'example-shop', 'service.version': '1.0.0' }),
  spanProcessors: [
    // Keep your existing processors here (e.g. a BatchSpanProcessor with an OTLP exporter).
    new HttpTaskSpanProcessor({ exporter }),
  ],
});
provider.register();

registerInstrumentations({
  instrumentations: [
    // httpInstrumentationConfig() captures what the viewer's columns need:
    // X-Forwarded-For, CF-IPCountry, the response Content-Length.
    new HttpInstrumentation(httpInstrumentationConfig()),
    // Routes, and the calls each request waits on: otel-top follows every span inside a request.
    new ExpressInstrumentation(),
    new UndiciInstrumentation(), // fetch
    new IORedisInstrumentation(),
  ],
});

/** Writes what is still queued and closes the Redis connection; call it before the process exits. */
export function shutdownTracing(): Promise<void> {
  return provider.shutdown();
}
