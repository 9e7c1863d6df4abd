import { Redis } from 'ioredis';
import { trackingTableKeys } from '@otel-top/model';
import { RedisTestServer } from '@otel-top/redis-test-server';
import { LoadGenerator } from '../load-generator';
import { RedisCounters, RedisWork } from '../redis-counters';
import { ServerProcess } from '../server-process';
import { alternate, median } from '../statistics';
import type { BenchContext, Figure, LoadResult, ScenarioResult, ServerVariant } from '../types';

type CostVariant = 'tracked' | 'tracked, subscribed' | 'python';
const VARIANTS: ReadonlyArray<CostVariant> = ['tracked', 'tracked, subscribed', 'python'];
const TARGET_RATE = 10_000;

interface CostSample {
  load: LoadResult;
  redis: RedisWork;
  /** Writes the server made to Redis: its round trips. */
  roundTrips: number;
  subscriberMessages: number;
}

function serverVariant(variant: CostVariant): ServerVariant {
  return variant === 'python' ? 'python' : 'tracked';
}

/**
 * Scenario 2: what tracking costs Redis, per request, from Redis's own
 * counters, at a target rate of 10,000 requests/s (or as many as the server
 * manages). "tracked, subscribed" has a viewer subscribed to task_updates,
 * so the exporter also publishes every change.
 */
export async function runRedisCost(context: BenchContext): Promise<ScenarioResult> {
  const settings = context.options.quick ? { rounds: 1, seconds: 3 } : { rounds: 3, seconds: 8 };
  const connections = 100;
  const redis = await RedisTestServer.start();
  const monitor = new Redis(redis.url);
  const counters = new RedisCounters(monitor);
  const load = await LoadGenerator.start();
  const servers = new Map<ServerVariant, ServerProcess>();
  let subscriber: Redis | undefined;
  let messages = 0;
  try {
    for (const variant of ['tracked', 'python'] as const) {
      const server = await ServerProcess.start({ app: 'express', variant, redisUrl: redis.url, workers: 1, cpuProfileDir: context.profileDir });
      servers.set(variant, server);
      await load.run({ url: server.url, connections, durationSeconds: 2, maxSeconds: 20 });
    }
    const samples = await alternate(VARIANTS, settings.rounds, async (variant, round): Promise<CostSample> => {
      const server = servers.get(serverVariant(variant)) as ServerProcess;
      if (variant === 'tracked, subscribed') {
        subscriber = new Redis(redis.url);
        subscriber.on('message', () => messages++);
        await subscriber.subscribe(trackingTableKeys().taskUpdates);
        messages = 0;
      }
      // A short run lets the exporter notice whether anybody subscribes (it asks Redis at every flush).
      await load.run({ url: server.url, connections: 10, amount: 500, maxSeconds: 20 });
      const statsBefore = await server.flush();
      const before = await counters.snapshot();
      const result = await load.run({ url: server.url, connections, durationSeconds: settings.seconds, overallRate: TARGET_RATE, maxSeconds: settings.seconds + 15 });
      const statsAfter = await server.flush();
      const after = await counters.snapshot();
      const sample: CostSample = {
        load: result,
        redis: RedisCounters.between(before, after),
        roundTrips: statsAfter.redisWrites - statsBefore.redisWrites,
        subscriberMessages: messages,
      };
      if (subscriber !== undefined) {
        await subscriber.quit();
        subscriber = undefined;
      }
      const perRequest = (n: number): string => (n / Math.max(result.requests, 1)).toFixed(4);
      context.log(
        `    round ${round + 1} ${variant.padEnd(19)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  ` +
          `round trips/req ${perRequest(sample.roundTrips)}  commands/req ${perRequest(sample.redis.dataCommands)}  ` +
          `Redis CPU ${((sample.redis.cpuSeconds * 1e6) / Math.max(result.requests, 1)).toFixed(2)} µs/req`,
      );
      return sample;
    });

    const figures: Figure[] = [];
    const rows: Record<string, unknown> = {};
    for (const variant of VARIANTS) {
      const list = samples.get(variant) ?? [];
      const per = (pick: (s: CostSample) => number): number[] => list.map((s) => pick(s) / Math.max(s.load.requests, 1));
      const add = (metric: string, values: number[], unit: string): void => {
        figures.push({ scenario: 'redis', label: variant, metric, value: median(values), unit, samples: values });
      };
      add('requests/s', list.map((s) => s.load.requestsPerSecond), 'req/s');
      add('round trips/request (client writes)', per((s) => s.roundTrips), '');
      add('Redis read events/request', per((s) => s.redis.readEvents), '');
      add('commands/request', per((s) => s.redis.dataCommands), '');
      add('transactions (EXEC)/request', per((s) => s.redis.transactions), '');
      add('Redis CPU/request', per((s) => s.redis.cpuSeconds * 1e6), 'µs');
      const commandNames = new Set(list.flatMap((s) => Object.keys(s.redis.calls)));
      const commands: Record<string, number> = {};
      for (const name of commandNames) commands[name] = median(per((s) => s.redis.calls[name] ?? 0));
      rows[variant] = { commandsPerRequest: commands, samples: list };
    }
    const tracked = samples.get('tracked') ?? [];
    const roundTrips = median(tracked.map((s) => s.roundTrips / Math.max(s.load.requests, 1)));
    const rate = median(tracked.map((s) => s.load.requestsPerSecond));
    return {
      id: 'redis',
      title: `2. Redis cost per request at a target of ${TARGET_RATE} req/s (${settings.rounds} rounds × ${settings.seconds} s, alternating)`,
      figures,
      budgets: [
        {
          budget: `Redis round trips per request at 10,000 requests/s (measured at ${rate.toFixed(0)} req/s)`,
          limit: '<= 0.02 (Python writer: 6)',
          measured: roundTrips.toFixed(4),
          pass: roundTrips <= 0.02,
        },
      ],
      notes: [
        'Round trips are the writes the server process made on its Redis connection (ioredis sends a whole transaction in one write); ' +
          'read events are Redis\'s total_reads_processed, which also counts every 16 KiB piece of a large batch.',
        'Commands, transactions and CPU come from INFO commandstats and INFO cpu deltas around each run, after a forced flush.',
      ],
      details: rows,
    };
  } finally {
    if (subscriber !== undefined) subscriber.disconnect();
    for (const server of servers.values()) await server.stop();
    await load.stop();
    monitor.disconnect();
    await redis.stop();
  }
}
