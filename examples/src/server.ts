// The example app in node's cluster: WORKERS processes (default 2) share one
// port, each with its own OpenTelemetry setup, so otel-top shows them as
// separate workers. PORT=0 picks a free port; the URL is printed once every
// worker listens.
import cluster from 'node:cluster';
import { join } from 'node:path';

const workers = Number(process.env.WORKERS ?? 2);
cluster.setupPrimary({ exec: join(__dirname, 'worker.js') });

let listening = 0;
let stopping = false;
cluster.on('listening', (_worker, address) => {
  listening++;
  if (listening === workers) console.log(`example-shop listening on http://${address.address}:${address.port} with ${workers} workers`);
});
cluster.on('exit', (worker, code, signal) => {
  if (!stopping) console.error(`worker ${worker.process.pid} exited (${signal ?? code})`);
  if (Object.keys(cluster.workers ?? {}).length === 0 && stopping) process.exit(0);
});

function stop(): void {
  if (stopping) return;
  stopping = true;
  const running = Object.values(cluster.workers ?? {});
  if (running.length === 0) process.exit(0);
  for (const worker of running) worker?.process.kill('SIGTERM');
  // A worker that does not stop within 5 s is killed, so nothing is left behind.
  setTimeout(() => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
    process.exit(0);
  }, 5_000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

for (let index = 0; index < workers; index++) cluster.fork();
