/**
 * By hand, not in npm test: an instrumented app under steady load while Redis
 * is down for a long time. `node test/build/fault/soak-redis-down.js` with env
 * DOWN_SECONDS (default 60), CONCURRENCY (default 32). Prints the figures:
 * requests served and failed, request rate, the app's heap growth, event-loop
 * delay is the app's own; recovery time once Redis is back.
 */
import { Redis } from 'ioredis';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { FaultAppProcess } from './fault-app-process';
import { generateLoad, send } from './load-generator';

async function main(): Promise<void> {
  const downSeconds = Number(process.env.DOWN_SECONDS ?? 60);
  const concurrency = Number(process.env.CONCURRENCY ?? 32);
  const server = await RedisTestServer.start();
  const app = await FaultAppProcess.start({ TOP_TRACKER_URL: server.url });
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  const heap = async (): Promise<number> =>
    (JSON.parse((await send(app.port, '/gc', { method: 'POST' })).body) as { heapUsed: number }).heapUsed;
  try {
    await generateLoad(app.port, '/fast?warm=1', { concurrency, durationMillis: 3_000, maxRequests: 1e6 });
    const heapBefore = await heap();
    const totalMillis = (downSeconds + 4) * 1_000;
    const started = Date.now();
    const load = generateLoad(app.port, '/fast?l=1', { concurrency, durationMillis: totalMillis, maxRequests: 1e8 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await server.kill();
    await new Promise((resolve) => setTimeout(resolve, downSeconds * 1_000));
    const heapDown = await heap();
    await server.restart();
    const back = Date.now();
    let probe = 0;
    await waitFor(
      async () => {
        await send(app.port, `/fast?probe=${++probe}`);
        return (await redis.lrange('past_tasks', 0, -1)).some((json) => json.includes('"probe":"'));
      },
      { timeoutMillis: 30_000, intervalMillis: 50 },
    );
    const recoveryMillis = Date.now() - back;
    const { served, failed } = await load;
    const stats = JSON.parse((await send(app.port, '/stats')).body) as Record<string, number>;
    console.log(
      JSON.stringify({
        downSeconds,
        concurrency,
        served,
        failed,
        requestsPerSecond: Math.round(served / ((Date.now() - started) / 1000)),
        heapGrowthWhileDownMiB: +((heapDown - heapBefore) / 2 ** 20).toFixed(2),
        heapGrowthAfterMiB: +(((await heap()) - heapBefore) / 2 ** 20).toFixed(2),
        recoveryMillis,
        dropped: stats.dropped,
        failedWrites: stats.failed,
        writtenCompleted: stats.writtenCompleted,
      }),
    );
  } finally {
    await app.signal('SIGKILL');
    redis.disconnect();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
