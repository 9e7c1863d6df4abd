import { STATUS_CODES } from 'node:http';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { HeaderPair, HTTPTask, TaskOutcome } from '@otel-top/model';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
  SEMATTRS_HTTP_HOST,
  SEMATTRS_HTTP_METHOD,
  SEMATTRS_HTTP_RESPONSE_CONTENT_LENGTH,
  SEMATTRS_HTTP_SCHEME,
  SEMATTRS_HTTP_STATUS_CODE,
  SEMATTRS_HTTP_TARGET,
  SEMATTRS_HTTP_URL,
  SEMATTRS_HTTP_USER_AGENT,
  SEMATTRS_NET_PEER_IP,
} from '@opentelemetry/semantic-conventions';
import { capString } from './cap-string';
import {
  CONTENT_LENGTH,
  CONTENT_TYPE,
  COUNTRY,
  capturedRequest,
  capturedResponse,
  FORWARDED_FOR,
  responseHeaderValues,
} from './captured-exchange';
import { hrTimeToDate } from './hr-time-to-date';
import { OpenSpanMapper } from './open-span-mapper';
import { parseQuery, QueryEntries } from './query-entries';
import type { RequestSpans } from './request-spans';
import { NameMatcher, HttpTaskSpanProcessorConfig } from './types';
import { Redactor } from './redactor';

// Incubating in the semantic conventions; libraries are asked to copy such names, not import them.
const ATTR_HTTP_RESPONSE_BODY_SIZE = 'http.response.body.size';
/**
 * Marks a span whose client went away before the response finished, so that
 * it shows no status. Our http instrumentation config keeps that mark beside
 * the span instead; a hook of your own can set this attribute.
 */
export const ATTR_RESPONSE_INCOMPLETE = 'otel_top.response.incomplete';

/** Where the instrumentation records captured headers: the prefix, then the lower-case name. */
const REQUEST_HEADER_PREFIX = 'http.request.header.';
const RESPONSE_HEADER_PREFIX = 'http.response.header.';
/** Headers the reference reader expects at most once: repeated values are joined, never duplicated. */
const SINGLE_REQUEST_HEADERS = new Set(['HOST', 'USER-AGENT', 'CONTENT-LENGTH', 'X-FORWARDED-FOR', 'CF-IPCOUNTRY']);
const DEFAULT_TAG_ATTRIBUTES: ReadonlyArray<NameMatcher> = [/^service\./, /^deployment\./];

/** A captured-header attribute, decoded from its key once. */
interface CapturedHeaderKey {
  response: boolean;
  /** Lower case, with dashes (the old conventions write `x_forwarded_for`). */
  name: string;
}

const MAX_REMEMBERED_KEYS = 1024;

/** Fields of the process, read once: they are the same for every task. */
interface ProcessFields {
  hostName: string;
  processId: number;
  threadId: number;
  processorName: string;
  commandLine: string[];
}

