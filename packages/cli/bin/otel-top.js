#!/usr/bin/env node
// The `otel-top` command. The published package ships build/; a source checkout has it only after a
// build, and `npm ci` builds nothing. So in a checkout without it, build the cli project (and, through
// its project references, the workspace packages it imports) first, then run. Output of the build goes to
// stderr, so that `otel-top recent --json` still prints only JSON on stdout.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(packageDir, 'build', 'src', 'bin.js');

/** Where the TypeScript compiler is, or undefined when it cannot be resolved from here. */
function findTsc() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

function fail(message) {
  process.stderr.write(`otel-top: ${message}\n`);
  process.exit(1);
}

if (!existsSync(entry)) {
  const tsc = existsSync(join(packageDir, 'src', 'bin.ts')) ? findTsc() : undefined;
  if (tsc === undefined) {
    fail(`${entry} is missing, and there is no source checkout to build it from (src/ and typescript). Reinstall @otel-top/cli.`);
  }
  process.stderr.write(`otel-top: no build yet in this checkout; building it once (tsc -b ${packageDir}) ...\n`);
  const build = spawnSync(process.execPath, [tsc, '-b', packageDir], { stdio: ['ignore', process.stderr, process.stderr] });
  if (build.status !== 0 || !existsSync(entry)) {
    fail(`the build failed (${build.error?.message ?? `exit code ${build.status ?? build.signal}`}); run \`npm run build\` at the repository root to see why.`);
  }
  process.stderr.write('otel-top: built.\n');
}

await import(pathToFileURL(entry).href);
