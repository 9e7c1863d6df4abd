import { compareText, type HTTPTask } from '@otel-top/model';

/** The orders `s` cycles through. */
export const SORT_MODES = ['time', 'duration', 'status', 'path'] as const;
export type SortMode = (typeof SORT_MODES)[number];

const time = (date: Date | null): number => date?.getTime() ?? 0;

/**
 * Orders the two tables. `time`, the default: active requests longest
 * running first, completed ones newest first (as the reference viewer).
 */
export class TaskSorter {
  constructor(readonly mode: SortMode = 'time') {}

  next(): TaskSorter {
    return new TaskSorter(SORT_MODES[(SORT_MODES.indexOf(this.mode) + 1) % SORT_MODES.length]);
  }

  sortActive(tasks: HTTPTask[], now: Date): HTTPTask[] {
    const byStart = (a: HTTPTask, b: HTTPTask): number => time(a.startedAt) - time(b.startedAt);
    return this.sort(tasks, now, byStart);
  }

  sortCompleted(tasks: HTTPTask[], now: Date): HTTPTask[] {
    const newestFirst = (a: HTTPTask, b: HTTPTask): number => time(b.endedAt) - time(a.endedAt);
    return this.sort(tasks, now, newestFirst);
  }

  private sort(tasks: HTTPTask[], now: Date, byTime: (a: HTTPTask, b: HTTPTask) => number): HTTPTask[] {
    switch (this.mode) {
      case 'time':
        return tasks.sort(byTime);
      case 'duration':
        return tasks.sort((a, b) => (b.getDuration(now) ?? 0) - (a.getDuration(now) ?? 0) || byTime(a, b));
      case 'status':
        return tasks.sort((a, b) => (b.statusCode ?? 0) - (a.statusCode ?? 0) || byTime(a, b));
      case 'path':
        return tasks.sort((a, b) => compareText(a.path ?? '', b.path ?? '') || byTime(a, b));
    }
  }
}
