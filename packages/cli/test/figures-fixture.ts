import { ProcessFigures, RequestCounts, TrafficReport, trafficReport, TrafficWindowName } from '@otel-top/model';
import { NOW, request } from './task-fixture.js';

/** Requests of one name: how many, answered with what, taking how long. */
interface Served {
  name: string;
  count: number;
  status: number | null;
  millis: number;
}

/** What the live counters of the fleet hold: counted as the exporters count, added up as a reader adds them. */
const SERVED: readonly Served[] = [
  { name: 'GET /api/products', count: 40, status: 200, millis: 20 },
  { name: 'GET /api/products/:id', count: 25, status: 200, millis: 12 },
  { name: 'GET /api/products/:id', count: 5, status: 404, millis: 3 },
  { name: 'POST /api/orders', count: 10, status: 201, millis: 350 },
  { name: 'GET /api/fail', count: 6, status: 500, millis: 2_500 },
  { name: 'GET /api/search', count: 3, status: null, millis: 0.4 },
];

/** The counters of SERVED over a window covering `seconds`. */
export function traffic(window: TrafficWindowName = '1m', seconds = 60): TrafficReport {
  const names = new Map<string, RequestCounts>();
  for (const served of SERVED) {
    const counts = names.get(served.name) ?? new RequestCounts();
    for (let index = 0; index < served.count; index++) counts.record(served.status, served.millis);
    names.set(served.name, counts);
  }
  return trafficReport(window, { names, seconds });
}

const MIB = 1024 * 1024;

/** A process as a reader decodes its heartbeat, with the figures of a quiet, healthy one unless told otherwise. */
function processFigures(fields: Partial<ProcessFigures> & Pick<ProcessFigures, 'pid'>): ProcessFigures {
  const quiet = { count: 0, errors: 0, rps: 0, p50Millis: undefined, p95Millis: undefined, p99Millis: undefined };
  return {
    id: `${fields.host ?? 'vm1'}:${fields.pid}:a1b2`,
    host: 'vm1',
    service: 'shop',
    serviceVersion: '1.2.3',
    nodeVersion: 'v22.11.0',
    startedAt: new Date(NOW.getTime() - 3_725_000),
    heartbeatIntervalMillis: 1_000,
    deadAfterMillis: 10_000,
    inFlight: 0,
    traffic: { '10s': quiet, '1m': quiet, '5m': quiet },
    eventLoopDelayP99Millis: 4.2,
    eventLoopDelayMaxMillis: 12,
    cpuShare: 0.12,
    rssBytes: 94 * MIB,
    heapUsedBytes: 41 * MIB,
    heapTotalBytes: 64 * MIB,
    tracking: { queued: 0, dropped: 0, failed: 0, trimmed: 0 },
    seen: NOW.getTime() - 400,
    heartbeatAgeMillis: 400,
    state: 'alive',
    ...fields,
  };
}

/**
 * The two workers of the task fixture (pids 101 and 102 on vm1), one busy
 * and one whose event loop is blocked, and a dead one on vm2.
 */
export function processes(): ProcessFigures[] {
  const busy = { count: 84, errors: 9, rps: 1.4, p50Millis: 20, p95Millis: 2_400, p99Millis: 2_600 };
  return [
    processFigures({ pid: 102, inFlight: 1, traffic: { '10s': busy, '1m': busy, '5m': busy }, eventLoopDelayP99Millis: 2_950, heartbeatAgeMillis: 3_100, state: 'late' }),
    processFigures({ pid: 101, inFlight: 2, traffic: { '10s': busy, '1m': { ...busy, rps: 0.5 }, '5m': busy }, tracking: { queued: 3, dropped: 7, failed: 1, trimmed: 0 } }),
    processFigures({ host: 'vm2', pid: 7, service: 'billing', serviceVersion: null, heartbeatAgeMillis: 12_000, state: 'dead' }),
  ];
}

/** A task of a Python writer (no heartbeat): running on host py1. */
export function pythonTask() {
  return request({ id: 'p1', pid: 4242, host: 'py1', path: '/report', service: 'reports', startedAgo: 2_000 });
}
