import { describeOpenSpan, HTTPTask, innermostOpenSpan } from '@otel-top/model';
import { Cell, MISSING, TaskFormatter } from './task-formatter.js';

/**
 * When a column is shown. `any-value`: only while some row being shown has a
 * value in it (as the country column of the Python web-top), so a table whose
 * requests carry no such header does not spend width on an empty column.
 */
export type ShowWhen = 'always' | 'any-value';

/** What a renderer needs to lay a column out: plain data. */
export interface ColumnHead {
  /** The header, as the reference viewer names it. */
  readonly name: string;
  readonly align: 'left' | 'right';
  /** Takes the width left over when the terminal is wide, and gives it back first when narrow. */
  readonly flexible: boolean;
  /** Narrowest it gets before the table cuts columns at the right. */
  readonly minWidth: number;
}

/** One column of a task table. */
export interface Column extends ColumnHead {
  readonly showWhen: ShowWhen;
  /** The cell; its text is '' or MISSING when the task has no value for it. */
  cell(task: HTTPTask, now: Date): Cell;
}

/** Route: the task name without its method, as the span processor names tasks `METHOD route`. */
export function taskRoute(task: HTTPTask): string | undefined {
  const name = task.taskName;
  if (name === null) return undefined;
  const method = task.method;
  return method !== null && name.startsWith(`${method} `) ? name.slice(method.length + 1) : name;
}

export function taskService(task: HTTPTask): string | undefined {
  return task.tags?.['service.name'];
}

function text(value: string | number | null | undefined): Cell {
  return { text: value === null || value === undefined || value === '' ? MISSING : String(value) };
}

/** What an active request waits on: its innermost open span, and how long that has been open. */
function waitingOn(task: HTTPTask, now: Date, format: TaskFormatter): Cell {
  const span = innermostOpenSpan(task.openSpans);
  if (span === undefined) return { text: '' };
  const open = span.startedAt === null ? undefined : now.getTime() - span.startedAt.getTime();
  return { text: `${describeOpenSpan(span)} ${format.millis(open)}` };
}

/** Country: the flag and the code, so it reads the same in terminals without emoji. */
function country(task: HTTPTask): Cell {
  const code = task.getIpCountry();
  if (code === undefined) return { text: '' };
  const flag = task.getFlag();
  return { text: flag === undefined ? code : `${flag} ${code}` };
}

/**
 * Every column the viewer can show, by name. Names are matched
 * case-insensitively, ignoring spaces, dashes and underscores (`user-agent`).
 */
export class ColumnCatalog {
  /** Every column name, in the order `--help` lists them. */
  static readonly NAMES = ['Cty', 'IP', 'Worker', 'Method', 'Path', 'Duration', 'Waiting on', 'Ago', 'Resp', 'Length', 'User agent', 'Host', 'Route', 'Service', 'Server'];
  static readonly ACTIVE_DEFAULT = ['Cty', 'IP', 'Worker', 'Method', 'Path', 'Duration', 'Waiting on', 'User agent'];
  static readonly COMPLETED_DEFAULT = ['Cty', 'IP', 'Ago', 'Duration', 'Resp', 'Method', 'Path', 'Length', 'User agent'];
  static readonly RECENT_DEFAULT = ['Cty', 'IP', 'Worker', 'Method', 'Path', 'Duration', 'Waiting on', 'Ago', 'Resp', 'Length', 'User agent'];

  private readonly columns: Column[];

  constructor(format: TaskFormatter) {
    const column = (
      name: string,
      cell: (task: HTTPTask, now: Date) => Cell,
      options: { align?: 'left' | 'right'; flexible?: boolean; minWidth?: number; showWhen?: ShowWhen } = {},
    ): Column => ({
      name,
      cell,
      align: options.align ?? 'left',
      flexible: options.flexible ?? false,
      minWidth: options.minWidth ?? name.length,
      showWhen: options.showWhen ?? 'always',
    });
    this.columns = [
      column('Cty', country, { showWhen: 'any-value' }),
      column('IP', (task) => text(task.getOriginalIp()), { minWidth: 7 }),
      column('Worker', (task) => text(task.processorName ?? task.processId), { flexible: true, minWidth: 8 }),
      column('Method', (task) => text(task.method)),
      column('Path', (task) => text(task.path), { flexible: true, minWidth: 12 }),
      column('Duration', (task, now) => format.duration(task, now), { align: 'right' }),
      column('Waiting on', (task, now) => waitingOn(task, now, format), { flexible: true, minWidth: 10, showWhen: 'any-value' }),
      column('Ago', (task, now) => format.ago(task, now), { align: 'right' }),
      column('Resp', (task) => format.status(task), { align: 'right' }),
      column('Length', (task) => text(task.getContentLength()), { align: 'right' }),
      column('User agent', (task) => text(task.getUserAgent()), { flexible: true, minWidth: 10 }),
      column('Host', (task) => text(task.getHost()), { flexible: true, minWidth: 8 }),
      column('Route', (task) => text(taskRoute(task)), { flexible: true, minWidth: 8 }),
      column('Service', (task) => text(taskService(task)), { flexible: true, minWidth: 8 }),
      column('Server', (task) => text(task.hostName), { flexible: true, minWidth: 8 }),
    ];
  }

  /** The named columns in the given order, each shown as its definition says; throws a RangeError naming an unknown one. */
  select(names: readonly string[]): Column[] {
    return ColumnCatalog.parse(names.join(',')).map((name) => {
      const found = this.columns.find((column) => column.name === name);
      if (found === undefined) throw new RangeError(`column "${name}" has no definition`);
      return found;
    });
  }

  /**
   * The columns the user named (`--columns`), else the defaults. A column the
   * user named is always shown, empty or not: they asked for it.
   */
  choose(named: readonly string[] | undefined, defaults: readonly string[]): Column[] {
    if (named === undefined) return this.select(defaults);
    return this.select(named).map((column) => ({ ...column, showWhen: 'always' }));
  }

  /** A comma-separated list of column names, spelled as NAMES; throws a RangeError naming an unknown one. */
  static parse(list: string): string[] {
    const normalize = (name: string): string => name.toLowerCase().replace(/[\s_-]/g, '');
    return list
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '')
      .map((name) => {
        const found = ColumnCatalog.NAMES.find((known) => normalize(known) === normalize(name));
        if (found === undefined) throw new RangeError(`unknown column "${name}"; columns are: ${ColumnCatalog.NAMES.join(', ')}`);
        return found;
      });
  }
}
