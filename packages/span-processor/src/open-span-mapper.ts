import { Attributes, SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { OpenSpan } from '@otel-top/model';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_SERVER_ADDRESS,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  SEMATTRS_DB_CASSANDRA_TABLE,
  SEMATTRS_DB_MONGODB_COLLECTION,
  SEMATTRS_DB_OPERATION,
  SEMATTRS_DB_SQL_TABLE,
  SEMATTRS_DB_STATEMENT,
  SEMATTRS_DB_SYSTEM,
  SEMATTRS_HTTP_METHOD,
  SEMATTRS_HTTP_TARGET,
  SEMATTRS_HTTP_URL,
  SEMATTRS_MESSAGING_DESTINATION,
  SEMATTRS_NET_PEER_NAME,
} from '@opentelemetry/semantic-conventions';
import { capString } from './cap-string';
import { hrTimeToDate } from './hr-time-to-date';
import type { Redactor } from './redactor';

// Incubating in the semantic conventions (or stable only in releases newer than the range we accept);
// libraries are asked to copy such names, not import them.
const ATTR_RPC_SERVICE = 'rpc.service';
const ATTR_RPC_METHOD = 'rpc.method';
const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
const ATTR_MESSAGING_SYSTEM = 'messaging.system';
const ATTR_DB_COSMOSDB_CONTAINER = 'db.cosmosdb.container';

/** Longest span name and summary attribute, in characters: a summary, not the span. */
const MAX_SUMMARY_LENGTH = 256;
/** Longest query text read for masking; the masked text is then cut to MAX_SUMMARY_LENGTH. */
const MAX_MASKED_INPUT_LENGTH = 4 * MAX_SUMMARY_LENGTH;

const KIND_NAMES: Readonly<Record<number, string>> = {
  [SpanKind.INTERNAL]: 'INTERNAL',
  [SpanKind.SERVER]: 'SERVER',
  [SpanKind.CLIENT]: 'CLIENT',
  [SpanKind.PRODUCER]: 'PRODUCER',
  [SpanKind.CONSUMER]: 'CONSUMER',
};

/**
 * Literals in a query: quoted strings (SQL's `''` and backslash escapes; one
 * cut off at the end counts to the end) and numbers that stand alone (not the
 * `1` of `$1`, `t1` or `a.1`). Double quotes are left: in SQL they quote
 * identifiers, which say what the query touches.
 */
