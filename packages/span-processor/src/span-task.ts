import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { HTTPTask, TaskOutcome, TrackedTask } from '@otel-top/model';
import type { SpanTaskMapper } from './span-task-mapper';

/**
 * The task of one HTTP server span. Holds only the span: the task is built
 * when the exporter writes it, so late attributes (status, route) are in it.
 */
export class SpanTask implements TrackedTask {
  private id: string | undefined;

  constructor(
    private readonly span: ReadableSpan,
    private readonly mapper: SpanTaskMapper,
  ) {}

  get processorId(): string {
    this.id ??= this.mapper.processorId(this.span.spanContext().spanId);
    return this.id;
  }

  snapshot(): HTTPTask {
    return this.mapper.toTask(this.span, this.span.ended);
  }

  outcome(): TaskOutcome {
    return this.mapper.outcome(this.span);
  }
}
