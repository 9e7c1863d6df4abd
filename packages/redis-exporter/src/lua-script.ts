import { createHash } from 'node:crypto';
import type { RedisClient } from './types';

/**
 * A Lua script run by its SHA (EVALSHA), loaded with EVAL the first time a
 * server does not know it (new server, restart, SCRIPT FLUSH). Works on the
 * caller's own client without changing it, Cluster included: ioredis routes
 * EVALSHA by the slot of the first key.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: RedisClient, keys: ReadonlyArray<string>, args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
