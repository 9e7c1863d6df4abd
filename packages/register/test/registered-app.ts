import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const PACKAGE_DIR = resolve(__dirname, '../..');
const WORKSPACE_NODE_MODULES = resolve(PACKAGE_DIR, '../../node_modules');

export interface RegisteredAppOptions {
  /** A file of test/fixtures. */
  fixture: string;
  /** How the app is started: `node --require @otel-top/register` or `node --import @otel-top/register`. */
  flag: '--require' | '--import';
  env?: Record<string, string>;
  /**
   * Give the app the workspace's node_modules (express, auto-instrumentations-node).
   * Without it, the app's directory holds only @otel-top/register.
   */
  withDependencies?: boolean;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A fixture app copied into a directory of its own outside the workspace and
 * started as a service would be, with `@otel-top/register` resolved the way
 * `node` resolves it for the app.
 */
export class RegisteredApp {
  private static readonly running = new Set<ChildProcess>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly directory: string,
    readonly port: number,
    private readonly out: string[],
    private readonly err: string[],
    readonly exited: Promise<Exit>,
  ) {}

  static async start(options: RegisteredAppOptions): Promise<RegisteredApp> {
    const directory = mkdtempSync(join(tmpdir(), 'otel-top-register-'));
    copyFileSync(join(PACKAGE_DIR, 'test/fixtures', options.fixture), join(directory, options.fixture));
    if (options.withDependencies === true) {
      symlinkSync(WORKSPACE_NODE_MODULES, join(directory, 'node_modules'), 'dir');
    } else {
      mkdirSync(join(directory, 'node_modules/@otel-top'), { recursive: true });
      symlinkSync(PACKAGE_DIR, join(directory, 'node_modules/@otel-top/register'), 'dir');
    }
    const child = spawn(process.execPath, [options.flag, '@otel-top/register', options.fixture], {
      cwd: directory,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    RegisteredApp.running.add(child);
    const out: string[] = [];
    const err: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk.toString()));
    const exited = new Promise<Exit>((resolveExit) =>
      child.once('exit', (code, signal) => {
        RegisteredApp.running.delete(child);
        rmSync(directory, { recursive: true, force: true });
        resolveExit({ code, signal });
      }),
    );
    const lines = createInterface({ input: child.stdout! });
    const port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`app did not start: ${err.join('')}`)), 15_000);
      void exited.then(({ code }) => reject(new Error(`app exited with ${code}: ${err.join('')}`)));
      lines.on('line', (line) => {
        if (out.push(line) === 1) {
          clearTimeout(timer);
          resolvePort((JSON.parse(line) as { port: number }).port);
        }
      });
    });
    return new RegisteredApp(child, directory, port, out, err, exited);
  }

  /** Kills what a failed test left running, so that the test run can end. */
  static killAll(): void {
    for (const child of RegisteredApp.running) child.kill('SIGKILL');
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Lines the app wrote to stdout. */
  get stdout(): string[] {
    return [...this.out];
  }

  get stderr(): string {
    return this.err.join('');
  }

  /** Sends a signal, as a process manager or Ctrl-C would, and resolves to how the app ended. */
  async kill(signal: NodeJS.Signals): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  toString(): string {
    return `app ${this.pid} in ${this.directory}`;
  }
}
