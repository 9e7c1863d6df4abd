import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/**
 * Counts the writes this process makes on its outgoing TCP connections. In a
 * benchmark server the only outgoing connections are to Redis, and ioredis
 * sends a whole pipeline or transaction in one write, so this is the number
 * of round trips the process asked Redis for.
 */
export class RedisWriteCounter {
  private count = 0;

  constructor() {
    subscribe('net.client.socket', (message) => {
      const socket = (message as { socket: Socket }).socket;
      // Wrapped once connected: net replaces the method of a socket that is still connecting.
      socket.once('connect', () => {
        const write = socket.write;
        const counter = (): void => {
          this.count++;
        };
        socket.write = function (this: Socket, ...args: Parameters<Socket['write']>): boolean {
          counter();
          return write.apply(this, args);
        } as Socket['write'];
      });
    });
  }

  get writes(): number {
    return this.count;
  }
}
