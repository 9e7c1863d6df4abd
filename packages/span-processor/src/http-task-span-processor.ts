import { Context, diag, isSpanContextValid, SpanKind, trace } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_ROUTE, SEMATTRS_HTTP_METHOD } from '@opentelemetry/semantic-conventions';
import { positiveInteger, TaskExporter } from '@otel-top/model';
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
 * stay here forever; past this many, the oldest is forgotten.
 */
const MAX_TRACKED_SPANS = 100_000;

/**
 * Tracks every incoming HTTP request as a task: active from the start of its
 * outermost SERVER span, completed at its end. While it runs, the spans
 * started inside it (database, cache, outbound calls, ...) are followed until
 * they end, so the task shows what the request waits on. `onStart` and
 * `onEnd` only hand spans to the exporter's queue or to a map; they do no
 * I/O, build no JSON and never throw into the SDK.
 */
export class HttpTaskSpanProcessor implements SpanProcessor {
  private readonly exporter: TaskExporter;
  private readonly mapper: SpanTaskMapper;
  /**
   * The server span of every request in flight, to its task, in start order
   * (so the oldest is first). A Map, not a WeakMap: with a thousand requests
   * in flight, the garbage collector's work on a WeakMap's entries halved how
   * many requests per second the processor could take.
   */
  private readonly spans = new Map<object, SpanTask>();
  /**
   * Every open span followed inside a request, to its request's task. A
   * WeakMap, unlike `spans`: spans inside requests come and go several times
   * per request, and as keys of a Map their churn had the garbage collector
   * promote and sweep them, seven times the CPU per span inside; a request's
   * span lives long, and there a WeakMap cost the most.
   */
  private readonly inside = new WeakMap<object, SpanTask>();
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
      const task = this.spans.get(parent) ?? this.inside.get(parent);
      if (task !== undefined) this.follow(span, task, parentContext);
    } catch (error) {
      this.reportError('onStart', error);
    }
  }

  onEnd(span: ReadableSpan): void {
    try {
      const request = this.spans.get(span);
      if (request !== undefined) {
        this.spans.delete(span);
        this.forgetInside(request);
        this.exporter.taskEnded(request);
        return;
      }
      const task = this.inside.get(span);
      if (task === undefined) return;
      this.inside.delete(span);
      // Followed, so `inside` is set.
      task.inside?.open.delete(span);
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
    if (this.spans.size >= MAX_TRACKED_SPANS) this.forgetOldest();
    this.spans.set(span, task);
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
    if (inside.open.size >= this.maxOpenSpansPerRequest) {
      this.overRequestCap++;
    } else if (this.openSpans >= this.maxOpenSpans) {
      this.overTotalCap++;
    } else {
      inside.open.add(span);
      this.inside.set(span, task);
      this.openSpans++;
      changed = true;
    }
    if (changed) this.exporter.taskUpdated?.(task);
  }

  /** The request ended or is forgotten: so are the spans followed inside it, still open or not; their ends find nothing. */
  private forgetInside(task: SpanTask): void {
    const inside = task.inside;
    if (inside === undefined || inside.open.size === 0) return;
    for (const span of inside.open) this.inside.delete(span);
    this.openSpans -= inside.open.size;
    inside.open.clear();
  }

  private forgetOldest(): void {
    for (const [span, task] of this.spans) {
      this.spans.delete(span);
      this.forgetInside(task);
      break;
    }
    if (this.forgotten++ === 0) {
      diag.warn(
        `otel-top: more than ${MAX_TRACKED_SPANS} HTTP server spans in flight; the oldest are no longer tracked (spans never ended?)`,
      );
    }
  }

  private reportError(where: string, error: unknown): void {
    // Logged once: a failing tracker must not flood the app's logs on every request.
    if (this.errors++ === 0) {
      diag.error(`otel-top: HttpTaskSpanProcessor.${where} failed; tracking skips such spans, the app is not affected`, error);
    }
  }
}