const LITERALS = /'(?:[^'\\]|\\.|'')*(?:'|$)|(?<![\w$.])(?:0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?!\w)/gi;

/** Query text with its string and number literals replaced by `?`, cut to `max` characters. */
export function maskQueryText(text: string, max = MAX_SUMMARY_LENGTH): string {
  // Masked before it is cut, so that a cut never leaves half a literal behind.
  const masked = text.slice(0, MAX_MASKED_INPUT_LENGTH).replace(LITERALS, '?');
  return capString(masked, max);
}

function stringAttribute(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The parent's span id: `parentSpanContext` in SDK 2.x, `parentSpanId` in 1.x. */
function parentSpanId(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId ?? (span as { parentSpanId?: string }).parentSpanId;
}

function parseUrl(url: string | undefined): URL | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Describes the open spans of a request for the wire: tree order, and a few
 * attributes each under their stable semantic-convention names, from either
 * convention generation. Runs at write time, never on the request path.
 */
export class OpenSpanMapper {
  constructor(
    private readonly redactor: Redactor,
    /** Mask query literals (with redaction on). */
    private readonly mask: boolean,
  ) {}

  /** `spans` in start order; the result outermost first: each span before the spans inside it, siblings in start order. */
  toOpenSpans(spans: Iterable<ReadableSpan>): OpenSpan[] {
    const roots: ReadableSpan[] = [];
    const inside = new Map<string, ReadableSpan[]>();
    const open = new Set<string>();
    for (const span of spans) open.add(span.spanContext().spanId);
    for (const span of spans) {
      const parent = parentSpanId(span);
      // A span whose parent has ended (or is the request itself) is outermost.
      if (parent === undefined || !open.has(parent)) {
        roots.push(span);
      } else {
        const siblings = inside.get(parent);
        if (siblings === undefined) inside.set(parent, [span]);
        else siblings.push(span);
      }
    }
    const result: OpenSpan[] = [];
    // Depth first without recursion; the stack holds the spans still to visit, the next on top.
    const stack = roots.reverse();
    while (stack.length > 0) {
      const span = stack.pop() as ReadableSpan;
      result.push(this.toOpenSpan(span));
      const children = inside.get(span.spanContext().spanId);
      if (children !== undefined) for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    return result;
  }

  private toOpenSpan(span: ReadableSpan): OpenSpan {
    return {
      spanId: span.spanContext().spanId,
      parentSpanId: parentSpanId(span) ?? null,
      name: capString(span.name, MAX_SUMMARY_LENGTH),
      kind: KIND_NAMES[span.kind] ?? String(span.kind),
      startedAt: hrTimeToDate(span.startTime),
      attributes: this.summary(span.attributes),
    };
  }

  /** The summary attributes present, stable names first, old ones as fallback. */
  private summary(attributes: Attributes): Record<string, string> {
    const summary: Record<string, string> = {};
    const put = (key: string, value: string | undefined): void => {
      if (value !== undefined) summary[key] = capString(value, MAX_SUMMARY_LENGTH);
    };

    const dbSystem = stringAttribute(attributes, ATTR_DB_SYSTEM_NAME) ?? stringAttribute(attributes, SEMATTRS_DB_SYSTEM);
    const queryText = stringAttribute(attributes, ATTR_DB_QUERY_TEXT) ?? stringAttribute(attributes, SEMATTRS_DB_STATEMENT);
    put(ATTR_DB_SYSTEM_NAME, dbSystem);
    put(
      ATTR_DB_OPERATION_NAME,
      stringAttribute(attributes, ATTR_DB_OPERATION_NAME) ??
        stringAttribute(attributes, SEMATTRS_DB_OPERATION) ??
        // Redis instrumentations of the old conventions give the command only as the statement's first word.
        (dbSystem === 'redis' && queryText !== undefined ? queryText.split(' ', 1)[0] : undefined),
    );
    put(
      ATTR_DB_COLLECTION_NAME,
      stringAttribute(attributes, ATTR_DB_COLLECTION_NAME) ??
        stringAttribute(attributes, SEMATTRS_DB_SQL_TABLE) ??
        stringAttribute(attributes, SEMATTRS_DB_MONGODB_COLLECTION) ??
        stringAttribute(attributes, SEMATTRS_DB_CASSANDRA_TABLE) ??
        stringAttribute(attributes, ATTR_DB_COSMOSDB_CONTAINER),
    );
    if (queryText !== undefined) summary[ATTR_DB_QUERY_TEXT] = this.mask ? maskQueryText(queryText) : capString(queryText, MAX_SUMMARY_LENGTH);

    const method = stringAttribute(attributes, ATTR_HTTP_REQUEST_METHOD);
    put(
      ATTR_HTTP_REQUEST_METHOD,
      method === '_OTHER'
        ? (stringAttribute(attributes, ATTR_HTTP_REQUEST_METHOD_ORIGINAL) ?? method)
        : (method ?? stringAttribute(attributes, SEMATTRS_HTTP_METHOD)),
    );
    // Parsed only for what the parts do not say; user info never leaves the process.
    const path = stringAttribute(attributes, ATTR_URL_PATH);
    const query = stringAttribute(attributes, ATTR_URL_QUERY);
    const address = stringAttribute(attributes, ATTR_SERVER_ADDRESS) ?? stringAttribute(attributes, SEMATTRS_NET_PEER_NAME);
    const url =
      path === undefined || address === undefined
        ? parseUrl(stringAttribute(attributes, ATTR_URL_FULL) ?? stringAttribute(attributes, SEMATTRS_HTTP_URL))
        : undefined;
    const target = url === undefined && path === undefined ? stringAttribute(attributes, SEMATTRS_HTTP_TARGET) : undefined;
    const targetQueryStart = target?.indexOf('?') ?? -1;
    put(ATTR_SERVER_ADDRESS, address ?? (url?.hostname || undefined));
    put(ATTR_URL_PATH, path ?? url?.pathname ?? (targetQueryStart >= 0 ? target?.slice(0, targetQueryStart) : target));
    const rawQuery =
      query ??
      (url !== undefined ? (url.search === '' ? undefined : url.search.slice(1)) : undefined) ??
      (targetQueryStart >= 0 ? target?.slice(targetQueryStart + 1) : undefined);
    if (rawQuery !== undefined && rawQuery !== '') put(ATTR_URL_QUERY, this.redactor.queryString(new URLSearchParams(rawQuery)));

    put(ATTR_RPC_SERVICE, stringAttribute(attributes, ATTR_RPC_SERVICE));
    put(ATTR_RPC_METHOD, stringAttribute(attributes, ATTR_RPC_METHOD));
    put(
      ATTR_MESSAGING_DESTINATION_NAME,
      stringAttribute(attributes, ATTR_MESSAGING_DESTINATION_NAME) ?? stringAttribute(attributes, SEMATTRS_MESSAGING_DESTINATION),
    );
    put(ATTR_MESSAGING_SYSTEM, stringAttribute(attributes, ATTR_MESSAGING_SYSTEM));
    return summary;
  }
}
