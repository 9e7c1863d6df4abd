/**
 * A short script that tracks one task and then simply runs out of work, as a
 * CLI tool or a test run would. Run by exit-behaviour.test.ts: the exporter
 * must not keep it alive. With FLUSH=1 it awaits forceFlush() before ending.
 */
import { RedisTaskExporter } from '../src';
import { StaticTask } from './static-task';

const exporter = new RedisTaskExporter({ url: process.env.TRACKER_URL });
exporter.taskEnded(new StaticTask('/exiting').end());
if (process.env.FLUSH === '1') {
  void exporter.forceFlush().then(() => process.stdout.write(`${JSON.stringify(exporter.getStats())}\n`));
}
