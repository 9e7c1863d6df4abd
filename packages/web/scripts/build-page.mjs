// The page's build step: bundles src/page (plain TypeScript DOM code) with uPlot's script and styles into
// build/page, beside the server's build/src, so that the package serves the page from its own files.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build/page');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { page: join(root, 'src/page/main.ts'), 'page-style': join(root, 'src/page/page.css') },
  outdir: out,
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  legalComments: 'eof',
  logLevel: 'warning',
});
copyFileSync(join(root, 'src/page/index.html'), join(out, 'index.html'));
