import type { Sampler, SpanProcessor } from '@opentelemetry/sdk-trace-base';
// NodeSDK's own environment handling. Not in its public entry point, but it is the behaviour we must keep:
// NodeSDK ignores OTEL_TRACES_EXPORTER and OTEL_TRACES_SAMPLER once it is given span processors or a sampler.
import { createSamplerFromEnv } from '@opentelemetry/sdk-node/build/src/create-from-env';
import { getSpanProcessorsFromEnv } from '@opentelemetry/sdk-node/build/src/utils';
import type { OtelExportChoice } from './types';

const OTLP_ENDPOINTS = {
  traces: ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
  metrics: ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'],
  logs: ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'],
};

/**
 * The standard OTEL_* variables, read as NodeSDK reads them, with one
 * difference: a signal whose exporter variable is unset is exported over
 * OTLP only when an OTLP endpoint is configured. NodeSDK would default to
 * OTLP on localhost; an app that never asked for telemetry export should not
 * start sending it because it is now tracked.
 */
export class OtelEnvironment {
  /**
   * @param env The variables that decide whether each signal is exported. The exporters and the sampler
   * themselves are built by NodeSDK's own code, which reads `process.env`.
   */
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** OTEL_SDK_DISABLED=true turns everything off, tracking included, as it does for NodeSDK. */
  get disabled(): boolean {
    return (this.env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true';
  }

  exportChoice(): OtelExportChoice {
    return {
      traces: this.wants('OTEL_TRACES_EXPORTER', OTLP_ENDPOINTS.traces),
      metrics: this.wants('OTEL_METRICS_EXPORTER', OTLP_ENDPOINTS.metrics),
      logs: this.wants('OTEL_LOGS_EXPORTER', OTLP_ENDPOINTS.logs),
    };
  }

  /** The trace export processors NodeSDK would have built from the environment (none when not asked for). */
  traceExportProcessors(): SpanProcessor[] {
    return this.exportChoice().traces ? getSpanProcessorsFromEnv(undefined) : [];
  }

  /** OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, or undefined for the SDK default (parent-based always-on). */
  sampler(): Sampler | undefined {
    return createSamplerFromEnv();
  }

  private wants(exporterVariable: string, endpointVariables: string[]): boolean {
    const exporters = (this.env[exporterVariable] ?? '').trim();
    if (exporters !== '') return true;
    return endpointVariables.some((name) => (this.env[name] ?? '').trim() !== '');
  }
}
