#!/usr/bin/env node
// The `otel-top` command. It runs the bundle (build/bundle/otel-top.mjs, one file that loads much faster
// than the modules it is made from) while nothing it was made from has been built or installed since, and
// build/src otherwise. The published package ships build/; a source checkout has it only after a build, and
// `npm ci` builds nothing. So in a checkout without it, build the cli project (and, through its project
// references, the workspace packages it imports) first, then run. Output of the build goes to stderr, so
// that `otel-top recent --json` still prints only JSON on stdout.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(packageDir, 'build', 'src', 'bin.js');
const bundleDir = join(packageDir, 'build', 'bundle');
const bundle = join(bundleDir, 'otel-top.mjs');

/** Whether the bundle is there and nothing it was made from was built or installed since (see scripts/build-bundle.mjs). */
function bundleIsCurrent() {
  let madeAt;
  try {
    madeAt = statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  let witnesses;
  try {
    witnesses = JSON.parse(readFileSync(join(bundleDir, 'stale-if-newer.json'), 'utf8'));
  } catch {
    // A package as published: the bundle and nothing to make it from.
    return true;
  }
  return witnesses.every((witness) => (statSync(resolve(bundleDir, witness), { throwIfNoEntry: false })?.mtimeMs ?? 0) <= madeAt);
}

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

/** A checkout's first run: builds the cli project, and through its references the packages it imports. */
function buildOnce() {
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

if (bundleIsCurrent()) {
  await import(pathToFileURL(bundle).href);
} else {
  if (!existsSync(entry)) buildOnce();
  await import(pathToFileURL(entry).href);
}
