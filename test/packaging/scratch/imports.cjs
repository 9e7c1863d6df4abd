// Every published entry point loads with require(), with the names the READMEs use.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- checks require() itself */
const names = {
  '@otel-top/model': ['HTTPTask', 'Task', 'encodeTask', 'trackingTableKeys'],
  '@otel-top/span-processor': ['HttpTaskSpanProcessor', 'httpInstrumentationConfig', 'TrackingSampler'],
  '@otel-top/redis-exporter': ['RedisTaskExporter', 'RedisTaskReader'],
  '@otel-top/memory-exporter': ['MemoryTaskExporter', 'TrackerRequestHandler', 'HttpTaskReader'],
  '@otel-top/register/start': ['TrackingSdk'],
};
const missing = [];
for (const [name, exported] of Object.entries(names)) {
  const module = require(name);
  for (const key of exported) if (typeof module[key] !== 'function') missing.push(`${name}.${key}`);
}
console.log(JSON.stringify({ missing }));
