import { RedisTestServer } from '@otel-top/redis-test-server';
import { BUDGET_MICROS_PER_CHILD, CHILD_SPANS_PER_REQUEST } from '../bench-app';
import { pinToCore } from '../cpu-pinning';
import { LoadGenerator } from '../load-generator';
import { compareServers } from '../server-comparison';
import { median } from '../statistics';
import type { BenchContext, Figure, ScenarioResult } from '../types';

/**
 * Scenario 4: what following the open spans inside requests costs. Hello
 * world with and without CHILD_SPANS_PER_REQUEST nested spans inside each
 * request, each with OTel alone and tracked, alternated in rounds on core 0.
 * Per round: (tracked − noop with children) − (tracked − noop without),
 * divided by the children: tracking's cost per child span.
 */
export async function runChildSpans(context: BenchContext): Promise<ScenarioResult> {
  const quick = context.options.quick;
  const settings = quick ? { rounds: 2, seconds: 3, warmupSeconds: 2, connections: 100 } : { rounds: 6, seconds: 6, warmupSeconds: 5, connections: 100 };
  const redis = await RedisTestServer.start();
  const load = await LoadGenerator.start();
  const pinned = [redis.pid, load.pid].every((pid) => pid !== undefined && pinToCore(pid, 1));
  try {
    const comparison = await compareServers(load, {
      app: 'hello',
      servers: [
        { label: 'noop', variant: 'noop', redisUrl: redis.url },
        { label: 'tracked', variant: 'tracked', redisUrl: redis.url },
        { label: 'noop, children', variant: 'noop', redisUrl: redis.url, app: 'children' },
        { label: 'tracked, children', variant: 'tracked', redisUrl: redis.url, app: 'children' },
      ],
      workers: 1,
      ...settings,
      serverCore: pinned ? 0 : undefined,
      cpuProfileDir: context.profileDir,
      log: context.log,
    });
    const cpu = (label: string): number[] => comparison.summaries.find((summary) => summary.label === label)?.samples.map((s) => s.serverCpuMicrosPerRequest) ?? [];
    const [noop, tracked, noopChildren, trackedChildren] = ['noop', 'tracked', 'noop, children', 'tracked, children'].map(cpu);
    const perChild = noop.map((_, i) => (trackedChildren[i] - noopChildren[i] - (tracked[i] - noop[i])) / CHILD_SPANS_PER_REQUEST);
    const figures: Figure[] = comparison.summaries.flatMap((summary): Figure[] => [
      { scenario: 'children', label: summary.label, metric: 'requests/s', value: summary.requestsPerSecond, unit: 'req/s', samples: summary.samples.map((s) => s.requestsPerSecond) },
      { scenario: 'children', label: summary.label, metric: 'server CPU/request', value: summary.serverCpuMicrosPerRequest, unit: 'µs', samples: summary.samples.map((s) => s.serverCpuMicrosPerRequest) },
    ]);
    figures.push({ scenario: 'children', label: 'tracking, per child span', metric: 'CPU added', value: median(perChild), unit: 'µs', samples: perChild });
    return {
      id: 'children',
      title: `4. Open spans: hello world with ${CHILD_SPANS_PER_REQUEST} nested spans inside each request, ${settings.rounds} rounds × ${settings.seconds} s, alternating`,
      figures,
      budgets: [
        {
          budget: 'following child spans: CPU per child span',
          limit: `<= ${BUDGET_MICROS_PER_CHILD} µs`,
          measured: `${median(perChild).toFixed(2)} µs (median of ${perChild.length} rounds)`,
          pass: median(perChild) <= BUDGET_MICROS_PER_CHILD,
        },
      ],
      notes: [
        pinned ? 'Servers alone on core 0; load generator and Redis on core 1.' : 'Not pinned to cores.',
        'Per child span: (tracked − noop with the spans) − (tracked − noop without), over the spans per request, round by round. A request with no spans inside costs nothing more than in scenario 1.',
      ],
      details: { comparison, perChild },
    };
  } finally {
    await load.stop();
    await redis.stop();
  }
}
