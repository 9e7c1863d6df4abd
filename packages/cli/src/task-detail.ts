import type { HTTPTask } from '@otel-top/model';
import type { Colors } from 'picocolors/types.js';
import { taskRoute, taskService } from './column-catalog.js';
import { MISSING, TaskFormatter } from './task-formatter.js';

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return MISSING;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Every field of one request, all its headers, tags and trace id, as lines for the detail view. */
export class TaskDetail {
  constructor(
    private readonly format: TaskFormatter,
    private readonly colors: Colors,
  ) {}

  lines(task: HTTPTask, now: Date): string[] {
    const { colors } = this;
    const section = (title: string): string => colors.bold(colors.underline(title));
    const row = (name: string, value: unknown): string => `  ${colors.dim(name.padEnd(22))} ${show(value)}`;
    const lines: string[] = [];

    lines.push(section('Request'));
    lines.push(row('Method', task.method));
    lines.push(row('Path', task.path));
    lines.push(row('Route', taskRoute(task)));
    lines.push(row('URI', task.uri));
    lines.push(row('Host', task.getHost()));
    lines.push(row('Protocol', task.protocol));
    lines.push(row('Params', task.params));
    lines.push(row('Original IP', task.getOriginalIp()));
    lines.push(row('Peer IP', task.clientIpAddress));
    const country = task.getIpCountry();
    lines.push(row('Country', country === undefined ? undefined : `${task.getFlag() ?? ''} ${country}`.trim()));
    lines.push(row('User agent', task.getUserAgent()));
    lines.push('');

    lines.push(section('Response'));
    lines.push(row('Status', task.statusCode === null && task.endedAt === null ? 'running' : this.format.status(task)));
    lines.push(row('Status message', task.statusMessage));
    lines.push(row('Content length', task.getContentLength()));
    lines.push(row('Duration', this.format.duration(task, now)));
    lines.push(row('Ended ago', task.endedAt === null ? undefined : this.format.millis(task.getAgo(now))));
    lines.push('');

    lines.push(section('Task'));
    lines.push(row('Task id', task.taskId));
    lines.push(row('Task name', task.taskName));
    lines.push(row('Trace id', task.tags?.['trace_id']));
    lines.push(row('Span id', task.tags?.['span_id']));
    lines.push(row('Service', taskService(task)));
    lines.push(row('Server (host name)', task.hostName));
    lines.push(row('Process id', task.processId));
    lines.push(row('Thread id', task.threadId));
    lines.push(row('Worker', task.processorName));
    lines.push(row('Processor id', task.getProcessorTrackingId()));
    lines.push(row('Started at', task.startedAt));
    lines.push(row('Updated at', task.updatedAt));
    lines.push(row('Ended at', task.endedAt));
    lines.push(row('Recorded successfully', task.recordedSuccessfully));
    lines.push(row('Command line', task.commandLine?.join(' ')));
    lines.push('');

    lines.push(section('Request headers'));
    lines.push(...this.pairs(task.requestHeaders ?? []));
    lines.push('');
    lines.push(section('Response headers'));
    lines.push(...this.pairs(task.responseHeaders ?? []));
    lines.push('');
    lines.push(section('Tags'));
    lines.push(...this.pairs(Object.entries(task.tags ?? {})));
    return lines;
  }

  private pairs(pairs: ReadonlyArray<readonly [string, string]>): string[] {
    if (pairs.length === 0) return [`  ${MISSING}`];
    return pairs.map(([name, value]) => `  ${this.colors.dim(`${name}:`)} ${value}`);
  }
}
