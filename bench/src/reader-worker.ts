import { HTTPTask, trackingTableKeys } from '@otel-top/model';
import { sampleTaskJson } from './sample-task';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { Redis } from 'ioredis';
import { reportStartFailure, serveRequests } from './child-endpoint';

export interface ReadRun {
  /**
   * `active`: the same reader re-reads an unchanged table; `active, 10% replaced`: before each read a tenth
   * of the records are replaced by new ones, as requests end and start between a viewer's refreshes;
   * `active, new reader`: a reader that has read nothing yet, so every record is decoded.
   */
  what: 'active' | 'active, 10% replaced' | 'active, new reader' | 'completed' | 'active, one round trip per task';
  repetitions: number;
  limit?: number;
}

export interface ReadResult {
  /** Milliseconds of each repetition. */
  millis: number[];
  tasks: number;
  skipped: number;
}

const url = process.env.BENCH_REDIS_URL;
const reader = new RedisTaskReader({ url });
const client = new Redis(url ?? '');
const keys = trackingTableKeys();

/** The Python reader's way, as the reference: list the fields, then one HGET per task. */
async function activeOneByOne(): Promise<number> {
  const fields = await client.hkeys(keys.processors);
  let tasks = 0;
  for (const field of fields) {
    const json = await client.hget(keys.processors, field);
    if (json !== null) {
      HTTPTask.fromJSON(json);
      tasks++;
    }
  }
  return tasks;
}

let replaced = 0;

/** Replaces a tenth of the active records by new ones (not timed). */
async function replaceTenth(): Promise<void> {
  const fields = await client.hkeys(keys.processors);
  const count = Math.floor(fields.length / 10);
  const added: string[] = [];
  for (let i = 0; i < count; i++) {
    const { field, json } = sampleTaskJson(10_000_000 + replaced++, false);
    added.push(field, json);
  }
  if (count > 0) await client.multi().hdel(keys.processors, ...fields.slice(0, count)).hset(keys.processors, ...added).exec();
}

async function read(run: ReadRun): Promise<ReadResult> {
  const millis: number[] = [];
  let tasks = 0;
  let skipped = 0;
  for (let i = 0; i < run.repetitions; i++) {
    let current = reader;
    if (run.what === 'active, 10% replaced') await replaceTenth();
    if (run.what === 'active, new reader') {
      // Without the look for dead exporters, which a long-lived reader does at most once a second.
      current = new RedisTaskReader({ url, cleanGhosts: false });
      await current.getCompletedTasks(1); // connected before the clock starts
    }
    const start = process.hrtime.bigint();
    if (run.what === 'completed') tasks = (await current.getCompletedTasks(run.limit)).length;
    else if (run.what === 'active, one round trip per task') tasks = await activeOneByOne();
    else tasks = (await current.getActiveTasks()).size;
    millis.push(Number(process.hrtime.bigint() - start) / 1e6);
    skipped = run.what === 'completed' ? current.skipped.completed : current.skipped.active;
    if (current !== reader) await current.close();
  }
  return { millis, tasks, skipped };
}

try {
  serveRequests(
    { pid: process.pid },
    { read: (run: ReadRun) => read(run) },
    async () => {
      await reader.close();
      client.disconnect();
    },
  );
} catch (error) {
  reportStartFailure(error);
}
