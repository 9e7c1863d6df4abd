// Bundles the command (build/src/bin.js and everything it imports) into one file, build/bundle/otel-top.mjs:
// loading one file instead of some hundred modules is most of what starting `otel-top live` takes. Beside it,
// stale-if-newer.json lists a few files that change whenever what it was made from does (the build info tsc -b
// writes for each project it builds, the lock npm writes into node_modules on each install), so that
// bin/otel-top.js can tell a bundle that a later build or install has left behind, and run build/src.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build/bundle');
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: [join(root, 'build/src/bin.js')],
  outfile: join(out, 'otel-top.mjs'),
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // `otel-top web` loads its package by name; it builds on this one and stays a package of its own.
  external: ['@otel-top/web'],
  // The CommonJS dependencies (ioredis, commander) require Node's modules, which an ES module has no require for.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
});
const witnesses = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const path = join(root, input);
  const modules = path.lastIndexOf('/node_modules/');
  const project = /^(.*)\/build\/src\//.exec(path);
  const witness = modules >= 0 ? join(path.slice(0, modules), 'node_modules', '.package-lock.json') : project && join(project[1], 'build', 'tsconfig.tsbuildinfo');
  if (witness && existsSync(witness)) witnesses.add(relative(out, witness));
}
writeFileSync(join(out, 'stale-if-newer.json'), `${JSON.stringify([...witnesses].sort(), null, 1)}\n`);
