import type { TaskSource } from '@otel-top/memory-exporter';
import { ActivePage, HTTPTask, ProcessFigures, Task, TaskReader, TaskUpdateListener, TrafficReport, TrafficWindowName } from '@otel-top/model';

function httpTask(task: Task): HTTPTask | undefined {
  if (task instanceof HTTPTask) return task;
  try {
    return HTTPTask.fromJSON(task.toJSON());
  } catch {
    return undefined;
  }
}

/**
 * A TaskReader on a MemoryTaskExporter (or any TaskSource) of this very
 * process: the page of one process, without Redis. It has no updates to
 * follow; every read sees the tasks of that moment, and the page re-reads
 * once per refresh.
 */
export class ExporterTaskReader implements TaskReader {
  constructor(private readonly source: TaskSource) {}

  async getActiveTasks(): Promise<Map<string, HTTPTask>> {
    const tasks = new Map<string, HTTPTask>();
    for (const [id, task] of await this.source.getActiveTasks()) {
      const decoded = httpTask(task);
      if (decoded !== undefined) tasks.set(id, decoded);
    }
    return tasks;
  }

  /** One process's table is small: all of it, longest-running first. */
  async getActiveTasksPage(): Promise<ActivePage> {
    const all = await this.getActiveTasks();
    const sorted = [...all].sort(([, a], [, b]) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0));
    return { tasks: new Map(sorted), total: all.size };
  }

  async getCompletedTasks(): Promise<HTTPTask[]> {
    return (await this.source.getCompletedTasks()).map(httpTask).filter((task): task is HTTPTask => task !== undefined);
  }

  async getTraffic(window: TrafficWindowName): Promise<TrafficReport> {
    return this.source.getTraffic(window);
  }

  async getProcesses(): Promise<ProcessFigures[]> {
    return this.source.getProcesses();
  }

  /** Nothing is published in one process: the refreshes see every change. */
  async subscribe(_listener: TaskUpdateListener): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  async close(): Promise<void> {
    // The exporter is the app's: it shuts down with its tracer provider.
  }
}
