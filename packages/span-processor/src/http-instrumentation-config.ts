import { OutgoingMessage, ServerResponse } from 'node:http';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeader } from 'node:http';
import type { Attributes, Span } from '@opentelemetry/api';
import { ATTR_RESPONSE_INCOMPLETE, REQUEST_HEADER_PREFIX, RESPONSE_HEADER_PREFIX } from './span-task-mapper';

/** The part of @opentelemetry/instrumentation-http's config that otel-top sets. */
export interface TrackingHttpInstrumentationConfig {
  startIncomingSpanHook: (request: IncomingMessage) => Attributes;
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

const FORWARDED_FOR = 'x-forwarded-for';
const COUNTRY = 'cf-ipcountry';
const CONTENT_LENGTH = 'content-length';
const CONTENT_TYPE = 'content-type';

/** Request headers behind the viewer's columns that the instrumentation does not record by itself. */
export const TRACKED_REQUEST_HEADERS = [FORWARDED_FOR, COUNTRY];
export const TRACKED_RESPONSE_HEADERS = [CONTENT_LENGTH, CONTENT_TYPE];

// The attribute keys instrumentation-http's headersToSpanAttributes would write, built once: it builds each
// key anew for every request, and V8 then has to look the new string up in its string table.
const FORWARDED_FOR_KEY = `${REQUEST_HEADER_PREFIX}${FORWARDED_FOR}`;
const COUNTRY_KEY = `${REQUEST_HEADER_PREFIX}${COUNTRY}`;
const CONTENT_LENGTH_KEY = `${RESPONSE_HEADER_PREFIX}${CONTENT_LENGTH}`;
const CONTENT_TYPE_KEY = `${RESPONSE_HEADER_PREFIX}${CONTENT_TYPE}`;

const NO_ATTRIBUTES: Attributes = Object.freeze({});

/*
 * Express gives every response object a hidden class of its own (it swaps the
 * prototype per request), so each method or getter looked up on a response
 * misses V8's inline caches and walks the prototype chain: about a
 * microsecond per lookup in the benchmark's server. Node's own functions,
 * looked up once here and called on the response, skip that walk.
 */
const getHeader = OutgoingMessage.prototype.getHeader;
const writableFinished = getterOf(OutgoingMessage.prototype, 'writableFinished');

function getterOf(prototype: object, name: string): ((this: OutgoingMessage) => unknown) | undefined {
  const getter: unknown = Object.getOwnPropertyDescriptor(prototype, name)?.get;
  return typeof getter === 'function' ? (getter as (this: OutgoingMessage) => unknown) : undefined;
}

/** Whether all of the response went out (Node's `writableFinished`). */
function isFinished(response: ServerResponse): boolean {
  return writableFinished === undefined ? response.writableFinished : writableFinished.call(response) === true;
}

/** Node's own record of what a response announced (internal fields, so each is checked before use). */
interface SentResponse {
  _contentLength?: unknown;
  _hasBody?: unknown;
  chunkedEncoding?: unknown;
  _header?: unknown;
}

/**
 * Headers given only to `writeHead(status, headers)` (Fastify does so) never
 * reach getHeader(). Node notes the length it announced in `_contentLength`
 * (a number once a Content-Length went out, or one it added for `end(body)`),
 * which costs one read; where that note could be misread (no body, chunked),
 * the header block Node sent, `_header`, is searched instead.
 */
function sentContentLength(response: ServerResponse): number | string | undefined {
  const sent = response as unknown as SentResponse;
  const announced = sent._contentLength;
  if (typeof announced === 'number' && sent._hasBody === true && sent.chunkedEncoding === false) return announced;
  const block = sent._header;
  if (typeof block !== 'string') return undefined;
  return /\r\ncontent-length:[ \t]*(\d+)[ \t]*\r\n/i.exec(block)?.[1];
}

/** A header as instrumentation-http records it: always an array. */
function headerAttribute(value: OutgoingHttpHeader): string[] | number[] {
  if (typeof value === 'number') return [value];
  return typeof value === 'string' ? [value] : value;
}

/** At the span's start, so that active tasks show them too. */
function captureRequestHeaders(request: IncomingMessage): Attributes {
  // Read once: IncomingMessage builds its headers object behind a getter.
  const headers = request.headers;
  const forwardedFor = headers[FORWARDED_FOR];
  const country = headers[COUNTRY];
  if (forwardedFor === undefined && country === undefined) return NO_ATTRIBUTES;
  const attributes: Attributes = {};
  if (forwardedFor !== undefined) attributes[FORWARDED_FOR_KEY] = typeof forwardedFor === 'string' ? [forwardedFor] : forwardedFor;
  if (country !== undefined) attributes[COUNTRY_KEY] = typeof country === 'string' ? [country] : country;
  return attributes;
}

/** At the end of a server span: the response headers, and whether the response was abandoned. */
function captureResponse(span: Span, _request: ClientRequest | IncomingMessage, response: IncomingMessage | ServerResponse): void {
  if (!(response instanceof ServerResponse)) return; // a client span's response
  if (!isFinished(response)) span.setAttribute(ATTR_RESPONSE_INCOMPLETE, true);
  const length = getHeader.call(response, CONTENT_LENGTH);
  if (length !== undefined) {
    span.setAttribute(CONTENT_LENGTH_KEY, headerAttribute(length));
  } else if (response.headersSent) {
    const sent = sentContentLength(response);
    if (sent !== undefined) span.setAttribute(CONTENT_LENGTH_KEY, headerAttribute(sent));
  }
  const type = getHeader.call(response, CONTENT_TYPE);
  if (type !== undefined) span.setAttribute(CONTENT_TYPE_KEY, headerAttribute(type));
}

/**
 * Options for `new HttpInstrumentation(...)` that give every viewer column its
 * data: the forwarded-for and country request headers, the response's length
 * and type, and a mark on responses the client abandoned (so they show no
 * status code instead of the 200 Node presets). The four headers are recorded
 * as `headersToSpanAttributes` would record them, at a fraction of its cost;
 * headers in `extra` go through `headersToSpanAttributes`. Merge the options
 * with your own; if you have your own `startIncomingSpanHook` or
 * `applyCustomAttributesOnSpan`, call these from yours.
 */
export function httpInstrumentationConfig(
  extra: { requestHeaders?: string[]; responseHeaders?: string[] } = {},
): TrackingHttpInstrumentationConfig {
  const requestHeaders = extra.requestHeaders ?? [];
  const responseHeaders = extra.responseHeaders ?? [];
  return {
    startIncomingSpanHook: captureRequestHeaders,
    applyCustomAttributesOnSpan: captureResponse,
    ...(requestHeaders.length + responseHeaders.length > 0
      ? { headersToSpanAttributes: { server: { requestHeaders, responseHeaders } } }
      : {}),
  };
}
