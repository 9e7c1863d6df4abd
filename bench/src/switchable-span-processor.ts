import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * A span processor that can be switched off and on inside one running
 * server, so that tracking on and off are compared in the same process:
 * separate server processes of identical code differed by up to ±10% per
 * pair on this VM, more than the cost being measured. Only starts are gated;
 * ends always go through, and the processor ignores the ends of spans it
 * never saw.
 */
export class SwitchableSpanProcessor implements SpanProcessor {
  enabled = true;

  constructor(private readonly processor: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    if (this.enabled) this.processor.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.processor.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.processor.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.processor.shutdown();
  }
}
