import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP proxy in front of a real redis-server that can break the connection
 * at the worst moment: after the server has answered a command but before the
 * client sees the answer. That is how tests prove that a retried write is not
 * applied twice.
 */
export class FaultProxy {
  private readonly sockets = new Set<Socket>();
  private swallowReplies = 0;
  /** How many replies were swallowed by cutting the connection. */
  swallowed = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static start(targetPort: number, targetHost = '127.0.0.1'): Promise<FaultProxy> {
    return new Promise((resolve, reject) => {
      let proxy: FaultProxy | undefined;
      const server = createServer((client) => {
        const upstream = connect(targetPort, targetHost);
        const pair = [client, upstream];
        for (const socket of pair) {
          proxy?.sockets.add(socket);
          socket.on('error', () => undefined);
          socket.on('close', () => {
            proxy?.sockets.delete(socket);
            for (const other of pair) other.destroy();
          });
        }
        client.on('data', (chunk) => upstream.write(chunk));
        upstream.on('data', (chunk) => {
          if (proxy !== undefined && proxy.swallowReplies > 0) {
            proxy.swallowReplies--;
            proxy.swallowed++;
            client.destroy();
            upstream.destroy();
            return;
          }
          client.write(chunk);
        });
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        proxy = new FaultProxy(server, typeof address === 'object' && address !== null ? address.port : 0);
        resolve(proxy);
      });
    });
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  /** The next `count` replies from the server are lost: the connection is cut as they arrive. */
  swallowNextReplies(count = 1): void {
    this.swallowReplies += count;
  }

  /** Cuts every connection now. */
  cutAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  close(): Promise<void> {
    this.cutAll();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
