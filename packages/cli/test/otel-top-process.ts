import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `otel-top` command as npm links it: the package's launcher, which runs the build. */
export const OTEL_TOP_BIN = fileURLToPath(new URL('../../bin/otel-top.js', import.meta.url));

export interface OtelTopResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `otel-top` with `args` to completion, with TOP_TRACKER_URL and colour variables only as given. */
export function runOtelTop(args: readonly string[], env: Record<string, string> = {}): Promise<OtelTopResult> {
  const base = { ...process.env };
  for (const name of ['TOP_TRACKER_URL', 'NO_COLOR', 'FORCE_COLOR']) delete base[name];
  return new Promise((resolve) => {
    execFile(process.execPath, [OTEL_TOP_BIN, ...args], { env: { ...base, ...env }, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
