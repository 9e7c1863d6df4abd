import { Attributes, Context, isSpanContextValid, Link, SpanKind, trace } from '@opentelemetry/api';
import { Sampler, SamplingDecision, SamplingResult } from '@opentelemetry/sdk-trace-base';

/**
 * Wraps any sampler so that no request is hidden from otel-top: every
 * local-root SERVER span is at least recorded (span processors see it), while
 * the sampled flag, which decides what is exported and propagated, stays
 * exactly the wrapped sampler's decision.
 */
export class TrackingSampler implements Sampler {
  constructor(private readonly sampler: Sampler) {}

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const result = this.sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    if (result.decision !== SamplingDecision.NOT_RECORD || spanKind !== SpanKind.SERVER) return result;
    const parent = trace.getSpanContext(context);
    if (parent !== undefined && isSpanContextValid(parent) && !parent.isRemote) return result;
    return { ...result, decision: SamplingDecision.RECORD };
  }

  toString(): string {
    return `TrackingSampler{${this.sampler.toString()}}`;
  }
}
