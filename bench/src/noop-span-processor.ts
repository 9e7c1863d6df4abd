import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** The baseline: spans are created and recorded as usual, and go nowhere. */
export class NoopSpanProcessor implements SpanProcessor {
  onStart(): void {}

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
