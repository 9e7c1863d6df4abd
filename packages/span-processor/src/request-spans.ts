import type { RPCMetadata } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * What the processor knows of the spans inside one request: the open ones it
 * follows and the route the framework matched. Created at the request's
 * first span inside, so a request without any costs nothing.
 */
export class RequestSpans {
  /**
   * Started, not ended, in start order; emptied when the request ends. An
   * array, not a Set: a Set entry costs each span an identity hash, and the
   * processor's cap per request keeps the array short.
   */
  readonly open: ReadableSpan[] = [];
  /** `http.route` of the latest span inside that had one (framework handler and layer spans). */
  childRoute: string | undefined = undefined;
  /**
   * instrumentation-http's metadata of this request, which Express, Fastify,
   * Koa and Hapi instrumentations give the matched route as they match it.
   * Read when the task is written, so the latest match is seen.
   */
  rpcMetadata: RPCMetadata | undefined = undefined;

  /** Forgets an open span that ended. Spans mostly end innermost, newest, first: the search starts there. */
  remove(span: ReadableSpan): void {
    const index = this.open.lastIndexOf(span);
    if (index === -1) return;
    if (index === this.open.length - 1) this.open.pop();
    else this.open.splice(index, 1);
  }

  /** The route matched so far, if any. */
  route(): string | undefined {
    const route = this.rpcMetadata?.route;
    return typeof route === 'string' && route !== '' ? route : this.childRoute;
  }
}
