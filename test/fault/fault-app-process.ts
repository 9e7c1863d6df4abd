import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** fault-app.js in a child process of its own, as a real service runs. */
export class FaultAppProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(env: Record<string, string>): Promise<FaultAppProcess> {
    const child = spawn(process.execPath, ['--expose-gc', join(__dirname, 'fault-app.js')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fault app did not start within 15 s')), 15_000);
      child.once('exit', (code) => reject(new Error(`fault app exited with ${code}`)));
      createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      });
    });
    child.removeAllListeners('exit');
    return new FaultAppProcess(child, port);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends `signal` and resolves once the process is gone. */
  async signal(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}
