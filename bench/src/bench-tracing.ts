import { trace, Tracer } from '@opentelemetry/api';
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
import { SwitchableSpanProcessor } from './switchable-span-processor';
import { TrackingTimers } from './tracking-timers';
import { BENCH_APPS, BenchApp, SERVER_VARIANTS, ServerVariant } from './types';

/**
 * The OTel setup of a benchmark server, loaded with `node --require` before
 * anything else so that http and express are patched when the app loads them.
 * Configured by env BENCH_VARIANT, BENCH_APP and BENCH_REDIS_URL.
 */
function variantFromEnv(): ServerVariant {
  const variant = process.env.BENCH_VARIANT;
  const known = SERVER_VARIANTS.find((name) => name === variant);
  if (known === undefined) {
    throw new Error(`BENCH_VARIANT must be one of ${SERVER_VARIANTS.join(', ')}, got ${JSON.stringify(variant)}`);
  }
  return known;
}

function appFromEnv(): BenchApp {
  const app = BENCH_APPS.find((name) => name === process.env.BENCH_APP);
  if (app === undefined) throw new Error(`BENCH_APP must be one of ${BENCH_APPS.join(', ')}, got ${JSON.stringify(process.env.BENCH_APP)}`);
  return app;
}

const variant = variantFromEnv();
const app = appFromEnv();
// Before any Redis client exists, so that every connection is counted.
const redisWrites = new RedisWriteCounter();
const tracking = variant === 'tracked' || variant === 'timed';
// `timed`: tracked, with every part of tracking timed where it runs.
const timers = variant === 'timed' ? new TrackingTimers() : undefined;
const exporter = tracking ? new RedisTaskExporter({ url: process.env.BENCH_REDIS_URL }) : undefined;
const tracker = exporter === undefined ? undefined : new HttpTaskSpanProcessor({ exporter: timers?.exporter(exporter) ?? exporter });
const switchable = tracker === undefined ? undefined : new SwitchableSpanProcessor(timers?.processor(tracker) ?? tracker);
const processor: SpanProcessor = switchable ?? new NoopSpanProcessor();
const resource = resourceFromAttributes({ 'service.name': 'otel-top-bench', 'deployment.environment.name': 'bench' });
const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
provider.register();
/**
 * The same SDK set-up, not registered, with a processor that does nothing:
 * spans it makes inside a request cost the SDK what the registered
 * provider's do, and tracking never sees them.
 */
const unseenTracer = new NodeTracerProvider({ resource, spanProcessors: [new NoopSpanProcessor()] }).getTracer('otel-top-bench');
const seenTracer = trace.getTracer('otel-top-bench');
let childTracer: Tracer = seenTracer;
// Only the tracking variants capture the extra headers: that cost belongs to tracking.
function trackingHttpConfig(): ReturnType<typeof httpInstrumentationConfig> {
  return timers?.hooks(httpInstrumentationConfig()) ?? httpInstrumentationConfig();
}
const httpInstrumentation = new HttpInstrumentation(tracking ? trackingHttpConfig() : {});
registerInstrumentations({ instrumentations: app === 'express' ? [httpInstrumentation, new ExpressInstrumentation()] : [httpInstrumentation] });

/**
 * Switches all of tracking off or on in a tracking variant: the header
 * capture (instrumentation-http rebuilds it on setConfig) and the processor
 * with its exporter. Off, the server is the `noop` variant but for an idle
 * exporter connection.
 */
function setTracking(enabled: boolean): void {
  if (switchable === undefined) throw new Error(`${variant} has no tracking to switch`);
  httpInstrumentation.setConfig(enabled ? trackingHttpConfig() : {});
  switchable.enabled = enabled;
}

/** Whether the spans the `children` app makes inside each request are made by the tracked provider (seen) or the unseen one. */
function setChildrenSeen(seen: boolean): void {
  childTracer = seen ? seenTracer : unseenTracer;
}

export const benchTracing = {
  variant,
  app,
  provider,
  exporter,
  tracker,
  redisWrites,
  setTracking,
  setChildrenSeen,
  childTracer: (): Tracer => childTracer,
  timers,
};
