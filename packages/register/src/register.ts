/**
 * `node --require @otel-top/register app.js`: starts the OpenTelemetry SDK
 * with otel-top's request tracking before the app loads. Configured by
 * environment only (TOP_TRACKER_URL and the standard OTEL_* variables).
 */
import { ShutdownHooks } from './shutdown-hooks';
import { TrackingSdk } from './tracking-sdk';
import { OtelEnvironment } from './otel-environment';

const STARTED = Symbol.for('@otel-top/register.started');

function startOnce(): void {
  const registry = globalThis as { [STARTED]?: boolean };
  // --require and --import together, or a second copy, must not start a second SDK.
  if (registry[STARTED] === true) return;
  registry[STARTED] = true;
  const environment = new OtelEnvironment();
  if (environment.disabled) return;
  try {
    const sdk = new TrackingSdk({}, environment);
    sdk.start();
    new ShutdownHooks(() => sdk.shutdown()).install();
  } catch (error) {
    // A failure of tracking never becomes a failure of the app: say why once, and run the app untracked.
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`otel-top: request tracking is off: ${reason}\n`);
  }
}

startOnce();