function stringAttribute(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function integerAttribute(attributes: Attributes, key: string): number | undefined {
  const value = attributes[key];
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

/** Captured headers by lower-case name with dashes, in the order found. */
type CapturedHeaders = Map<string, ReadonlyArray<string>>;

/** Puts a header kept beside the span among the captured ones, as attributes would hold it. */
function setCaptured(headers: CapturedHeaders, name: string, value: string | number | string[] | undefined): void {
  if (value === undefined) return;
  headers.set(name, Array.isArray(value) ? value : [String(value)]);
}

/** Whether the client went away before the response finished, as the span is marked. */
function isIncomplete(span: ReadableSpan): boolean {
  return capturedResponse(span)?.incomplete === true || span.attributes[ATTR_RESPONSE_INCOMPLETE] === true;
}

/** The values of an attribute as strings; an array of strings is the span's own, read and never changed. */
function attributeValues(value: AttributeValue | undefined): ReadonlyArray<string> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [String(value)];
  // Captured headers are arrays of strings: most need no copy.
  if (value.every((item) => typeof item === 'string')) return value as ReadonlyArray<string>;
  return value.filter((item) => item !== null && item !== undefined).map(String);
}

/**
 * Fills an HTTPTask from an HTTP server span, for the stable HTTP semantic
 * conventions, the old ones, and both at once (docs/span-mapping.md). Runs
 * when the exporter builds a task: at write time, or, for an exporter that
 * writes every completed task anyway, at the request's end.
 */
export class SpanTaskMapper {
  private readonly process: ProcessFields;
  private readonly redactor: Redactor;
  private readonly openSpans: OpenSpanMapper;
  private readonly maxHeaderValueLength: number;
  private readonly maxUriLength: number;
  private readonly maxStringLength: number;
  private readonly maxEntries: number;
  private readonly isTagAttribute: (key: string) => boolean;
  private readonly tagsByResource = new WeakMap<object, Record<string, string>>();
  private readonly awaitedResources = new WeakSet<object>();
  /** Attribute key -> captured header it holds, or null for other attributes; bounded. */
  private readonly headerKeys = new Map<string, CapturedHeaderKey | null>();

  constructor(config: Omit<HttpTaskSpanProcessorConfig, 'exporter'> = {}) {
    const redact = config.redact ?? true;
    this.redactor = new Redactor(redact, config.redactHeaders, config.redactQueryParams);
    this.openSpans = new OpenSpanMapper(this.redactor, redact);
    this.maxHeaderValueLength = config.maxHeaderValueLength ?? 2048;
    this.maxUriLength = config.maxUriLength ?? 8192;
    this.maxStringLength = config.maxStringLength ?? 2048;
    this.maxEntries = config.maxEntries ?? 64;
    const tagMatchers = config.tagResourceAttributes ?? DEFAULT_TAG_ATTRIBUTES;
    this.isTagAttribute = (key) =>
      tagMatchers.some((matcher) => (typeof matcher === 'string' ? matcher === key : matcher.test(key)));
    this.process = {
      hostName: this.cap(config.hostName ?? hostname()),
      processId: process.pid,
      threadId,
      processorName: this.cap(config.processorName ?? `${process.pid}:${threadId === 0 ? 'main' : `thread-${threadId}`}`),
      commandLine: this.redactor.commandLine(process.argv.slice(0, this.maxEntries)).map((arg) => this.cap(arg)),
    };
  }

  /** The processors-hash field of a span's task: `{pid}-{tid}-{span id}`. */
  processorId(spanId: string): string {
    return `${this.process.processId}-${this.process.threadId}-${spanId}`;
  }

  /** `inside`: what the processor knows of the spans inside the request, if any started. */
  toTask(span: ReadableSpan, ended: boolean, inside?: RequestSpans): HTTPTask {
    const attributes = span.attributes;
    const spanContext = span.spanContext();
    const task = new HTTPTask();

    task.taskId = spanContext.spanId;
    task.processInternalId = spanContext.spanId;
    task.hostName = this.process.hostName;
    task.processId = this.process.processId;
    task.threadId = this.process.threadId;
    task.processorName = this.process.processorName;
    task.commandLine = this.process.commandLine;
    // Copied key by key: a spread followed by new keys takes a slow path in V8, many times the cost of this.
    const tags: Record<string, string> = {};
    const resourceTags = this.resourceTags(span);
    for (const key in resourceTags) tags[key] = resourceTags[key];
    tags.trace_id = spanContext.traceId;
    tags.span_id = spanContext.spanId;
    task.tags = tags;

    task.startedAt = hrTimeToDate(span.startTime);
    if (ended) {
      task.endedAt = hrTimeToDate(span.endTime);
      task.updatedAt = task.endedAt;
      task.recordedSuccessfully = true;
    } else {
      task.updatedAt = new Date();
    }

    const method = this.method(attributes);
    const target = stringAttribute(attributes, SEMATTRS_HTTP_TARGET);
    const queryStart = target?.indexOf('?') ?? -1;
    const path = stringAttribute(attributes, ATTR_URL_PATH) ?? (queryStart >= 0 ? target?.slice(0, queryStart) : target);
    const query = stringAttribute(attributes, ATTR_URL_QUERY) ?? (queryStart >= 0 ? target?.slice(queryStart + 1) : undefined);
    // The span's own route is set at its end; until then, the one a framework matched inside it.
    const route = stringAttribute(attributes, ATTR_HTTP_ROUTE) ?? inside?.route();
    const scheme = stringAttribute(attributes, ATTR_URL_SCHEME) ?? stringAttribute(attributes, SEMATTRS_HTTP_SCHEME);
    const host = this.host(attributes, scheme);

    task.method = method === undefined ? null : this.cap(method);
    task.path = path === undefined ? null : this.cap(path);
    task.taskName = method === undefined ? null : this.taskName(method, route ?? path);
    task.protocol = scheme ?? null;
    task.host = host === undefined ? null : this.cap(host);
    const base = scheme !== undefined && host !== undefined && path !== undefined ? `${scheme}://${host}${path}` : undefined;
    // Parsing the old full URL costs; only when the parts above do not already say it all.
    const oldUrl = base === undefined || query === undefined ? this.oldUrl(attributes) : undefined;
    const rawQuery = query ?? oldUrl?.query;
    // Parsed once, for both params and uri.
    const queryEntries = rawQuery === undefined ? undefined : parseQuery(rawQuery);
    task.params = queryEntries === undefined ? null : this.params(queryEntries.entries);
    task.uri = this.uri(base ?? oldUrl?.base, queryEntries);
    const peer = stringAttribute(attributes, ATTR_NETWORK_PEER_ADDRESS) ?? stringAttribute(attributes, SEMATTRS_NET_PEER_IP);
    task.clientIpAddress = peer ?? null;
    const captured = this.capturedHeaders(span, ended);
    task.requestHeaders = this.requestHeaders(attributes, captured.request, host);

    if (!ended) task.openSpans = inside === undefined ? [] : this.openSpans.toOpenSpans(inside.open);

    if (ended && !isIncomplete(span)) {
      const status =
        integerAttribute(attributes, ATTR_HTTP_RESPONSE_STATUS_CODE) ?? integerAttribute(attributes, SEMATTRS_HTTP_STATUS_CODE);
      if (status !== undefined) {
        task.statusCode = status;
        task.statusMessage = STATUS_CODES[status] === undefined ? String(status) : `${status} ${STATUS_CODES[status]}`;
      }
      task.responseHeaders = this.responseHeaders(attributes, captured.response);
    }
    return task;
  }

  /**
   * What the live counters need of an ended span, read straight from its
   * attributes: this runs on the request path, so none of toTask's work.
   */
  outcome(span: ReadableSpan, inside?: RequestSpans): TaskOutcome {
    const attributes = span.attributes;
    // Counted under the name its completed task has: the span's route, else the one matched inside it.
    let target = stringAttribute(attributes, ATTR_HTTP_ROUTE) ?? inside?.route() ?? stringAttribute(attributes, ATTR_URL_PATH);
    if (target === undefined) {
      const oldTarget = stringAttribute(attributes, SEMATTRS_HTTP_TARGET);
      const queryStart = oldTarget?.indexOf('?') ?? -1;
      target = queryStart >= 0 ? oldTarget?.slice(0, queryStart) : oldTarget;
    }
    const statusCode = isIncomplete(span)
        ? null
        : (integerAttribute(attributes, ATTR_HTTP_RESPONSE_STATUS_CODE) ?? integerAttribute(attributes, SEMATTRS_HTTP_STATUS_CODE) ?? null);
    const { duration, endTime } = span;
    return {
      name: this.taskName(this.method(attributes) ?? '', target),
      statusCode,
      durationMillis: duration[0] * 1000 + duration[1] / 1e6,
      // The SDK anchors a span's times to the wall clock at its start: the second it ended in, without reading the clock again.
      endedAtMillis: endTime[0] * 1000 + endTime[1] / 1e6,
    };
  }

  /** `METHOD route`, else `METHOD path`: how tasks are named on the wire and counted. */
  private taskName(method: string, routeOrPath: string | undefined): string {
    return this.cap(`${method} ${routeOrPath ?? ''}`.trim());
  }

  private method(attributes: Attributes): string | undefined {
    const method = stringAttribute(attributes, ATTR_HTTP_REQUEST_METHOD);
    if (method === '_OTHER') return stringAttribute(attributes, ATTR_HTTP_REQUEST_METHOD_ORIGINAL) ?? method;
    return method ?? stringAttribute(attributes, SEMATTRS_HTTP_METHOD);
  }

  /**
   * Host the request was addressed to: server.address[:port], else the old
   * http.host. The instrumentation fills in 80/443 when the Host header had
   * no port; leave those out so the value stays the header's.
   */
  private host(attributes: Attributes, scheme: string | undefined): string | undefined {
    const address = stringAttribute(attributes, ATTR_SERVER_ADDRESS);
    if (address !== undefined) {
      const port = integerAttribute(attributes, ATTR_SERVER_PORT);
      const isDefaultPort = (port === 80 && scheme === 'http') || (port === 443 && scheme === 'https');
      return port === undefined || isDefaultPort ? address : `${address}:${port}`;
    }
    return stringAttribute(attributes, SEMATTRS_HTTP_HOST);
  }

  private params(entries: Array<[string, string]>): Record<string, string | string[]> {
    const params: Record<string, string | string[]> = {};
    let count = 0;
    for (const [name, rawValue] of entries) {
      const key = this.cap(name, 256);
      const value = this.cap(this.redactor.paramValue(name, rawValue), this.maxHeaderValueLength);
      const existing = params[key];
      if (existing === undefined) {
        if (++count > this.maxEntries) break;
        params[key] = value;
      } else if (Array.isArray(existing)) {
        if (existing.length < this.maxEntries) existing.push(value);
      } else {
        params[key] = [existing, value];
      }
    }
    return params;
  }

  /** The old conventions' full URL, split; undefined when absent or unparsable. */
  private oldUrl(attributes: Attributes): { base: string; query: string | undefined } | undefined {
    const url = stringAttribute(attributes, SEMATTRS_HTTP_URL);
    if (url === undefined) return undefined;
    try {
      const parsed = new URL(url);
      // Rebuilt from parts: user info never leaves the process.
      return { base: `${parsed.protocol}//${parsed.host}${parsed.pathname}`, query: parsed.search === '' ? undefined : parsed.search.slice(1) };
    } catch {
      return undefined;
    }
  }

  /** Full URI after redaction: no user info, secret query values hidden. */
  private uri(base: string | undefined, query: QueryEntries | undefined): string | null {
    if (base === undefined) return null;
    if (query === undefined || query.entries.length === 0) return this.cap(base, this.maxUriLength);
    return this.cap(`${base}?${this.redactor.queryString(query.entries, query.plain)}`, this.maxUriLength);
  }

  private requestHeaders(attributes: Attributes, captured: CapturedHeaders, host: string | undefined): HeaderPair[] {
    const headers: HeaderPair[] = [];
    const hostHeader = captured.get('host') ?? stringAttribute(attributes, SEMATTRS_HTTP_HOST) ?? host;
    if (hostHeader !== undefined) this.addRequestHeader(headers, 'HOST', typeof hostHeader === 'string' ? [hostHeader] : hostHeader);
    const userAgent =
      stringAttribute(attributes, ATTR_USER_AGENT_ORIGINAL) ?? stringAttribute(attributes, SEMATTRS_HTTP_USER_AGENT);
    this.addRequestHeader(headers, 'USER-AGENT', captured.get('user-agent') ?? (userAgent === undefined ? [] : [userAgent]));
    for (const [name, values] of captured) {
      if (name !== 'host' && name !== 'user-agent') this.addRequestHeader(headers, name.toUpperCase(), values);
    }
    return headers;
  }

  private addRequestHeader(headers: HeaderPair[], name: string, values: ReadonlyArray<string>): void {
    if (values.length === 0 || headers.length >= this.maxEntries) return;
    if (SINGLE_REQUEST_HEADERS.has(name)) {
      headers.push([name, this.cap(this.redactor.headerValue(name, values.join(', ')), this.maxHeaderValueLength)]);
      return;
    }
    for (const value of values) {
      if (headers.length >= this.maxEntries) break;
      headers.push([name, this.cap(this.redactor.headerValue(name, value), this.maxHeaderValueLength)]);
    }
  }

  private responseHeaders(attributes: Attributes, captured: CapturedHeaders): HeaderPair[] | null {
    if (!captured.has(CONTENT_LENGTH)) {
      const length =
        integerAttribute(attributes, ATTR_HTTP_RESPONSE_BODY_SIZE) ??
        integerAttribute(attributes, SEMATTRS_HTTP_RESPONSE_CONTENT_LENGTH);
      if (length !== undefined) captured.set(CONTENT_LENGTH, [String(length)]);
    }
    if (captured.size === 0) return null;
    const headers: HeaderPair[] = [];
    for (const [name, values] of captured) {
      for (const value of name === CONTENT_LENGTH ? [values.join(', ')] : values) {
        if (headers.length >= this.maxEntries) return headers;
        headers.push([name, this.cap(this.redactor.headerValue(name, value), this.maxHeaderValueLength)]);
      }
    }
    return headers;
  }

  /**
   * Captured request and response headers by lower-case name with dashes:
   * those our http instrumentation config kept beside the span, and those
   * recorded as attributes in one pass over them (`headersToSpanAttributes`).
   * The old conventions spell `x-forwarded-for` as `x_forwarded_for`; in dup
   * mode both may appear, and the first is kept.
   */
  private capturedHeaders(span: ReadableSpan, ended: boolean): { request: CapturedHeaders; response: CapturedHeaders } {
    const request = new Map<string, ReadonlyArray<string>>();
    const response = new Map<string, ReadonlyArray<string>>();
    const keptRequest = capturedRequest(span);
    if (keptRequest !== undefined) {
      setCaptured(request, FORWARDED_FOR, keptRequest.forwardedFor);
      setCaptured(request, COUNTRY, keptRequest.country);
    }
    const keptResponse = ended ? capturedResponse(span) : undefined;
    if (keptResponse !== undefined) {
      const { contentLength, contentType } = responseHeaderValues(keptResponse);
      setCaptured(response, CONTENT_LENGTH, contentLength);
      setCaptured(response, CONTENT_TYPE, contentType);
    }
    const attributes = span.attributes;
    for (const key in attributes) {
      const header = this.headerKey(key);
      if (header === null) continue;
      const headers = header.response ? response : request;
      if (!headers.has(header.name)) headers.set(header.name, attributeValues(attributes[key]));
    }
    return { request, response };
  }

  private headerKey(key: string): CapturedHeaderKey | null {
    let header = this.headerKeys.get(key);
    if (header === undefined) {
      const response = key.startsWith(RESPONSE_HEADER_PREFIX);
      const prefix = response ? RESPONSE_HEADER_PREFIX : key.startsWith(REQUEST_HEADER_PREFIX) ? REQUEST_HEADER_PREFIX : undefined;
      header = prefix === undefined ? null : { response, name: this.cap(key.slice(prefix.length).replaceAll('_', '-').toLowerCase(), 256) };
      if (this.headerKeys.size >= MAX_REMEMBERED_KEYS) this.headerKeys.clear();
      this.headerKeys.set(key, header);
    }
    return header;
  }

  private resourceTags(span: ReadableSpan): Record<string, string> {
    const resource = span.resource;
    // Reading attributes that a detector has not settled yet logs an SDK error. NodeSDK's default
    // detectors settle only when someone asks them to, so ask once, and tag later tasks.
    if (resource.asyncAttributesPending === true) {
      if (!this.awaitedResources.has(resource)) {
        this.awaitedResources.add(resource);
        resource.waitForAsyncAttributes?.().catch(() => undefined);
      }
      return {};
    }
    let tags = this.tagsByResource.get(resource);
    if (tags === undefined) {
      tags = {};
      for (const [key, value] of Object.entries(resource.attributes)) {
        if (value !== undefined && value !== null && this.isTagAttribute(key)) {
          tags[this.cap(key)] = this.cap(Array.isArray(value) ? value.join(',') : String(value));
        }
      }
      this.tagsByResource.set(resource, tags);
    }
    return tags;
  }

  private cap(value: string, max = this.maxStringLength): string {
    return capString(value, max);
  }
}
