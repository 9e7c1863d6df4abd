import { Context, diag, isSpanContextValid, SpanKind, trace } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_ROUTE, SEMATTRS_HTTP_METHOD } from '@opentelemetry/semantic-conventions';
import { positiveInteger, TaskExporter } from '@otel-top/model';
import { InFlightRequests } from './in-flight-requests';
import { RequestSpans } from './request-spans';
import { SpanTask } from './span-task';
import { SpanTaskMapper } from './span-task-mapper';
import {
  DEFAULT_MAX_OPEN_SPANS,
  DEFAULT_MAX_OPEN_SPANS_PER_REQUEST,
  HttpTaskSpanProcessorConfig,
  OpenSpanCounts,
} from './types';

/**
 * Most requests tracked at once. A span that is never ended would otherwise
 * stay in flight forever; past this many, the oldest is forgotten.
 */
const MAX_TRACKED_SPANS = 100_000;

/** A span as the processor marks it (see `taskKey`). */
interface MarkedSpan {
  [key: symbol]: SpanTask | undefined;
}

/**
 * Tracks every incoming HTTP request as a task: active from the start of its
 * outermost SERVER span, completed at its end. While it runs, the spans
 * started inside it (database, cache, outbound calls, ...) are followed until
 * they end, so the task shows what the request waits on. `onStart` and
 * `onEnd` only mark spans and hand tasks to the exporter's queue; they do no
 * I/O, build no JSON and never throw into the SDK.
 */
export class HttpTaskSpanProcessor implements SpanProcessor {
  private readonly exporter: TaskExporter;
  private readonly mapper: SpanTaskMapper;
  /** The task of every request in flight, oldest first: what bounds how many are held. */
  private readonly inFlight = new InFlightRequests<SpanTask>();
  /**
   * The property that marks a request's server span, and every span followed
   * inside it, with the request's task: finding a span's request is one
   * property read. Keyed by span in a Map or WeakMap instead, every span would
   * need an identity hash and its entries would keep the garbage collector
   * busy, several times the CPU per span inside. One symbol per processor, so
   * two processors in one provider keep apart; a mark is cleared by setting it
   * to undefined, since deleting a property slows every later use of the span.
   */
  private readonly taskKey = Symbol('otel-top request task');
  private readonly maxOpenSpansPerRequest: number;
  private readonly maxOpenSpans: number;
  private openSpans = 0;
  private overRequestCap = 0;
  private overTotalCap = 0;
  private errors = 0;
  private forgotten = 0;

  constructor(config: HttpTaskSpanProcessorConfig) {
    const { exporter, maxOpenSpansPerRequest, maxOpenSpans, ...mapping } = config;
    this.exporter = exporter;
    this.mapper = new SpanTaskMapper(mapping);
    this.maxOpenSpansPerRequest =
      maxOpenSpansPerRequest === 0
        ? 0
        : positiveInteger(maxOpenSpansPerRequest, 'maxOpenSpansPerRequest', DEFAULT_MAX_OPEN_SPANS_PER_REQUEST);
    this.maxOpenSpans = positiveInteger(maxOpenSpans, 'maxOpenSpans', DEFAULT_MAX_OPEN_SPANS);
    // Starts are read from this list when written, so the exporter keeps no queue of them.
    exporter.readInFlightFrom?.(this.inFlight);
  }

  /** How many internal errors were swallowed to keep them away from the app. */
  get errorCount(): number {
    return this.errors;
  }

