import { countryFlag } from './country-flag';
import { decodeOpenSpans, encodeOpenSpan, OpenSpan } from './open-span';
import { decodeTaskFields, decodeWireValue, parseWireObject, Task, TASK_WIRE_FIELDS, TaskFields, TaskWire, wireTime } from './task';
import { decodeHeaders, decodeInteger, decodeParams, decodeString, WireField, wireField } from './wire-field';

/** A header as the wire holds it: [name, value]; a name may repeat. */
export type HeaderPair = [string, string];

export interface HTTPTaskFields extends TaskFields {
  protocol: string | null;
  host: string | null;
  method: string | null;
  path: string | null;
  params: Record<string, string | string[]> | null;
  uri: string | null;
  /** The direct TCP peer. */
  clientIpAddress: string | null;
  /** Names in upper case. */
  requestHeaders: HeaderPair[] | null;
  statusCode: number | null;
  /** For example `200 OK`. */
  statusMessage: string | null;
  responseHeaders: HeaderPair[] | null;
  /**
   * While the request runs: the spans inside it that have not ended, outermost
   * first (each before the spans inside it, siblings in start order). An empty
   * list: nothing inside is open, the request runs its own code. Null on a
   * completed task, and from writers that do not follow spans.
   */
  openSpans: OpenSpan[] | null;
}

export const HTTP_TASK_WIRE_FIELDS: ReadonlyArray<WireField<HTTPTaskFields>> = [
  ...TASK_WIRE_FIELDS,
  wireField('protocol', 'protocol', decodeString),
  wireField('host', 'host', decodeString),
  wireField('method', 'method', decodeString),
  wireField('path', 'path', decodeString),
  wireField('params', 'params', decodeParams),
  wireField('uri', 'uri', decodeString),
  wireField('clientIpAddress', 'client_ip_address', decodeString),
  wireField('requestHeaders', 'request_headers', decodeHeaders),
  wireField('statusCode', 'status_code', decodeInteger),
  wireField('statusMessage', 'status_message', decodeString),
  wireField('responseHeaders', 'response_headers', decodeHeaders),
  wireField('openSpans', 'open_spans', decodeOpenSpans),
];

function findHeader(headers: HeaderPair[] | null, name: string): string | undefined {
  if (headers === null) return undefined;
  const wanted = name.toLowerCase();
  for (const [headerName, value] of headers) {
    if (headerName.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** An incoming HTTP request, as the Python Top Framework's HTTPTask. */
export class HTTPTask extends Task implements HTTPTaskFields {
  protocol: string | null = null;
  host: string | null = null;
  method: string | null = null;
  path: string | null = null;
  params: Record<string, string | string[]> | null = null;
  uri: string | null = null;
  clientIpAddress: string | null = null;
  requestHeaders: HeaderPair[] | null = null;
  statusCode: number | null = null;
  statusMessage: string | null = null;
  responseHeaders: HeaderPair[] | null = null;
  openSpans: OpenSpan[] | null = null;

  constructor(fields: Partial<HTTPTaskFields> = {}) {
    super();
    Object.assign(this, fields);
  }

  /**
   * Decodes any task from JSON text or a parsed object. Unknown keys are
   * ignored; a plain Task decodes with its HTTP fields null. Throws
   * TaskDecodeError naming the field when a field has the wrong type.
   */
  static override fromJSON(input: string | unknown): HTTPTask {
    const task = new HTTPTask();
    const wire = parseWireObject(input);
    // The fields of HTTP_TASK_WIRE_FIELDS, spelled out for speed as in decodeTaskFields.
    decodeTaskFields(task, wire);
    task.protocol = decodeWireValue(wire.protocol, 'protocol', decodeString);
    task.host = decodeWireValue(wire.host, 'host', decodeString);
    task.method = decodeWireValue(wire.method, 'method', decodeString);
    task.path = decodeWireValue(wire.path, 'path', decodeString);
    task.params = decodeWireValue(wire.params, 'params', decodeParams);
    task.uri = decodeWireValue(wire.uri, 'uri', decodeString);
    task.clientIpAddress = decodeWireValue(wire.client_ip_address, 'client_ip_address', decodeString);
    task.requestHeaders = decodeWireValue(wire.request_headers, 'request_headers', decodeHeaders);
    task.statusCode = decodeWireValue(wire.status_code, 'status_code', decodeInteger);
    task.statusMessage = decodeWireValue(wire.status_message, 'status_message', decodeString);
    task.responseHeaders = decodeWireValue(wire.response_headers, 'response_headers', decodeHeaders);
    task.openSpans = decodeWireValue(wire.open_spans, 'open_spans', decodeOpenSpans);
    return task;
  }

  override toJSON(): TaskWire {
    // Spelled out rather than spread from Task's: a single literal is what makes encoding fast.
    const wire: TaskWire = {
      task_id: this.taskId ?? null,
      task_name: this.taskName ?? null,
      host_name: this.hostName ?? null,
      process_id: this.processId ?? null,
      thread_id: this.threadId ?? null,
      process_internal_id: this.processInternalId ?? null,
      processor_name: this.processorName ?? null,
      started_at: wireTime(this.startedAt),
      updated_at: wireTime(this.updatedAt),
      ended_at: wireTime(this.endedAt),
      recorded_successfully: this.recordedSuccessfully ?? null,
      tags: this.tags ?? null,
      command_line: this.commandLine ?? null,
      protocol: this.protocol ?? null,
      host: this.host ?? null,
      method: this.method ?? null,
      path: this.path ?? null,
      params: this.params ?? null,
      uri: this.uri ?? null,
      client_ip_address: this.clientIpAddress ?? null,
      request_headers: this.requestHeaders ?? null,
      status_code: this.statusCode ?? null,
      status_message: this.statusMessage ?? null,
      response_headers: this.responseHeaders ?? null,
    };
    // Only while there are some: completed tasks stay exactly what they were, byte for byte.
    if (this.openSpans !== null && this.openSpans !== undefined) wire.open_spans = this.openSpans.map(encodeOpenSpan);
    return wire;
  }

  /** The first request header of that name, compared case-insensitively. */
  getSingleRequestHeader(name: string): string | undefined {
    return findHeader(this.requestHeaders, name);
  }

  /** The first response header of that name, compared case-insensitively. */
  getSingleResponseHeader(name: string): string | undefined {
    return findHeader(this.responseHeaders, name);
  }

  /** The Host header, else the host the request was addressed to. */
  getHost(): string | undefined {
    return this.getSingleRequestHeader('Host') ?? this.host ?? undefined;
  }

  getUserAgent(): string | undefined {
    return this.getSingleRequestHeader('User-Agent');
  }

  /** The Content-Length response header as a number; undefined when absent or not an integer. */
  getContentLength(): number | undefined {
    const value = this.getSingleResponseHeader('Content-Length')?.trim();
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
  }

  /** Two-letter country code from Cloudflare's CF-IPCountry request header. */
  getIpCountry(): string | undefined {
    return this.getSingleRequestHeader('CF-IPCountry');
  }

  getFlag(): string | undefined {
    return countryFlag(this.getIpCountry());
  }

  /** The first X-Forwarded-For entry (the original client), else the direct peer. */
  getOriginalIp(): string | undefined {
    const first = this.getSingleRequestHeader('X-Forwarded-For')?.split(',')[0]?.trim();
    return first || (this.clientIpAddress ?? undefined);
  }
}
