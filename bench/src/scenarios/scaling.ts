import { RedisTestServer } from '@otel-top/redis-test-server';
import { LoadGenerator } from '../load-generator';
import { compareServers, ServerComparison } from '../server-comparison';
import { median, pairRatios } from '../statistics';
import type { BenchContext, Figure, ScenarioResult } from '../types';

interface Setting {
  connections: number;
  workers: number;
}

/**
 * Scenario 6: scenario 1 (noop against tracked) at 1, 10, 100 and 1,000
 * connections with one server process, and at 100 connections with two
 * (node:cluster). Cost per request is the tracked server's CPU per response
 * less the noop server's, pair by pair.
 */
export async function runScaling(context: BenchContext): Promise<ScenarioResult> {
  const settings = context.options.quick ? { rounds: 1, seconds: 2, warmupSeconds: 1 } : { rounds: 3, seconds: 5, warmupSeconds: 3 };
  const grid: Setting[] = [
    { connections: 1, workers: 1 },
    { connections: 10, workers: 1 },
    { connections: 100, workers: 1 },
    { connections: 1000, workers: 1 },
    { connections: 100, workers: 2 },
  ];
  const redis = await RedisTestServer.start();
  const load = await LoadGenerator.start();
  const comparisons: ServerComparison[] = [];
  const figures: Figure[] = [];
  const costs: number[] = [];
  try {
    for (const setting of grid) {
      context.log(`    ${setting.connections} connections, ${setting.workers} server process${setting.workers === 1 ? '' : 'es'}`);
      const comparison = await compareServers(load, {
        app: 'express',
        servers: [
          { label: 'noop', variant: 'noop', redisUrl: redis.url },
          { label: 'tracked', variant: 'tracked', redisUrl: redis.url },
        ],
        ...setting,
        ...settings,
        log: context.log,
      });
      comparisons.push(comparison);
      const [noop, tracked] = comparison.summaries;
      const label = `${setting.connections} conn, ${setting.workers} proc`;
      const ratios = comparison.throughputRatios.tracked;
      const extraCpu = pairRatios(
        noop.samples.map((s) => s.serverCpuMicrosPerRequest),
        tracked.samples.map((s) => s.serverCpuMicrosPerRequest),
      ).map((ratio, i) => noop.samples[i].serverCpuMicrosPerRequest * (ratio - 1));
      costs.push(median(extraCpu));
      figures.push(
        { scenario: 'scaling', label, metric: 'noop requests/s', value: noop.requestsPerSecond, unit: 'req/s', samples: noop.samples.map((s) => s.requestsPerSecond) },
        { scenario: 'scaling', label, metric: 'tracked requests/s', value: tracked.requestsPerSecond, unit: 'req/s', samples: tracked.samples.map((s) => s.requestsPerSecond) },
        { scenario: 'scaling', label, metric: 'throughput ratio tracked/noop', value: median(ratios), unit: '', samples: ratios },
        { scenario: 'scaling', label, metric: 'noop p99', value: noop.latencyP99Ms, unit: 'ms' },
        { scenario: 'scaling', label, metric: 'tracked p99', value: tracked.latencyP99Ms, unit: 'ms' },
        { scenario: 'scaling', label, metric: 'tracking CPU/request (tracked - noop)', value: median(extraCpu), unit: 'µs', samples: extraCpu },
      );
    }
    const finite = costs.filter((cost) => Number.isFinite(cost));
    return {
      id: 'scaling',
      title: `6. Cost as the work grows: noop vs tracked, ${settings.rounds} rounds × ${settings.seconds} s per setting, alternating`,
      figures,
      budgets: [],
      notes: [
        `Tracking CPU per request across the settings: ${Math.min(...finite).toFixed(1)} to ${Math.max(...finite).toFixed(1)} µs ` +
          `(per setting: ${grid.map((s, i) => `${s.connections}c/${s.workers}p ${costs[i].toFixed(1)}`).join(', ')}).`,
        'With 2 server processes the cluster primary hands connections to the workers; each worker has its own exporter and Redis connection.',
      ],
      details: comparisons,
    };
  } finally {
    await load.stop();
    await redis.stop();
  }
}
