import { IncomingMessage, OutgoingMessage, ServerResponse } from 'node:http';
import type { ClientRequest } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { CONTENT_LENGTH, CONTENT_TYPE, COUNTRY, FORWARDED_FOR, keepCapturedRequest, keepCapturedResponse } from './captured-exchange';

/** The part of @opentelemetry/instrumentation-http's config that otel-top sets. */
export interface TrackingHttpInstrumentationConfig {
  requestHook: (span: Span, request: ClientRequest | IncomingMessage) => void;
  applyCustomAttributesOnSpan: (
    span: Span,
    request: ClientRequest | IncomingMessage,
    response: IncomingMessage | ServerResponse,
  ) => void;
  /** Only for headers asked for beyond the tracked ones. */
  headersToSpanAttributes?: {
    server: { requestHeaders: string[]; responseHeaders: string[] };
  };
}

/** Request headers behind the viewer's columns that the instrumentation does not record by itself. */
export const TRACKED_REQUEST_HEADERS = [FORWARDED_FOR, COUNTRY];
export const TRACKED_RESPONSE_HEADERS = [CONTENT_LENGTH, CONTENT_TYPE];

/*
 * Express gives every response object a hidden class of its own (it swaps the
 * prototype per request), so each method or getter looked up on a response
 * misses V8's inline caches and walks the prototype chain: about a
 * microsecond per lookup in the benchmark's server. Node's own functions,
 * looked up once here and called on the response, skip that walk.
 */
const getHeader = OutgoingMessage.prototype.getHeader;
const writableFinished = getterOf(OutgoingMessage.prototype, 'writableFinished');
const headersSent = getterOf(OutgoingMessage.prototype, 'headersSent');

function getterOf(prototype: object, name: string): ((this: OutgoingMessage) => unknown) | undefined {
  const getter: unknown = Object.getOwnPropertyDescriptor(prototype, name)?.get;
  return typeof getter === 'function' ? (getter as (this: OutgoingMessage) => unknown) : undefined;
}

/** Whether all of the response went out (Node's `writableFinished`). */
function isFinished(response: ServerResponse): boolean {
  return writableFinished === undefined ? response.writableFinished : writableFinished.call(response) === true;
}

function areHeadersSent(response: ServerResponse): boolean {
  return headersSent === undefined ? response.headersSent : headersSent.call(response) === true;
}

/** Node's own record of what a response sent (internal fields, so each is checked before use). */
interface SentResponse {
  _contentLength?: unknown;
  _hasBody?: unknown;
  chunkedEncoding?: unknown;
  _header?: unknown;
}

/**
 * At the span's start, so that active tasks show them too. Called for
 * outgoing requests as well, which have nothing to capture.
 */
function captureRequest(span: Span, request: ClientRequest | IncomingMessage): void {
  if (!(request instanceof IncomingMessage)) return;
  // Read once: IncomingMessage builds its headers object behind a getter.
  const headers = request.headers;
  const forwardedFor = headers[FORWARDED_FOR];
  const country = headers[COUNTRY];
  if (forwardedFor !== undefined || country !== undefined) keepCapturedRequest(span, { forwardedFor, country });
}

/**
 * At the end of a server span: the response's length and type, and whether
 * the client went away first. Headers given only to `writeHead(status,
 * headers)` (Fastify does so) never reach getHeader(): Node notes the length
 * it announced in `_contentLength` (a number once a Content-Length went out,
 * or one it added for `end(body)`), which costs one read; where that note
 * could be misread (no body, chunked) or the type is missing, the header
 * block Node sent is kept, to be searched only if the task is ever built.
 */
function captureResponse(span: Span, _request: ClientRequest | IncomingMessage, response: IncomingMessage | ServerResponse): void {
  if (!(response instanceof ServerResponse)) return; // a client span's response
  let contentLength = getHeader.call(response, CONTENT_LENGTH);
  const contentType = getHeader.call(response, CONTENT_TYPE);
  let headerBlock: string | undefined;
  if ((contentLength === undefined || contentType === undefined) && areHeadersSent(response)) {
    const sent = response as unknown as SentResponse;
    const announced = sent._contentLength;
    if (contentLength === undefined && typeof announced === 'number' && sent._hasBody === true && sent.chunkedEncoding === false) {
      contentLength = announced;
    }
    if ((contentLength === undefined || contentType === undefined) && typeof sent._header === 'string') headerBlock = sent._header;
  }
  keepCapturedResponse(span, { incomplete: !isFinished(response), contentLength, contentType, headerBlock });
}

/**
 * Options for `new HttpInstrumentation(...)` that give every viewer column its
 * data: the forwarded-for and country request headers, the response's length
 * and type, and a mark on responses the client abandoned (so they show no
 * status code instead of the 200 Node presets). What these hooks capture is
 * kept on the span for otel-top alone, not as span attributes, so it costs
 * the request little and the app's traces carry nothing they did not ask
 * for; headers in `extra` go through `headersToSpanAttributes`. Merge the
 * options with your own; if you have your own `requestHook` or
 * `applyCustomAttributesOnSpan`, call these from yours.
 */
export function httpInstrumentationConfig(
  extra: { requestHeaders?: string[]; responseHeaders?: string[] } = {},
): TrackingHttpInstrumentationConfig {
  const requestHeaders = extra.requestHeaders ?? [];
  const responseHeaders = extra.responseHeaders ?? [];
  return {
    requestHook: captureRequest,
    applyCustomAttributesOnSpan: captureResponse,
    ...(requestHeaders.length + responseHeaders.length > 0
      ? { headersToSpanAttributes: { server: { requestHeaders, responseHeaders } } }
      : {}),
  };
}
