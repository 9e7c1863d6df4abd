import { context } from '@opentelemetry/api';
// The one module of the SDK's core that this needs: its index loads all of core and the semantic conventions,
// a tenth of a second of every viewer's start.
import { suppressTracing } from '@opentelemetry/core/build/src/trace/suppress-tracing';

/**
 * Runs `work` with tracing suppressed, so that tracking never traces itself:
 * an app whose instrumentations include ioredis exports no spans for the
 * tracker's own commands. Timers and promises started inside keep the
 * suppression, since the context follows them.
 */
export function untraced<T>(work: () => T): T {
  return context.with(suppressTracing(context.active()), work);
}
