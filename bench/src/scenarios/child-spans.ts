import { RedisTestServer } from '@otel-top/redis-test-server';
import { BUDGET_MICROS_PER_CHILD, CHILD_SPANS_PER_REQUEST } from '../bench-app';
import { pinToCore } from '../cpu-pinning';
import { LoadGenerator } from '../load-generator';
import { compareServers, compareTrackingSwitched } from '../server-comparison';
import { judgeAtMost, median, medianInterval } from '../statistics';
import type { BenchContext, Figure, ScenarioResult } from '../types';

const SWITCH_WINDOW_MILLIS = 100;

/**
 * Scenario 4: what following the open spans inside requests costs. Hello
 * world with and without CHILD_SPANS_PER_REQUEST nested spans inside each
 * request, each with OTel alone and tracked, alternated in rounds on core 0.
 * Per round: (tracked − noop with children) − (tracked − noop without),
 * divided by the children: tracking's cost per child span. That is a
 * difference of four servers, each ±10% from run to run; the budget is
 * judged in one tracked server instead, whose spans inside are made every
 * other SWITCH_WINDOW_MILLIS by a provider that tracking does not see (the
 * same SDK work).
 */
export async function runChildSpans(context: BenchContext): Promise<ScenarioResult> {
  const quick = context.options.quick;
  const settings = quick ? { rounds: 2, seconds: 3, warmupSeconds: 2, connections: 100 } : { rounds: 6, seconds: 6, warmupSeconds: 5, connections: 100 };
  // Windows of a tenth of a second: short against the host's drift, long against a scavenge. The first two are left
  // out while the load ramps up; the other 600 (120 quick) make 300 (60) disjoint pairs.
  const switchedWindows = quick ? 122 : 602;
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
    figures.push({ scenario: 'children', label: 'tracking, per child span (four servers)', metric: 'CPU added', value: median(perChild), unit: 'µs', samples: perChild });
    const switched = await compareTrackingSwitched(load, {
      app: 'children',
      redisUrl: redis.url,
      connections: settings.connections,
      warmupSeconds: settings.warmupSeconds,
      windowMillis: SWITCH_WINDOW_MILLIS,
      windows: switchedWindows,
      serverCore: pinned ? 0 : undefined,
      switching: 'childrenSeen',
    });
    const switchedPerChild = switched.cpuMicrosAdded.map((micros) => micros / CHILD_SPANS_PER_REQUEST);
    const interval = medianInterval(switchedPerChild);
    const label = 'tracking, per child span (one server, seen or not every 100 ms)';
    figures.push(
      { scenario: 'children', label, metric: 'CPU added', value: median(switchedPerChild), unit: 'µs', samples: switchedPerChild },
      { scenario: 'children', label, metric: '95% interval of the median: high end', value: interval.high, unit: 'µs' },
    );
    context.log(
      `    switched: ${median(switchedPerChild).toFixed(3)} µs per child span (95% interval ${interval.low.toFixed(3)} to ${interval.high.toFixed(3)}, ${switchedPerChild.length} pairs)`,
    );
    return {
      id: 'children',
      title: `4. Open spans: hello world with ${CHILD_SPANS_PER_REQUEST} nested spans inside each request, ${settings.rounds} rounds × ${settings.seconds} s, alternating; one server switching for ${(switchedWindows * SWITCH_WINDOW_MILLIS) / 1000} s`,
      figures,
      budgets: [
        {
          budget: 'following child spans: CPU per child span (one tracked server, the spans inside seen by tracking or not, switched every 100 ms)',
          limit: `<= ${BUDGET_MICROS_PER_CHILD} µs`,
          measured: `${median(switchedPerChild).toFixed(2)} µs (median of ${switchedPerChild.length} pairs of neighbouring tenths of a second; 95% interval ${interval.low.toFixed(2)} to ${interval.high.toFixed(2)}); four servers: ${median(perChild).toFixed(2)} µs`,
          ...judgeAtMost(interval, BUDGET_MICROS_PER_CHILD),
        },
      ],
      notes: [
        pinned ? 'Servers alone on core 0; load generator and Redis on core 1.' : 'Not pinned to cores.',
        'Four servers, per child span: (tracked − noop with the spans) − (tracked − noop without), over the spans per request, round by round. A request with no spans inside costs nothing more than in scenario 1.',
        'One server: the spans inside are made every other 100 ms by a second tracer provider with a no-op processor, which costs the SDK the same and which tracking never sees; per pair of neighbouring windows, the CPU difference per request over the spans. The budget is met when the 95% interval of the median is within it.',
      ],
      details: { comparison, perChild, switched },
    };
  } finally {
    await load.stop();
    await redis.stop();
  }
}
