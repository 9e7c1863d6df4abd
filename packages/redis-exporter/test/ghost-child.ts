/**
 * A process with exporters and some requests in flight, for the ghost tests:
 * they kill it (SIGKILL), freeze it (SIGSTOP) and bring it back. Config comes
 * as JSON in argv[2] plus `tasks` (per exporter) and `exporters` (default 1,
 * each with its own identity and connection, as separate processes would
 * have); it prints `ready` once its tasks are in Redis (with their ids and the
 * first exporter's), and on `end` from stdin ends them and prints the first
 * exporter's stats as JSON.
 */
import { createInterface } from 'node:readline';
import { RedisTaskExporter, RedisTaskExporterConfig } from '../src';
import { StaticTask } from './static-task';

const { tasks: count, exporters: exporterCount = 1, ...config } = JSON.parse(process.argv[2]) as RedisTaskExporterConfig & {
  tasks: number;
  exporters?: number;
};
const exporters = Array.from({ length: exporterCount }, () => new RedisTaskExporter(config));
const tasks = exporters.map((exporter, e) => {
  const own = Array.from({ length: count }, (_, i) => new StaticTask(`/in-flight/${e}/${i}`));
  for (const task of own) exporter.taskStarted(task);
  return own;
});
const [exporter] = exporters;
void Promise.all(exporters.map((each) => each.forceFlush())).then(() =>
  process.stdout.write(`ready ${JSON.stringify({ ids: tasks.flat().map((task) => task.processorId), exporter: exporter.id })}\n`),
);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line !== 'end') return;
  exporters.forEach((each, e) => {
    for (const task of tasks[e]) each.taskEnded(task.end());
  });
  void Promise.all(exporters.map((each) => each.forceFlush())).then(() => process.stdout.write(`stats ${JSON.stringify(exporter.getStats())}\n`));
});
