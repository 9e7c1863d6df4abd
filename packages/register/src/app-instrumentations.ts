import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { httpInstrumentationConfig } from '@otel-top/span-processor';

const AUTO_INSTRUMENTATIONS = '@opentelemetry/auto-instrumentations-node';
const HTTP_INSTRUMENTATION = '@opentelemetry/instrumentation-http';

/** The part of auto-instrumentations-node we call. */
interface AutoInstrumentationsModule {
  getNodeAutoInstrumentations(config: Record<string, object>): Instrumentation[];
}

function isAutoInstrumentationsModule(value: unknown): value is AutoInstrumentationsModule {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AutoInstrumentationsModule>).getNodeAutoInstrumentations === 'function'
  );
}

/** Where the app lives: the directory of its main script, then the working directory. */
export function defaultAppDirectories(): string[] {
  const directories: string[] = [];
  const main = process.argv[1];
  if (main !== undefined && main !== '') directories.push(dirname(resolve(main)));
  directories.push(process.cwd());
  return directories;
}

/**
 * The app's own `@opentelemetry/auto-instrumentations-node`, resolved from
 * the app (it is optional and never a dependency of ours), or undefined.
 */
function findAutoInstrumentations(appDirectories: string[]): AutoInstrumentationsModule | undefined {
  for (const directory of appDirectories) {
    let path: string;
    try {
      // A require rooted in the app's directory finds what the app itself would find.
      path = createRequire(join(directory, 'noop.js')).resolve(AUTO_INSTRUMENTATIONS);
    } catch {
      continue;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded: unknown = require(path);
    if (isAutoInstrumentationsModule(loaded)) return loaded;
  }
  return undefined;
}

/**
 * The instrumentations to start: the app's auto-instrumentations when it has
 * them (with otel-top's http options merged in), else the http
 * instrumentation alone. Either way the http instrumentation captures what
 * every viewer column needs.
 */
export function appInstrumentations(
  appDirectories: string[] = defaultAppDirectories(),
  headers: { requestHeaders?: string[]; responseHeaders?: string[] } = {},
): Instrumentation[] {
  const httpConfig = httpInstrumentationConfig(headers);
  const auto = findAutoInstrumentations(appDirectories);
  // auto-instrumentations-node reads OTEL_NODE_ENABLED_INSTRUMENTATIONS / _DISABLED_ itself.
  if (auto !== undefined) return auto.getNodeAutoInstrumentations({ [HTTP_INSTRUMENTATION]: httpConfig });
  return [new HttpInstrumentation(httpConfig)];
}
