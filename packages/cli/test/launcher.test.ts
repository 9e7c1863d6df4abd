import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OTEL_TOP_BIN } from './otel-top-process.js';

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
const ROOT = join(PACKAGE_DIR, '..', '..');
const { version } = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string };

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, without the npm_* variables of the `npm test` around it. */
function run(command: string, args: string[], cwd: string, timeout = 20_000): Promise<Result> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, timeout }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

/** A copy of the repository's tracked files in a new folder (no build/), using this checkout's node_modules. */
function copyCheckout(): string {
  const copy = mkdtempSync(join(tmpdir(), 'otel-top-launcher-'));
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
  for (const file of files) {
    if (file === '' || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(copy, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

describe('The otel-top launcher (bin/otel-top.js)', function () {
  this.timeout(120_000);
  const temporary: string[] = [];

  after(() => {
    for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
  });

  it('is what npm links as otel-top, from the root and from inside workspace folders', async () => {
    for (const cwd of [ROOT, join(ROOT, 'packages', 'model'), join(ROOT, 'examples')]) {
      const linked = await run(join(ROOT, 'node_modules', '.bin', 'otel-top'), ['--version'], cwd);
      expect(linked, cwd).to.deep.equal({ code: 0, stdout: `${version}\n`, stderr: '' });
      // --no-install: fail rather than install a package of that name from the registry when none is here.
      const npx = await run('npx', ['--no-install', 'otel-top', '--version'], cwd);
      expect(npx.stdout, cwd).to.equal(`${version}\n`);
      expect(npx.code, cwd).to.equal(0);
    }
  });

  it('in a source checkout without a build, builds it first (saying so on stderr), then runs', async () => {
    const checkout = copyCheckout();
    temporary.push(checkout);
    const launcher = join(checkout, 'packages', 'cli', 'bin', 'otel-top.js');
    expect(existsSync(join(checkout, 'packages', 'cli', 'build'))).to.equal(false);

    const first = await run(process.execPath, [launcher, '--version'], checkout, 100_000);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.equal(`${version}\n`);
    expect(first.stderr).to.include('otel-top: no build yet in this checkout; building it once').and.include('otel-top: built.');
    expect(existsSync(join(checkout, 'packages', 'model', 'build', 'src', 'index.js'))).to.equal(true);

    const second = await run(process.execPath, [launcher, '--version'], checkout);
    expect(second).to.deep.equal({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('runs the bundle while nothing it was made from has been built or installed since, build/src after that', async () => {
    const checkout = copyCheckout();
    temporary.push(checkout);
    const cli = join(checkout, 'packages', 'cli');
    const launcher = join(cli, 'bin', 'otel-top.js');
    const built = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', cli], checkout, 100_000);
    expect(built.code, built.stdout).to.equal(0);
    const bundled = await run(process.execPath, [join(cli, 'scripts', 'build-bundle.mjs')], checkout);
    expect(bundled.code, bundled.stderr).to.equal(0);
    // Node's own log of the modules it loads says which file ran.
    const loaded = (result: Result): { bundle: boolean; modules: boolean } => ({
      bundle: result.stderr.includes('/build/bundle/otel-top.mjs'),
      modules: result.stderr.includes('/build/src/bin.js'),
    });
    const withLog = (args: string[]): Promise<Result> =>
      run('sh', ['-c', `NODE_DEBUG=esm exec "$0" "$@"`, process.execPath, launcher, ...args], checkout);

    const fresh = await withLog(['--version']);
    expect(fresh.code).to.equal(0);
    expect(fresh.stdout).to.equal(`${version}\n`);
    expect(loaded(fresh)).to.deep.equal({ bundle: true, modules: false });

    // What a later `tsc -b` of the cli project does to its build info.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(cli, 'build', 'tsconfig.tsbuildinfo'), later, later);
    const stale = await withLog(['--version']);
    expect(stale.code).to.equal(0);
    expect(stale.stdout).to.equal(`${version}\n`);
    expect(loaded(stale)).to.deep.equal({ bundle: false, modules: true });
  });

  it('without a build and without the sources to make one: a clear error, exit code 1', async () => {
    const installed = mkdtempSync(join(tmpdir(), 'otel-top-launcher-'));
    temporary.push(installed);
    mkdirSync(join(installed, 'bin'));
    copyFileSync(OTEL_TOP_BIN, join(installed, 'bin', 'otel-top.js'));
    copyFileSync(join(PACKAGE_DIR, 'package.json'), join(installed, 'package.json'));

    const result = await run(process.execPath, [join(installed, 'bin', 'otel-top.js'), '--version'], installed);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.equal(
      `otel-top: ${join(installed, 'build', 'src', 'bin.js')} is missing, and there is no source checkout to build it from ` +
        '(src/ and typescript). Reinstall @otel-top/cli.\n',
    );
  });
});
