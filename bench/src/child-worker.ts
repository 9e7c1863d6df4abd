import { ChildProcess, fork } from 'node:child_process';

/** Parent to child: run handler `type` with `payload`. */
export interface RequestMessage {
  id: number;
  type: string;
  payload?: unknown;
}

/** Child to parent: the answer to request `id`, or the ready signal (id 0). */
export interface ReplyMessage {
  id: number;
  result?: unknown;
  error?: string;
}

export interface ChildWorkerOptions {
  env?: Record<string, string>;
  execArgv?: string[];
  /** How long the child may take to say it is ready (ms). */
  startTimeoutMillis?: number;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * A benchmark process (server, load generator, exporter, reader) driven over
 * IPC: the parent sends requests, the child answers each by id. Every request
 * has a deadline, so a stuck child fails the run instead of hanging it.
 */
export class ChildWorker {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private exitError: Error | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly name: string,
    /** What the child said when it became ready. */
    readonly info: unknown,
  ) {
    child.on('message', (message: ReplyMessage) => {
      const waiter = this.pending.get(message.id);
      if (waiter === undefined) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(`${name}: ${message.error}`));
      else waiter.resolve(message.result);
    });
    child.on('exit', (code, signal) => {
      running.delete(child);
      this.exitError = new Error(`${name} exited (code ${code}, signal ${signal})`);
      for (const waiter of this.pending.values()) waiter.reject(this.exitError);
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  static start(script: string, name: string, options: ChildWorkerOptions = {}): Promise<ChildWorker> {
    const child = fork(script, [], {
      env: { ...process.env, ...options.env },
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    running.add(child);
    const timeoutMillis = options.startTimeoutMillis ?? 30_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start within ${timeoutMillis} ms`));
      }, timeoutMillis);
      const onExit = (code: number | null): void => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with code ${code} before it was ready`));
      };
      child.once('exit', onExit);
      child.once('message', (message: ReplyMessage) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        if (message.error !== undefined) {
          child.kill('SIGKILL');
          reject(new Error(`${name}: ${message.error}`));
        } else {
          resolve(new ChildWorker(child, name, message.result));
        }
      });
    });
  }

  request<T>(type: string, payload: unknown, timeoutMillis: number): Promise<T> {
    if (this.exitError !== undefined) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${type} took longer than ${timeoutMillis} ms`));
      }, timeoutMillis);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, type, payload } satisfies RequestMessage);
    });
  }

  /** SIGKILL, as a process dies without shutdown; resolves once it is gone. */
  async kill(): Promise<void> {
    if (this.exitError !== undefined) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** Asks the child to exit cleanly (so CPU profiles get written), then kills it after the deadline. */
  async stop(timeoutMillis = 10_000): Promise<void> {
    if (this.exitError !== undefined) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ id: 0, type: 'exit' } satisfies RequestMessage);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMillis);
    await exited;
    clearTimeout(timer);
  }
}
