import { DEFAULT_MAX_COMPLETED_TASKS, MAX_COMPLETED_TASKS_ENV } from './tracking-table-keys';

/** A positive integer setting, from an option or an environment variable; a clear error names it. */
export function positiveInteger(value: number | string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new TypeError(`otel-top: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** Length of the completed list: the option, else env TOP_MAX_COMPLETED_TASKS (as in Python), else 256. */
export function maxCompletedTasks(option: number | undefined): number {
  return option === undefined
    ? positiveInteger(process.env[MAX_COMPLETED_TASKS_ENV], MAX_COMPLETED_TASKS_ENV, DEFAULT_MAX_COMPLETED_TASKS)
    : positiveInteger(option, 'maxCompletedTasks', DEFAULT_MAX_COMPLETED_TASKS);
}
