import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestCertificates } from './test-certificates';

export interface RedisTestServerOptions {
  /** Extra redis-server arguments, e.g. `['--maxmemory', '1mb']`. */
  args?: string[];
  /** How long to wait for the server to accept connections (ms). */
  startTimeoutMillis?: number;
  /** Serve TLS only (`rediss://`) with these certificates; clients need not present one. */
  tls?: TestCertificates;
  /** Run as a Redis Cluster node (cluster bus on a free port of its own). */
  cluster?: boolean;
  /** Run as a Sentinel watching the master at this port under this name. */
  sentinel?: { masterName: string; masterPort: number; downAfterMillis?: number };
}

const INSTALL_HINT =
  'redis-server was not found on PATH. The tests start their own throwaway Redis servers; install it with ' +
  '`sudo apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS).';

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A throwaway `redis-server` on a free loopback port, keeping nothing on disk.
 * Tests own it: they can stop, kill, freeze and restart it without touching
 * any other Redis on the machine.
 */
export class RedisTestServer {
  readonly port: number;
  private readonly args: string[];
  private readonly startTimeoutMillis: number;
  private readonly tls: TestCertificates | undefined;
  private readonly sentinel: RedisTestServerOptions['sentinel'];
  private readonly dir: string;
  private child: ChildProcess | undefined;

  private constructor(port: number, options: RedisTestServerOptions) {
    this.port = port;
    this.args = options.args ?? [];
    this.startTimeoutMillis = options.startTimeoutMillis ?? 10_000;
    this.tls = options.tls;
    this.sentinel = options.sentinel;
    this.dir = mkdtempSync(join(tmpdir(), 'otel-top-redis-'));
  }

  /** Starts a server on a free port and resolves once it accepts connections. */
  static async start(options: RedisTestServerOptions = {}): Promise<RedisTestServer> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const launchOptions =
        options.cluster === true
          ? {
              ...options,
              args: [
                '--cluster-enabled', 'yes',
                '--cluster-config-file', 'nodes.conf',
                '--cluster-port', String(await freePort()),
                '--cluster-node-timeout', '2000',
                ...(options.args ?? []),
              ],
            }
          : options;
      const server = new RedisTestServer(await freePort(), launchOptions);
      try {
        await server.launch();
        return server;
      } catch (error) {
        lastError = error;
        rmSync(server.dir, { recursive: true, force: true });
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(INSTALL_HINT);
      }
    }
    throw lastError;
  }

  get url(): string {
    return `${this.tls === undefined ? 'redis' : 'rediss'}://127.0.0.1:${this.port}/0`;
  }

  /** The server's own directory (cluster nodes.conf, sentinel.conf live here). */
  get directory(): string {
    return this.dir;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the server again on the same port after stop() or kill(). */
  async restart(): Promise<void> {
    if (this.child !== undefined) throw new Error('redis-server is still running');
    await this.launch();
  }

  /** SIGSTOP: the server keeps its connections open but answers nothing. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT after freeze(). */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** SIGKILL, as a crash would. */
  async kill(): Promise<void> {
    await this.terminate('SIGKILL');
  }

  /** Stops the server and removes its directory. */
  async stop(): Promise<void> {
    await this.terminate('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async terminate(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGCONT'); // a frozen server cannot act on SIGTERM
      child.kill(signal);
      await exited;
    }
    running.delete(child);
  }

  private launchArgs(): string[] {
    if (this.sentinel !== undefined) {
      // A Sentinel rewrites its config file, so it gets one of its own.
      const config = join(this.dir, 'sentinel.conf');
      const { masterName, masterPort, downAfterMillis = 1_000 } = this.sentinel;
      writeFileSync(
        config,
        `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1\n` +
          `sentinel down-after-milliseconds ${masterName} ${downAfterMillis}\n` +
          `sentinel failover-timeout ${masterName} 10000\n`,
      );
      return [config, '--sentinel', '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, ...this.args];
    }
    const listen =
      this.tls === undefined
        ? ['--port', String(this.port)]
        : [
            '--port', '0',
            '--tls-port', String(this.port),
            '--tls-cert-file', this.tls.serverCertFile,
            '--tls-key-file', this.tls.serverKeyFile,
            '--tls-ca-cert-file', this.tls.caFile,
            '--tls-auth-clients', 'optional',
          ];
    return [
      ...listen,
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', 'no',
      '--dir', this.dir,
      '--daemonize', 'no',
      ...this.args,
    ];
  }

  private launch(): Promise<void> {
    // stop() removes the directory; restart() after it needs it back.
    mkdirSync(this.dir, { recursive: true });
    const child = spawn('redis-server', this.launchArgs(), { stdio: ['ignore', 'pipe', 'pipe'] });
    const readyLine = this.sentinel === undefined ? 'Ready to accept connections' : '+monitor master';
    running.add(child);
    return new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => fail(new Error(`redis-server did not start within ${this.startTimeoutMillis} ms:\n${output}`)), this.startTimeoutMillis);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        running.delete(child);
        child.kill('SIGKILL');
        reject(error);
      };
      child.once('error', fail);
      child.once('exit', (code) => fail(new Error(`redis-server exited with code ${code}:\n${output}`)));
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(readyLine)) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          child.removeAllListeners('error');
          child.stdout?.removeAllListeners('data');
          child.stdout?.resume();
          child.stderr?.resume();
          this.child = child;
          resolve();
        }
      });
    });
  }
}
