import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { benchTracing } from './bench-tracing';
import { createBenchServer } from './bench-app';
import { reportStartFailure, serveRequests } from './child-endpoint';
import { PythonStyleTracker } from './python-style-tracker';
import { recordSwitchWindows } from './tracking-switch-windows';
import type { ServerStats } from './types';

/**
 * A benchmark server process. With BENCH_WORKERS > 1 this is a node:cluster
 * primary that only forks the workers and reports their pids; every worker
 * (or the single process) serves the app. Started by ServerProcess with
 * `--require bench-tracing.js`.
 */
const workers = Number(process.env.BENCH_WORKERS ?? '1');

function stats(): ServerStats {
  const memory = process.memoryUsage();
  const exporter = benchTracing.exporter?.getStats();
  const tracker = benchTracing.tracker;
  return {
    heapUsed: memory.heapUsed,
    rss: memory.rss,
    redisWrites: benchTracing.redisWrites.writes,
    ...(exporter === undefined ? {} : { exporter: { ...exporter } }),
    ...(tracker === undefined ? {} : { processorErrors: tracker.errorCount }),
  };
}

async function collectGarbage(): Promise<ServerStats> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('start the server with --expose-gc');
  // Twice: the first pass may only finalize what the second frees.
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return stats();
}

async function startPrimary(): Promise<void> {
  const listening = new Promise<{ pids: number[]; port: number }>((resolve, reject) => {
    const pids: number[] = [];
    cluster.on('listening', (worker, address) => {
      pids.push(worker.process.pid ?? 0);
      if (pids.length === workers) resolve({ pids, port: address.port });
    });
    cluster.on('exit', (worker, code) => reject(new Error(`worker ${worker.process.pid} exited with code ${code}`)));
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  const { pids, port } = await listening;
  serveRequests(
    { port, pids },
    { stats: () => stats() },
    async () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    },
  );
}

async function startServer(): Promise<void> {
  let pythonClient: Redis | undefined;
  let tracking;
  if (benchTracing.variant === 'python') {
    pythonClient = new Redis(process.env.BENCH_REDIS_URL ?? '', { maxRetriesPerRequest: 0, enableOfflineQueue: false });
    pythonClient.on('error', () => {
      // Counted by the benchmark as failed requests if it mattered; the Python writer also carries on.
    });
    tracking = new PythonStyleTracker(pythonClient).middleware();
  }
  const server = createBenchServer(benchTracing.app, { tracking, childTracer: benchTracing.childTracer }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  if (cluster.isWorker) {
    // The primary holds the IPC channel to the benchmark; a worker only serves.
    process.on('SIGTERM', () => void benchTracing.provider.shutdown().finally(() => process.exit(0)));
    return;
  }
  const port = (server.address() as AddressInfo).port;
  serveRequests(
    { port, pids: [process.pid] },
    {
      stats: () => stats(),
      gc: () => collectGarbage(),
      tracking: (enabled: boolean) => benchTracing.setTracking(enabled),
      timings: (reset: boolean) => {
        const timers = benchTracing.timers;
        if (timers === undefined) throw new Error(`${benchTracing.variant} is not timed`);
        const times = timers.times();
        if (reset) timers.reset();
        return times;
      },
      switchTracking: (plan: { windowMillis: number; windows: number }) =>
        recordSwitchWindows(server, (enabled) => benchTracing.setTracking(enabled), plan.windowMillis, plan.windows),
      switchChildrenSeen: (plan: { windowMillis: number; windows: number }) =>
        recordSwitchWindows(server, (seen) => benchTracing.setChildrenSeen(seen), plan.windowMillis, plan.windows),
      flush: async () => {
        await benchTracing.provider.forceFlush();
        return stats();
      },
    },
    async () => {
      server.close();
      server.closeAllConnections();
      await benchTracing.provider.shutdown();
      pythonClient?.disconnect();
    },
  );
}

(cluster.isPrimary && workers > 1 ? startPrimary() : startServer()).catch(reportStartFailure);
