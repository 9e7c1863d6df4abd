import type { IncomingMessage, ServerResponse, ClientRequest } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { ATTR_RESPONSE_INCOMPLETE } from './span-task-mapper';

/** The part of @opentelemetry/instrumentation-http's config that otel-top sets. */
export interface TrackingHttpInstrumentationConfig {
  headersToSpanAttributes: {
    server: { requestHeaders: string[]; responseHeaders: string[] };
  };
  applyCustomAttributesOnSpan: (
    span: Span,
    request: ClientRequest | IncomingMessage,
    response: IncomingMessage | ServerResponse,
  ) => void;
}

/**
 * Headers given only to `writeHead(status, headers)` (Fastify does so) never
 * reach getHeader(); Node keeps the header block it sent in `_header`. An
 * internal field, so read defensively: anything unexpected means no length.
 */
function sentContentLength(response: ServerResponse): string | undefined {
  const block: unknown = Reflect.get(response, '_header');
  if (typeof block !== 'string') return undefined;
  return /\r\ncontent-length:[ \t]*(\d+)[ \t]*\r\n/i.exec(block)?.[1];
}

/** Request headers behind the viewer's columns that the instrumentation does not record by itself. */
export const TRACKED_REQUEST_HEADERS = ['x-forwarded-for', 'cf-ipcountry'];
export const TRACKED_RESPONSE_HEADERS = ['content-length', 'content-type'];

/**
 * Options for `new HttpInstrumentation(...)` that give every viewer column its
 * data: the forwarded-for and country request headers, the response length,
 * and a mark on responses the client abandoned (so they show no status code
 * instead of the 200 Node presets). Merge them with your own options.
 */
export function httpInstrumentationConfig(
  extra: { requestHeaders?: string[]; responseHeaders?: string[] } = {},
): TrackingHttpInstrumentationConfig {
  return {
    headersToSpanAttributes: {
      server: {
        requestHeaders: [...TRACKED_REQUEST_HEADERS, ...(extra.requestHeaders ?? [])],
        responseHeaders: [...TRACKED_RESPONSE_HEADERS, ...(extra.responseHeaders ?? [])],
      },
    },
    applyCustomAttributesOnSpan(span, _request, response) {
      if (!('writableFinished' in response)) return; // a client span's response
      if (!response.writableFinished) span.setAttribute(ATTR_RESPONSE_INCOMPLETE, true);
      if (response.headersSent && response.getHeader('content-length') === undefined) {
        const length = sentContentLength(response);
        if (length !== undefined) span.setAttribute('http.response.header.content-length', [length]);
      }
    },
  };
}
