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
      if ('writableFinished' in response && !response.writableFinished) {
        span.setAttribute(ATTR_RESPONSE_INCOMPLETE, true);
      }
    },
  };
}
