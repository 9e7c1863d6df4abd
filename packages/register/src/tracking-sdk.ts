import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOnSampler, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { TaskExporter } from '@otel-top/model';
import { RedisTaskExporter } from '@otel-top/redis-exporter';
import { HttpTaskSpanProcessor, TrackingSampler } from '@otel-top/span-processor';
import { appInstrumentations, defaultAppDirectories } from './app-instrumentations';
import { OtelEnvironment } from './otel-environment';
import type { TrackingSdkConfig } from './types';

/**
 * The OpenTelemetry Node SDK, set up so that every incoming HTTP request is
 * tracked: the http instrumentation (or the app's auto-instrumentations)
 * with the options every viewer column needs, HttpTaskSpanProcessor with a
 * Redis exporter, and a TrackingSampler around the configured sampler so no
 * request is hidden. The standard OTEL_* variables keep their meaning: trace
 * export configured through them goes on exactly as NodeSDK would do it.
 */
export class TrackingSdk {
  readonly exporter: TaskExporter;
  readonly processor: HttpTaskSpanProcessor;
  private readonly sdk: NodeSDK;
  private started = false;
  private stopping: Promise<void> | undefined;

  constructor(config: TrackingSdkConfig = {}, environment: OtelEnvironment = new OtelEnvironment()) {
    if (config.exporter !== undefined) {
      this.exporter = config.exporter;
    } else {
      // Its own connection never keeps the app's process alive, whether Redis is up or down.
      this.exporter = new RedisTaskExporter();
    }
    this.processor = new HttpTaskSpanProcessor({ ...config.processor, exporter: this.exporter });
    const exports = environment.exportChoice();
    // The SDK's own default when OTEL_TRACES_SAMPLER is unset.
    const sampler = environment.sampler() ?? new ParentBasedSampler({ root: new AlwaysOnSampler() });
    this.sdk = new NodeSDK({
      // Passing processors makes NodeSDK skip OTEL_TRACES_EXPORTER, so the exporters it would have built come first.
      spanProcessors: [...environment.traceExportProcessors(), this.processor],
      sampler: new TrackingSampler(sampler),
      instrumentations:
        config.instrumentations ?? appInstrumentations(config.appDirectories ?? defaultAppDirectories(), config.headers),
      // Empty lists stop NodeSDK from defaulting to OTLP export nobody asked for.
      ...(exports.metrics ? {} : { metricReaders: [] }),
      ...(exports.logs ? {} : { logRecordProcessors: [] }),
    });
  }

  /** Registers the SDK globally and enables the instrumentations. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.sdk.start();
    // The http instrumentation patches node:http's Server.prototype when somebody require()s it after this point.
    // An ES module app started with --require imports it without require(), so it would stay untracked: require
    // both here (builtins, already in memory) so that incoming requests are tracked however the app loads them.
    /* eslint-disable @typescript-eslint/no-require-imports */
    require('node:http');
    require('node:https');
    /* eslint-enable @typescript-eslint/no-require-imports */
  }

  /** Flushes tasks and spans and stops the SDK; later calls return the same promise. */
  shutdown(): Promise<void> {
    this.stopping ??= this.sdk.shutdown();
    return this.stopping;
  }
}
