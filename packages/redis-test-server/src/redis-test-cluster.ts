import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RedisTestServer } from './redis-test-server';
import { waitFor } from './wait-for';

const run = promisify(execFile);

/**
 * A throwaway Redis Cluster of real redis-server processes (masters only),
 * created with `redis-cli --cluster create`, for tests.
 */
export class RedisTestCluster {
  private constructor(readonly nodes: RedisTestServer[]) {}

  /** Starts `masters` nodes (at least 3, as redis-cli requires), joins them, and waits until every slot is served. */
  static async start(masters = 3): Promise<RedisTestCluster> {
    const nodes: RedisTestServer[] = [];
    try {
      for (let i = 0; i < masters; i++) nodes.push(await RedisTestServer.start({ cluster: true }));
      await run('redis-cli', [
        '--cluster', 'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas', '0',
        '--cluster-yes',
      ]);
      await waitFor(
        async () => {
          const states = await Promise.all(
            nodes.map(async (node) => (await run('redis-cli', ['-p', String(node.port), 'cluster', 'info'])).stdout),
          );
          return states.every((state) => state.includes('cluster_state:ok'));
        },
        { timeoutMillis: 15_000, intervalMillis: 100, message: 'the cluster to serve every slot' },
      );
      return new RedisTestCluster(nodes);
    } catch (error) {
      await Promise.all(nodes.map((node) => node.stop()));
      throw error;
    }
  }

  /** Seed addresses for `new Cluster(...)` of ioredis. */
  get startupNodes(): Array<{ host: string; port: number }> {
    return this.nodes.map((node) => ({ host: '127.0.0.1', port: node.port }));
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
  }
}
