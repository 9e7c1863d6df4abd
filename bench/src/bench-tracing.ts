import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { RedisTaskExporter } from '@otel-top/redis-exporter';
import { HttpTaskSpanProcessor, httpInstrumentationConfig } from '@otel-top/span-processor';
import { NoopSpanProcessor } from './noop-span-processor';
import { RedisWriteCounter } from './redis-write-counter';
import type { ServerVariant } from './types';

/**
 * The OTel setup of a benchmark server, loaded with `node --require` before
 * anything else so that http and express are patched when the app loads them.
 * Configured by env BENCH_VARIANT and BENCH_REDIS_URL.
 */
function variantFromEnv(): ServerVariant {
  const variant = process.env.BENCH_VARIANT;
  if (variant !== 'noop' && variant !== 'tracked' && variant !== 'python') {
    throw new Error(`BENCH_VARIANT must be noop, tracked or python, got ${JSON.stringify(variant)}`);
  }
  return variant;
}

const variant = variantFromEnv();
// Before any Redis client exists, so that every connection is counted.
const redisWrites = new RedisWriteCounter();
const exporter = variant === 'tracked' ? new RedisTaskExporter({ url: process.env.BENCH_REDIS_URL }) : undefined;
const processor: SpanProcessor = exporter === undefined ? new NoopSpanProcessor() : new HttpTaskSpanProcessor({ exporter });
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'otel-top-bench', 'deployment.environment.name': 'bench' }),
  spanProcessors: [processor],
});
provider.register();
registerInstrumentations({
  instrumentations: [
    // Only the tracked variant captures the extra headers: that cost belongs to tracking.
    new HttpInstrumentation(variant === 'tracked' ? httpInstrumentationConfig() : {}),
    new ExpressInstrumentation(),
  ],
});

export const benchTracing = { variant, provider, exporter, processor, redisWrites };
