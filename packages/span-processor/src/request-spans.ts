import type { RPCMetadata } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * What the processor knows of the spans inside one request: the open ones it
 * follows and the route the framework matched. Created at the request's
 * first span inside, so a request without any costs nothing.
 */
export class RequestSpans {
  /** Started, not ended, in start order; emptied when the request ends. */
  readonly open = new Set<ReadableSpan>();
  /** `http.route` of the latest span inside that had one (framework handler and layer spans). */
  childRoute: string | undefined = undefined;
  /**
   * instrumentation-http's metadata of this request, which Express, Fastify,
   * Koa and Hapi instrumentations give the matched route as they match it.
   * Read when the task is written, so the latest match is seen.
   */
  rpcMetadata: RPCMetadata | undefined = undefined;

  /** The route matched so far, if any. */
  route(): string | undefined {
    const route = this.rpcMetadata?.route;
    return typeof route === 'string' && route !== '' ? route : this.childRoute;
  }
}
