// Every published entry point loads with import, named exports included.
import { HTTPTask, Task, encodeTask, trackingTableKeys } from '@otel-top/model';
import { HttpTaskSpanProcessor, httpInstrumentationConfig, TrackingSampler } from '@otel-top/span-processor';
import { RedisTaskExporter, RedisTaskReader } from '@otel-top/redis-exporter';
import { MemoryTaskExporter, TrackerRequestHandler, HttpTaskReader } from '@otel-top/memory-exporter';
import { TrackingSdk } from '@otel-top/register/start';
import { WebViewHandler, ExporterTaskReader } from '@otel-top/web';
import { LiveViewModel } from '@otel-top/cli/view-model';

const loaded = {
  HTTPTask, Task, encodeTask, trackingTableKeys, HttpTaskSpanProcessor, httpInstrumentationConfig, TrackingSampler,
  RedisTaskExporter, RedisTaskReader, MemoryTaskExporter, TrackerRequestHandler, HttpTaskReader, TrackingSdk,
  WebViewHandler, ExporterTaskReader, LiveViewModel,
};
console.log(JSON.stringify({ missing: Object.keys(loaded).filter((name) => typeof loaded[name] !== 'function') }));
