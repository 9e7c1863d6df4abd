import type { ReplyMessage, RequestMessage } from './child-worker';

export type RequestHandlers = Record<string, (payload: never) => unknown>;

function send(message: ReplyMessage): void {
  process.send?.(message);
}

/**
 * The child side of ChildWorker: says it is ready with `info`, then answers
 * each request with its handler's result. `exit` runs `onExit` first (to shut
 * exporters down and let --cpu-prof write its profile).
 */
export function serveRequests(info: unknown, handlers: RequestHandlers, onExit: () => Promise<void> = async () => {}): void {
  if (process.send === undefined) throw new Error('this script is a benchmark child process; run `npm run bench`');
  process.on('message', (message: RequestMessage) => {
    if (message.type === 'exit') {
      void onExit().finally(() => process.exit(0));
      return;
    }
    const handler = handlers[message.type];
    if (handler === undefined) {
      send({ id: message.id, error: `no handler for ${message.type}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.payload as never))
      .then(
        (result) => send({ id: message.id, result }),
        (error: unknown) => send({ id: message.id, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
      );
  });
  // The parent going away ends the child: nothing is left running after the benchmark.
  process.on('disconnect', () => process.exit(0));
  send({ id: 0, result: info });
}

/** Tells the parent that starting failed. */
export function reportStartFailure(error: unknown): void {
  send({ id: 0, error: error instanceof Error ? error.stack ?? error.message : String(error) });
  process.exitCode = 1;
}
