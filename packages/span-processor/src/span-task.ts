import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { HTTPTask, InFlightTask, TaskOutcome } from '@otel-top/model';
import type { InFlightLinks } from './in-flight-requests';
import type { RequestSpans } from './request-spans';
import type { SpanTaskMapper } from './span-task-mapper';

/**
 * The task of one HTTP server span. Holds only the span (and what is known
 * of the spans inside it): the task is built when the exporter writes it, so
 * late attributes (status, route) and the spans open at that moment are in it.
 */
export class SpanTask implements InFlightTask, InFlightLinks<SpanTask> {
  private id: string | undefined;
  /** Set at the first span started inside the request. */
  inside: RequestSpans | undefined = undefined;
  /** Its neighbours in the processor's `InFlightRequests`, while it is in flight. */
  older: SpanTask | undefined = undefined;
  newer: SpanTask | undefined = undefined;
  startSeq = 0;
  inFlightList: object | undefined = undefined;

  constructor(
    readonly span: ReadableSpan,
    private readonly mapper: SpanTaskMapper,
  ) {}

  get processorId(): string {
    this.id ??= this.mapper.processorId(this.span.spanContext().spanId);
    return this.id;
  }

  /** From the span's start time: read only for the few tasks an exporter looks at before writing them. */
  get startedAtMillis(): number {
    const [seconds, nanos] = this.span.startTime;
    return seconds * 1000 + nanos / 1e6;
  }

  snapshot(): HTTPTask {
    return this.mapper.toTask(this.span, this.span.ended, this.inside);
  }

  outcome(): TaskOutcome {
    return this.mapper.outcome(this.span, this.inside);
  }
}
