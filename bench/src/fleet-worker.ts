import { HTTPTask, outcomeOfTask, TaskOutcome, TrackedTask } from '@otel-top/model';
import { RedisTaskExporter } from '@otel-top/redis-exporter';
import { reportStartFailure, serveRequests } from './child-endpoint';

/** How the fleet scenario asks a worker to simulate its share of the fleet. */
export interface FleetShare {
  /** Exporters in this process, each with its own identity and connection, as separate processes would have. */
  exporters: number;
  /** Requests each exporter keeps running all along. */
  longRunning: number;
  /** Requests per second each exporter serves (they start and end at once, with a made-up duration). */
  ratePerExporter: number;
}

/** What the worker's exporters served since the traffic started: per task name, and in all. */
interface FleetCounts {
  byName: Record<string, number>;
  errors: number;
  total: number;
}

export interface FleetWorkerStats {
  counts: FleetCounts;
  cpuSeconds: number;
  queued: number;
  dropped: number;
  failed: number;
  ghostsCleaned: number;
  exporterIds: string[];
}

/** Twenty routes, as a service has; a tenth of a percent of them fail. */
const ROUTES = Array.from({ length: 20 }, (_, i) => `/api/resource${i}/:id`);
const TICK_MILLIS = 10;

let sequence = 0;

/** A request of the simulation: a fixed task, built when the exporter writes it. */
class SimulatedTask implements TrackedTask {
  readonly processorId: string;
  private readonly task: HTTPTask;

  constructor(route: string, ended: { statusCode: number; durationMillis: number } | undefined) {
    const id = `sim${++sequence}`;
    this.processorId = `${process.pid}-0-${id}`;
    const now = Date.now();
    this.task = new HTTPTask({
      taskId: id,
      processInternalId: id,
      processId: process.pid,
      threadId: 0,
      hostName: 'fleet-host',
      processorName: `${process.pid}:main`,
      method: 'GET',
      path: route.replace(':id', String(sequence % 1000)),
      taskName: `GET ${route}`,
      protocol: 'http',
      host: 'shop.internal',
      tags: { 'service.name': 'fleet', trace_id: id.padStart(32, '0'), span_id: id.padStart(16, '0') },
      requestHeaders: [['USER-AGENT', 'fleet-simulator/1.0']],
      startedAt: new Date(now - (ended?.durationMillis ?? 0)),
    });
    if (ended !== undefined) {
      this.task.endedAt = new Date(now);
      this.task.statusCode = ended.statusCode;
      this.task.statusMessage = String(ended.statusCode);
      this.task.recordedSuccessfully = true;
    }
  }

  snapshot(): HTTPTask {
    return this.task;
  }

  outcome(): TaskOutcome {
    return outcomeOfTask(this.task);
  }
}

const exporters: RedisTaskExporter[] = [];
const counts: FleetCounts = { byName: {}, errors: 0, total: 0 };
let traffic: NodeJS.Timeout | undefined;

function start(share: FleetShare): string[] {
  for (let i = 0; i < share.exporters; i++) {
    const exporter = new RedisTaskExporter({ url: process.env.BENCH_REDIS_URL });
    exporters.push(exporter);
    for (let j = 0; j < share.longRunning; j++) exporter.taskStarted(new SimulatedTask(ROUTES[j % ROUTES.length], undefined));
  }
  // Every tick, each exporter serves what its rate says is due by then.
  const startedAt = Date.now();
  let served = 0;
  traffic = setInterval(() => {
    const due = Math.floor(((Date.now() - startedAt) * share.ratePerExporter * exporters.length) / 1000);
    for (; served < due; served++) {
      const route = ROUTES[served % ROUTES.length];
      const failed = served % 1000 === 7;
      const task = new SimulatedTask(route, { statusCode: failed ? 500 : 200, durationMillis: 1 + (served % 97) });
      const exporter = exporters[served % exporters.length];
      exporter.taskStarted(task);
      exporter.taskEnded(task);
      const name = `GET ${route}`;
      counts.byName[name] = (counts.byName[name] ?? 0) + 1;
      counts.total++;
      if (failed) counts.errors++;
    }
  }, TICK_MILLIS);
  return exporters.map((exporter) => exporter.id);
}

function stats(): FleetWorkerStats {
  const cpu = process.cpuUsage();
  const sum = { queued: 0, dropped: 0, failed: 0, ghostsCleaned: 0 };
  for (const exporter of exporters) {
    const exporterStats = exporter.getStats();
    sum.queued += exporterStats.queued;
    sum.dropped += exporterStats.dropped;
    sum.failed += exporterStats.failed;
    sum.ghostsCleaned += exporterStats.ghostsCleaned;
  }
  return { counts, cpuSeconds: (cpu.user + cpu.system) / 1e6, ...sum, exporterIds: exporters.map((exporter) => exporter.id) };
}

try {
  serveRequests(
    { pid: process.pid },
    {
      start: (share: FleetShare) => start(share),
      stopTraffic: async () => {
        if (traffic !== undefined) clearInterval(traffic);
        await Promise.all(exporters.map((exporter) => exporter.forceFlush()));
        return stats();
      },
      stats: () => stats(),
    },
    async () => {
      if (traffic !== undefined) clearInterval(traffic);
      await Promise.all(exporters.map((exporter) => exporter.shutdown()));
    },
  );
} catch (error) {
  reportStartFailure(error);
}
