import type { ActivePage, HTTPTask, ProcessFigures, TaskReader, TrafficReport, TrafficWindowName } from '@otel-top/model';

/**
 * Most active requests read per refresh: a table of more is read through the writers' index, longest-running
 * first, so that a fleet of 100,000 running requests costs the viewer what it shows.
 */
export const ACTIVE_PAGE = 500;

/** What otel-top live reads at each refresh, each part settled on its own: a tracker without counters still shows its tasks. */
export interface LiveReads {
  tasks: PromiseSettledResult<[ActivePage, HTTPTask[]]>;
  traffic: PromiseSettledResult<TrafficReport>;
  processes: PromiseSettledResult<ProcessFigures[]>;
}

/** One refresh of otel-top live, all its reads sent at once; the benchmark times this same function. */
export async function readLive(reader: TaskReader, window: TrafficWindowName): Promise<LiveReads> {
  const [tasks, traffic, processes] = await Promise.allSettled([
    Promise.all([reader.getActiveTasksPage(ACTIVE_PAGE), reader.getCompletedTasks()]),
    reader.getTraffic(window),
    reader.getProcesses(),
  ]);
  return { tasks, traffic, processes };
}
