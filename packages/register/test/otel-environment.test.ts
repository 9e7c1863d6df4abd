import { expect } from 'chai';
import { OtelEnvironment } from '../src';

describe('OtelEnvironment: which exports the OTEL_* variables ask for', () => {
  it('asks for none when nothing is configured, unlike a bare NodeSDK that defaults to OTLP on localhost', () => {
    expect(new OtelEnvironment({}).exportChoice()).to.deep.equal({ traces: false, metrics: false, logs: false });
    expect(new OtelEnvironment({}).traceExportProcessors()).to.deep.equal([]);
  });

  it('takes a general OTLP endpoint as asking for every signal, and a signal endpoint for that signal', () => {
    expect(new OtelEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).exportChoice()).to.deep.equal({
      traces: true,
      metrics: true,
      logs: true,
    });
    expect(new OtelEnvironment({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://collector:4318/v1/logs' }).exportChoice()).to.deep.equal({
      traces: false,
      metrics: false,
      logs: true,
    });
  });

  it("leaves an explicit exporter list, 'none' included, to NodeSDK's own handling", () => {
    const environment = new OtelEnvironment({ OTEL_TRACES_EXPORTER: 'console', OTEL_METRICS_EXPORTER: 'none' });
    expect(environment.exportChoice()).to.deep.equal({ traces: true, metrics: true, logs: false });
  });

  it('is disabled by OTEL_SDK_DISABLED=true only', () => {
    expect(new OtelEnvironment({ OTEL_SDK_DISABLED: 'TRUE' }).disabled).to.equal(true);
    expect(new OtelEnvironment({ OTEL_SDK_DISABLED: 'false' }).disabled).to.equal(false);
    expect(new OtelEnvironment({}).disabled).to.equal(false);
  });
});
