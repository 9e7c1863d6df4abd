import type { OutgoingHttpHeader } from 'node:http';

/** The headers the http hooks capture, by the lower-case names Node and the task mapping use. */
export const FORWARDED_FOR = 'x-forwarded-for';
export const COUNTRY = 'cf-ipcountry';
export const CONTENT_LENGTH = 'content-length';
export const CONTENT_TYPE = 'content-type';

/** The request headers behind the viewer's IP and country columns, as Node parsed them. */
export interface CapturedRequest {
  forwardedFor: string | string[] | undefined;
  country: string | string[] | undefined;
}

/** What the viewer's columns need of a response, as the response hook found it. */
export interface CapturedResponse {
  /** The client went away before the response finished. */
  incomplete: boolean;
  contentLength: OutgoingHttpHeader | undefined;
  contentType: OutgoingHttpHeader | undefined;
  /**
   * The header block Node sent, when the headers went only to `writeHead`
   * and the length or type is not known otherwise: searched only when a task
   * is built, never on the request path.
   */
  headerBlock: string | undefined;
}

/*
 * Kept on the span under these symbols rather than as span attributes: the
 * SDK's storing of attributes was most of what capturing cost a request, and
 * these values are for otel-top's columns, not for the app's traces.
 * `Symbol.for`, so that two copies of this package in one app still read each
 * other's captures.
 */
const CAPTURED_REQUEST = Symbol.for('otel-top.captured-request');
const CAPTURED_RESPONSE = Symbol.for('otel-top.captured-response');

interface CapturingSpan {
  [CAPTURED_REQUEST]?: CapturedRequest;
  [CAPTURED_RESPONSE]?: CapturedResponse;
}

const CONTENT_LENGTH_IN_BLOCK = /\r\ncontent-length:[ \t]*(\d+)[ \t]*\r\n/i;
const CONTENT_TYPE_IN_BLOCK = /\r\ncontent-type:[ \t]*([^\r\n]*?)[ \t]*\r\n/i;

export function keepCapturedRequest(span: object, captured: CapturedRequest): void {
  (span as CapturingSpan)[CAPTURED_REQUEST] = captured;
}

export function keepCapturedResponse(span: object, captured: CapturedResponse): void {
  (span as CapturingSpan)[CAPTURED_RESPONSE] = captured;
}

export function capturedRequest(span: object): CapturedRequest | undefined {
  return (span as CapturingSpan)[CAPTURED_REQUEST];
}

export function capturedResponse(span: object): CapturedResponse | undefined {
  return (span as CapturingSpan)[CAPTURED_RESPONSE];
}

/** The response's length and type, from its header block where the hook could not tell them. */
export function responseHeaderValues(captured: CapturedResponse): { contentLength?: OutgoingHttpHeader; contentType?: OutgoingHttpHeader } {
  const block = captured.headerBlock;
  return {
    contentLength: captured.contentLength ?? (block === undefined ? undefined : CONTENT_LENGTH_IN_BLOCK.exec(block)?.[1]),
    contentType: captured.contentType ?? (block === undefined ? undefined : CONTENT_TYPE_IN_BLOCK.exec(block)?.[1]),
  };
}
