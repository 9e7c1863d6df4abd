import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { TaskExporter } from '@otel-top/model';
import type { HttpTaskSpanProcessorConfig } from '@otel-top/span-processor';

export interface TrackingSdkConfig {
  /**
   * Where tasks go. Default: a RedisTaskExporter for env TOP_TRACKER_URL
   * (else `redis://127.0.0.1:6379/0`).
   */
  exporter?: TaskExporter;
  /** Options of the HttpTaskSpanProcessor (redaction, caps, names), except the exporter. */
  processor?: Omit<HttpTaskSpanProcessorConfig, 'exporter'>;
  /** Extra request and response headers to capture, besides those every viewer column needs. */
  headers?: { requestHeaders?: string[]; responseHeaders?: string[] };
  /**
   * Instrumentations to use instead of the default: the http instrumentation,
   * or `@opentelemetry/auto-instrumentations-node` when the app has it.
   */
  instrumentations?: Instrumentation[];
  /**
   * Where to look for the app's own `@opentelemetry/auto-instrumentations-node`.
   * Default: the directory of the main script, then the working directory.
   */
  appDirectories?: string[];
}

/** Which OTel exporters the standard OTEL_* variables ask for. */
export interface OtelExportChoice {
  /** Trace export: the processors NodeSDK would build from OTEL_TRACES_EXPORTER. */
  traces: boolean;
  /** Leave metric readers to NodeSDK's environment handling. */
  metrics: boolean;
  /** Leave log processors to NodeSDK's environment handling. */
  logs: boolean;
}
