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
import { SERVER_VARIANTS, ServerVariant } from './types';

/**
 * The OTel setup of a benchmark server, loaded with `node --require` before
 * anything else so that http and express are patched when the app loads them.
 * Configured by env BENCH_VARIANT and BENCH_REDIS_URL.
 */
function variantFromEnv(): ServerVariant {
  const variant = process.env.BENCH_VARIANT;
  const known = SERVER_VARIANTS.find((name) => name === variant);
  if (known === undefined) {
    throw new Error(`BENCH_VARIANT must be one of ${SERVER_VARIANTS.join(', ')}, got ${JSON.stringify(variant)}`);
  }
  return known;
}

const variant = variantFromEnv();
// Before any Redis client exists, so that every connection is counted.
const redisWrites = new RedisWriteCounter();
const tracking = variant === 'tracked' || variant === 'watched';
const exporter = tracking
  ? new RedisTaskExporter({ url: process.env.BENCH_REDIS_URL, publishUpdates: variant === 'watched' ? true : 'auto' })
  : undefined;
const processor: SpanProcessor = exporter === undefined ? new NoopSpanProcessor() : new HttpTaskSpanProcessor({ exporter });
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'otel-top-bench', 'deployment.environment.name': 'bench' }),
  spanProcessors: [processor],
});
provider.register();
registerInstrumentations({
  instrumentations: [
    // Only the tracking variants (and `headers`, which measures it alone) capture the extra headers: that cost
    // belongs to tracking.
    new HttpInstrumentation(tracking || variant === 'headers' ? httpInstrumentationConfig() : {}),
    new ExpressInstrumentation(),
  ],
});

export const benchTracing = { variant, provider, exporter, processor, redisWrites };
