/**
 * A process with an exporter and some requests in flight, for the ghost tests:
 * they kill it (SIGKILL), freeze it (SIGSTOP) and bring it back. Config comes
 * as JSON in argv[2] plus `tasks`; it prints `ready` once its tasks are in
 * Redis (with their ids and its exporter's), and on `end` from stdin ends
 * them and prints its stats as JSON.
 */
import { createInterface } from 'node:readline';
import { RedisTaskExporter, RedisTaskExporterConfig } from '../src';
import { StaticTask } from './static-task';

const { tasks: count, ...config } = JSON.parse(process.argv[2]) as RedisTaskExporterConfig & { tasks: number };
const exporter = new RedisTaskExporter(config);
const tasks = Array.from({ length: count }, (_, i) => new StaticTask(`/in-flight/${i}`));
for (const task of tasks) exporter.taskStarted(task);
void exporter
  .forceFlush()
  .then(() => process.stdout.write(`ready ${JSON.stringify({ ids: tasks.map((task) => task.processorId), exporter: exporter.id })}\n`));
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line !== 'end') return;
  for (const task of tasks) exporter.taskEnded(task.end());
  void exporter.forceFlush().then(() => process.stdout.write(`stats ${JSON.stringify(exporter.getStats())}\n`));
});
