import { HTTPTask, trackingTableKeys } from '@otel-top/model';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { Redis } from 'ioredis';
import { reportStartFailure, serveRequests } from './child-endpoint';

export interface ReadRun {
  what: 'active' | 'completed' | 'active, one round trip per task';
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

async function read(run: ReadRun): Promise<ReadResult> {
  const millis: number[] = [];
  let tasks = 0;
  for (let i = 0; i < run.repetitions; i++) {
    const start = process.hrtime.bigint();
    if (run.what === 'active') tasks = (await reader.getActiveTasks()).size;
    else if (run.what === 'completed') tasks = (await reader.getCompletedTasks(run.limit)).length;
    else tasks = await activeOneByOne();
    millis.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const skipped = run.what === 'completed' ? reader.skipped.completed : reader.skipped.active;
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
