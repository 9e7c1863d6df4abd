import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TaskExporter, TrackedTask } from '@otel-top/model';
import type { TrackingHttpInstrumentationConfig } from '@otel-top/span-processor';

/** Nanoseconds spent in each part of tracking, per response, as the `timed` server measured them in place. */
export interface TrackingTimes {
  responses: number;
  requestHook: number;
  responseHook: number;
  /** All onStart calls of the request's spans (Express makes several), the exporter's taskStarted included. */
  onStart: number;
  /** All onEnd calls, the exporter's taskEnded included. */
  onEnd: number;
  taskStarted: number;
  taskEnded: number;
  /** One empty timing: what each figure above carries per timed call on top of the work itself. */
  emptyTiming: number;
  /** Timed calls per response, to scale emptyTiming by. */
  timedCallsPerResponse: number;
}

type Part = 'requestHook' | 'responseHook' | 'onStart' | 'onEnd' | 'taskStarted' | 'taskEnded' | 'emptyTiming';

/**
 * Times every part of tracking where it runs, inside a saturated server,
 * with process.hrtime.bigint() around each call. Throughput ratios on this
 * shared VM wander by several percent; these do not, so they show what each
 * part costs on the request path (the extra work the SDK does for the
 * captured attributes, the garbage collector and the writes are not in them).
 */
export class TrackingTimers {
  private nanos = TrackingTimers.zero();
  private calls = 0;
  private responses = 0;

  private static zero(): Record<Part, bigint> {
    return { requestHook: 0n, responseHook: 0n, onStart: 0n, onEnd: 0n, taskStarted: 0n, taskEnded: 0n, emptyTiming: 0n };
  }

  reset(): void {
    this.nanos = TrackingTimers.zero();
    this.calls = 0;
    this.responses = 0;
  }

  times(): TrackingTimes {
    const perResponse = (part: Part): number => Number(this.nanos[part]) / Math.max(1, this.responses);
    return {
      responses: this.responses,
      requestHook: perResponse('requestHook'),
      responseHook: perResponse('responseHook'),
      onStart: perResponse('onStart'),
      onEnd: perResponse('onEnd'),
      taskStarted: perResponse('taskStarted'),
      taskEnded: perResponse('taskEnded'),
      emptyTiming: Number(this.nanos.emptyTiming) / Math.max(1, this.responses),
      timedCallsPerResponse: this.calls / Math.max(1, this.responses),
    };
  }

  hooks(config: TrackingHttpInstrumentationConfig): TrackingHttpInstrumentationConfig {
    const { requestHook, applyCustomAttributesOnSpan } = config;
    return {
      ...config,
      requestHook: (span, request) => this.time('requestHook', () => requestHook(span, request)),
      applyCustomAttributesOnSpan: (span, request, response) => {
        this.responses++;
        // Once per response, the cost of a timing with nothing in it.
        this.time('emptyTiming', () => undefined);
        this.time('responseHook', () => applyCustomAttributesOnSpan(span, request, response));
      },
    };
  }

  processor(inner: SpanProcessor): SpanProcessor {
    return {
      onStart: (span: Span, parentContext: Context) => this.time('onStart', () => inner.onStart(span, parentContext)),
      onEnd: (span: ReadableSpan) => this.time('onEnd', () => inner.onEnd(span)),
      forceFlush: () => inner.forceFlush(),
      shutdown: () => inner.shutdown(),
    };
  }

  exporter(inner: TaskExporter): TaskExporter {
    return {
      taskStarted: (task: TrackedTask) => this.time('taskStarted', () => inner.taskStarted(task)),
      // Untimed: it is inside the processor's onStart and onEnd, which are, and the hello app has no spans inside.
      taskUpdated: (task: TrackedTask) => inner.taskUpdated?.(task),
      taskEnded: (task: TrackedTask) => this.time('taskEnded', () => inner.taskEnded(task)),
      forceFlush: () => inner.forceFlush(),
      shutdown: () => inner.shutdown(),
    };
  }

  private time<T>(part: Part, work: () => T): T {
    this.calls++;
    const start = process.hrtime.bigint();
    try {
      return work();
    } finally {
      this.nanos[part] += process.hrtime.bigint() - start;
    }
  }
}
