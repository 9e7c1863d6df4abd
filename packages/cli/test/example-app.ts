import { ChildProcess, spawn } from 'node:child_process';
import { ClientRequest, request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../../../examples/build/src/server.js', import.meta.url));

export interface Call {
  method?: string;
  path: string;
  headers?: Record<string, string>;
}

/**
 * The example shop (examples/), the real pipeline: Express under the OTel
 * SDK with HttpTaskSpanProcessor and RedisTaskExporter, in cluster workers.
 */
export class ExampleApp {
  private readonly hanging = new Set<ClientRequest>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: URL,
  ) {}

  static start(trackerUrl: string, workers = 2): Promise<ExampleApp> {
    const child = spawn(process.execPath, [SERVER], {
      env: { ...process.env, TOP_TRACKER_URL: trackerUrl, PORT: '0', WORKERS: String(workers) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the example app did not start within 20 s')), 20_000);
      child.once('exit', (code) => reject(new Error(`the example app exited with ${code}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
        if (url === undefined) return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(new ExampleApp(child, new URL(url)));
      });
    });
  }

  /** One request on a connection of its own (so the cluster spreads them over the workers); resolves to the status. */
  call({ method = 'GET', path, headers = {} }: Call): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(new URL(path, this.url), { method, headers, agent: false }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      request.on('error', reject);
      request.end();
    });
  }

  /** A request to the export that hangs until `abandonAll()`. */
  hang(headers: Record<string, string> = {}): void {
    const request = httpRequest(new URL('/api/export', this.url), { headers, agent: false });
    request.on('error', () => undefined);
    request.end();
    this.hanging.add(request);
  }

  abandonAll(): void {
    for (const request of this.hanging) request.destroy();
    this.hanging.clear();
  }

  /** SIGTERM; resolves to the exit code. */
  async stop(): Promise<number | null> {
    this.abandonAll();
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill('SIGTERM');
    return exited;
  }
}