  /** Spans followed inside requests now, and those not followed because of the caps. */
  get openSpanCounts(): OpenSpanCounts {
    return { open: this.openSpans, overRequestCap: this.overRequestCap, overTotalCap: this.overTotalCap };
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      if (span.kind === SpanKind.SERVER && this.startRequest(span, parentContext)) return;
      // Any other span: inside a tracked request when its parent is the request's span or an open span followed in it.
      const parent = trace.getSpan(parentContext);
      if (parent === undefined) return;
      const task = this.taskOf(parent);
      if (task !== undefined) this.follow(span, task, parentContext);
    } catch (error) {
      this.reportError('onStart', error);
    }
  }

  onEnd(span: ReadableSpan): void {
    try {
      const task = this.taskOf(span);
      if (task === undefined) return;
      this.mark(span, undefined);
      if (task.span === span) {
        this.inFlight.remove(task);
        this.forgetInside(task);
        this.exporter.taskEnded(task);
        return;
      }
      // Followed, so `inside` is set.
      task.inside?.remove(span);
      this.openSpans--;
      this.exporter.taskUpdated?.(task);
    } catch (error) {
      this.reportError('onEnd', error);
    }
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  /** Starts a task when the span is a request's outermost HTTP server span; false for any other server span. */
  private startRequest(span: Span, parentContext: Context): boolean {
    const attributes = span.attributes;
    if (attributes[ATTR_HTTP_REQUEST_METHOD] === undefined && attributes[SEMATTRS_HTTP_METHOD] === undefined) return false;
    // Only the outermost server span of a request: frameworks that open their own SERVER span nest it under node:http's.
    const parent = trace.getSpanContext(parentContext);
    // isRemote first: the validity check runs two regular expressions, and a request's parent is mostly its remote caller.
    if (parent !== undefined && !parent.isRemote && isSpanContextValid(parent)) return false;
    const task = new SpanTask(span, this.mapper);
    if (this.inFlight.size >= MAX_TRACKED_SPANS) this.forgetOldest();
    this.inFlight.add(task);
    this.mark(span, task);
    this.exporter.taskStarted(task);
    return true;
  }

  /** A span started inside the task's request: take the route it names, and follow it while the caps allow. */
  private follow(span: Span, task: SpanTask, parentContext: Context): void {
    let inside = task.inside;
    if (inside === undefined) inside = task.inside = new RequestSpans();
    let changed = false;
    const route = span.attributes[ATTR_HTTP_ROUTE];
    if (typeof route === 'string' && route !== '' && route !== inside.childRoute) {
      inside.childRoute = route;
      changed = true;
    }
    if (inside.rpcMetadata === undefined) {
      // instrumentation-http puts it in the context of everything inside the request; frameworks fill in its route.
      const metadata = getRPCMetadata(parentContext);
      if (metadata !== undefined && (metadata.span as object) === task.span) inside.rpcMetadata = metadata;
    }
    if (inside.open.length >= this.maxOpenSpansPerRequest) {
      this.overRequestCap++;
    } else if (this.openSpans >= this.maxOpenSpans) {
      this.overTotalCap++;
    } else {
      inside.open.push(span);
      this.mark(span, task);
      this.openSpans++;
      changed = true;
    }
    if (changed) this.exporter.taskUpdated?.(task);
  }

  /** The request ended or is forgotten: so are the spans followed inside it, still open or not; their ends find nothing. */
  private forgetInside(task: SpanTask): void {
    const inside = task.inside;
    if (inside === undefined || inside.open.length === 0) return;
    for (const span of inside.open) this.mark(span, undefined);
    this.openSpans -= inside.open.length;
    inside.open.length = 0;
  }

  private forgetOldest(): void {
    const oldest = this.inFlight.removeOldest();
    if (oldest !== undefined) {
      this.mark(oldest.span, undefined);
      this.forgetInside(oldest);
    }
    if (this.forgotten++ === 0) {
      diag.warn(
        `otel-top: more than ${MAX_TRACKED_SPANS} HTTP server spans in flight; the oldest are no longer tracked (spans never ended?)`,
      );
    }
  }

  private taskOf(span: object): SpanTask | undefined {
    return (span as MarkedSpan)[this.taskKey];
  }

  private mark(span: object, task: SpanTask | undefined): void {
    (span as MarkedSpan)[this.taskKey] = task;
  }

  private reportError(where: string, error: unknown): void {
    // Logged once: a failing tracker must not flood the app's logs on every request.
    if (this.errors++ === 0) {
      diag.error(`otel-top: HttpTaskSpanProcessor.${where} failed; tracking skips such spans, the app is not affected`, error);
    }
  }
}
