import { join } from 'node:path';
import { ChildWorker } from './child-worker';
import type { LoadOptions, LoadResult } from './types';

/** autocannon in a process of its own, so load generation does not share a heap or an event loop with anything. */
export class LoadGenerator {
  private constructor(private readonly worker: ChildWorker) {}

  static async start(): Promise<LoadGenerator> {
    return new LoadGenerator(await ChildWorker.start(join(__dirname, 'load-worker.js'), 'load generator'));
  }

  get pid(): number {
    return this.worker.pid;
  }

  run(options: LoadOptions): Promise<LoadResult> {
    return this.worker.request('run', options, (options.maxSeconds + 30) * 1000);
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }
}
