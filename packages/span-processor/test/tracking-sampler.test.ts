import { expect } from 'chai';
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  SamplingDecision,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { HttpTaskSpanProcessor, TrackingSampler } from '../src';
import { CollectingExporter } from './collecting-exporter';

const request = { 'http.request.method': 'GET', 'url.path': '/' };

function setup(ratio: number): { tasks: CollectingExporter; exported: InMemorySpanExporter; provider: BasicTracerProvider } {
  const tasks = new CollectingExporter();
  const exported = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    sampler: new TrackingSampler(new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) })),
    spanProcessors: [new HttpTaskSpanProcessor({ exporter: tasks }), new SimpleSpanProcessor(exported)],
  });
  return { tasks, exported, provider };
}

describe('TrackingSampler', () => {
  it('tracks every request at ratio 0 and exports none of them', async () => {
    const { tasks, exported, provider } = setup(0);
    const tracer = provider.getTracer('test');
    for (let i = 0; i < 20; i++) {
      const span = tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: request });
      expect(span.spanContext().traceFlags & TraceFlags.SAMPLED).to.equal(0); // propagated as not sampled
      const child = tracer.startSpan('db', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, span));
      expect(child.isRecording()).to.equal(false); // children stay as cheap as the wrapped sampler made them
      child.end();
      span.end();
    }
    await provider.forceFlush();
    expect(tasks.ended).to.have.length(20);
    expect(exported.getFinishedSpans()).to.have.length(0);
  });

  it('keeps the wrapped decision when it samples', async () => {
    const { tasks, exported, provider } = setup(1);
    const span = provider.getTracer('test').startSpan('GET', { kind: SpanKind.SERVER, attributes: request });
    expect(span.spanContext().traceFlags & TraceFlags.SAMPLED).to.equal(TraceFlags.SAMPLED);
    span.end();
    await provider.forceFlush();
    expect(tasks.ended).to.have.length(1);
    expect(exported.getFinishedSpans()).to.have.length(1);
  });

  it('records a server span under a remote unsampled parent, but not one under a local parent', () => {
    const sampler = new TrackingSampler(new ParentBasedSampler({ root: new AlwaysOnSampler() }));
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.NONE,
      isRemote: true,
    });
    const local = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.NONE,
    });
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    expect(sampler.shouldSample(remote, traceId, 'GET', SpanKind.SERVER, request, []).decision).to.equal(SamplingDecision.RECORD);
    expect(sampler.shouldSample(local, traceId, 'GET', SpanKind.SERVER, request, []).decision).to.equal(SamplingDecision.NOT_RECORD);
    expect(sampler.shouldSample(remote, traceId, 'q', SpanKind.CONSUMER, {}, []).decision).to.equal(SamplingDecision.NOT_RECORD);
    expect(sampler.toString()).to.match(/^TrackingSampler\{ParentBased/);
  });
});
