import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/**
 * Runs `work` with tracing suppressed, so that tracking never traces itself:
 * an app whose instrumentations include ioredis exports no spans for the
 * tracker's own commands. Timers and promises started inside keep the
 * suppression, since the context follows them.
 */
export function untraced<T>(work: () => T): T {
  return context.with(suppressTracing(context.active()), work);
}
