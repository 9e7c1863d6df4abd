import { Context, diag, isSpanContextValid, SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_HTTP_REQUEST_METHOD, SEMATTRS_HTTP_METHOD } from '@opentelemetry/semantic-conventions';
import type { TaskExporter } from '@otel-top/model';
import { SpanTask } from './span-task';
import { SpanTaskMapper } from './span-task-mapper';
import type { HttpTaskSpanProcessorConfig } from './types';

/**
 * Most requests tracked at once. A span that is never ended would otherwise
 * stay here forever; past this many, the oldest is forgotten.
 */
const MAX_TRACKED_SPANS = 100_000;

/**
 * Tracks every incoming HTTP request as a task: active from the start of its
 * outermost SERVER span, completed at its end. `onStart` and `onEnd` only
 * hand the span to the exporter's queue; they do no I/O, build no JSON and
 * never throw into the SDK.
 */
export class HttpTaskSpanProcessor implements SpanProcessor {
  private readonly exporter: TaskExporter;
  private readonly mapper: SpanTaskMapper;
  /**
   * Spans in flight, in start order. A Map, not a WeakMap: with a thousand
   * requests in flight, the garbage collector's work on a WeakMap's entries
   * halved how many requests per second the processor could take.
   */
  private readonly tasks = new Map<object, SpanTask>();
  private errors = 0;
  private forgotten = 0;

  constructor(config: HttpTaskSpanProcessorConfig) {
    const { exporter, ...mapping } = config;
    this.exporter = exporter;
    this.mapper = new SpanTaskMapper(mapping);
  }

  /** How many internal errors were swallowed to keep them away from the app. */
  get errorCount(): number {
    return this.errors;
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      if (span.kind !== SpanKind.SERVER) return;
      const attributes = span.attributes;
      if (attributes[ATTR_HTTP_REQUEST_METHOD] === undefined && attributes[SEMATTRS_HTTP_METHOD] === undefined) return;
      // Only the outermost server span of a request: frameworks that open their own SERVER span nest it under node:http's.
      const parent = trace.getSpanContext(parentContext);
      // isRemote first: the validity check runs two regular expressions, and a request's parent is mostly its remote caller.
      if (parent !== undefined && !parent.isRemote && isSpanContextValid(parent)) return;
      const task = new SpanTask(span, this.mapper);
      if (this.tasks.size >= MAX_TRACKED_SPANS) this.forgetOldest();
      this.tasks.set(span, task);
      this.exporter.taskStarted(task);
    } catch (error) {
      this.reportError('onStart', error);
    }
  }

  onEnd(span: ReadableSpan): void {
    try {
      const task = this.tasks.get(span);
      if (task === undefined) return;
      this.tasks.delete(span);
      this.exporter.taskEnded(task);
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

  private forgetOldest(): void {
    for (const span of this.tasks.keys()) {
      this.tasks.delete(span);
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
