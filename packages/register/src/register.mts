/**
 * `node --import @otel-top/register app.mjs`: for ES module apps. Installs
 * OpenTelemetry's loader hook so that imported modules can be instrumented,
 * then starts tracking as the CommonJS entry does.
 */
import { createRequire, register } from 'node:module';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
createRequire(import.meta.url)('./register.js');
