import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const FIXTURES = join(__dirname, '../../matrix/fixtures');
const STACK_APP = join(FIXTURES, 'stack-app.cjs');
const ZERO_CODE_APP = join(FIXTURES, 'zero-code-app.mjs');
// The built @otel-top/register entry points, by path: this workspace does not depend on it.
const REGISTER = join(__dirname, '../../../packages/register/build/src');

const nodeBinaries = new Map<number, string>();

/**
 * The node binary of a major version: this one when it is that version, else
 * the npm registry's `node` package, fetched once into npx's cache. Not a
 * devDependency: its `node` bin would shadow the real one in every npm script.
 */
export function nodeBinary(major: 20 | 22 | 24): string {
  let binary = nodeBinaries.get(major);
  if (binary === undefined) {
    binary =
      Number(process.versions.node.split('.')[0]) === major
        ? process.execPath
        : execFileSync('npx', ['--yes', `node@${major}`, '-p', 'process.execPath'], { encoding: 'utf8', timeout: 180_000 }).trim();
    const version = execFileSync(binary, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 30_000 }).trim();
    if (Number(version.split('.')[0]) !== major) throw new Error(`wanted Node ${major}, ${binary} is ${version}`);
    nodeBinaries.set(major, binary);
  }
  return binary;
}

/** One stack of the matrix, running in a child process of its own as a real service would. */
export class StackProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly errors: string[],
  ) {}

  /**
   * Starts stack-app.cjs, or with `zeroCode` an app without OTel code under
   * `node --require|--import @otel-top/register`.
   */
  static async start(node: string, env: Record<string, string>, zeroCode?: '--require' | '--import'): Promise<StackProcess> {
    const args =
      zeroCode === undefined
        ? [STACK_APP]
        : [zeroCode, join(REGISTER, zeroCode === '--import' ? 'register.mjs' : 'register.js'), ZERO_CODE_APP];
    const child = spawn(node, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const errors: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`stack did not start: ${errors.join('')}`));
      }, 20_000);
      child.once('exit', (code) => reject(new Error(`stack exited with ${code}: ${errors.join('')}`)));
      createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      });
    });
    child.removeAllListeners('exit');
    return new StackProcess(child, port, errors);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get stderr(): string {
    return this.errors.join('');
  }

  /** SIGTERM, as a process manager stops a service; resolves to how it ended (an exit code, or the signal). */
  async stop(): Promise<number | string | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | string | null>((resolve) =>
      this.child.once('exit', (code, signal) => resolve(code ?? signal)),
    );
    this.child.kill('SIGTERM');
    return exited;
  }
}
