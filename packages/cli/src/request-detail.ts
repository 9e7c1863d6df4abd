import type { HTTPTask } from '@otel-top/model';
import { taskRoute, taskService } from './column-catalog.js';
import { Cell, MISSING, TaskFormatter } from './task-formatter.js';

/** A named field of the detail, such as `Path` or `Trace id`. */
export interface DetailField {
  readonly name: string;
  readonly value: Cell;
}

/** A part of the detail: named fields, or name-value pairs as they came (headers, tags; a name may repeat). */
export type DetailSection =
  | { readonly title: string; readonly kind: 'fields'; readonly fields: readonly DetailField[] }
  | { readonly title: string; readonly kind: 'pairs'; readonly pairs: ReadonlyArray<readonly [string, string]> };

function show(value: unknown): Cell {
  if (value === null || value === undefined || value === '') return { text: MISSING };
  if (value instanceof Date) return { text: value.toISOString() };
  if (typeof value === 'object') return { text: JSON.stringify(value) };
  return { text: String(value) };
}

/** Every field of one request, all its headers, tags and trace id, as plain data. */
export class RequestDetail {
  static of(task: HTTPTask, now: Date, format: TaskFormatter): DetailSection[] {
    const field = (name: string, value: unknown): DetailField => ({ name, value: show(value) });
    const cell = (name: string, value: Cell): DetailField => ({ name, value });
    const country = task.getIpCountry();
    return [
      {
        title: 'Request',
        kind: 'fields',
        fields: [
          field('Method', task.method),
          field('Path', task.path),
          field('Route', taskRoute(task)),
          field('URI', task.uri),
          field('Host', task.getHost()),
          field('Protocol', task.protocol),
          field('Params', task.params),
          field('Original IP', task.getOriginalIp()),
          field('Peer IP', task.clientIpAddress),
          field('Country', country === undefined ? undefined : `${task.getFlag() ?? ''} ${country}`.trim()),
          field('User agent', task.getUserAgent()),
        ],
      },
      {
        title: 'Response',
        kind: 'fields',
        fields: [
          task.statusCode === null && task.endedAt === null ? field('Status', 'running') : cell('Status', format.status(task)),
          field('Status message', task.statusMessage),
          field('Content length', task.getContentLength()),
          cell('Duration', format.duration(task, now)),
          field('Ended ago', task.endedAt === null ? undefined : format.millis(task.getAgo(now))),
        ],
      },
      {
        title: 'Task',
        kind: 'fields',
        fields: [
          field('Task id', task.taskId),
          field('Task name', task.taskName),
          field('Trace id', task.tags?.['trace_id']),
          field('Span id', task.tags?.['span_id']),
          field('Service', taskService(task)),
          field('Server (host name)', task.hostName),
          field('Process id', task.processId),
          field('Thread id', task.threadId),
          field('Worker', task.processorName),
          field('Processor id', task.getProcessorTrackingId()),
          field('Started at', task.startedAt),
          field('Updated at', task.updatedAt),
          field('Ended at', task.endedAt),
          field('Recorded successfully', task.recordedSuccessfully),
          field('Command line', task.commandLine?.join(' ')),
        ],
      },
      { title: 'Request headers', kind: 'pairs', pairs: task.requestHeaders ?? [] },
      { title: 'Response headers', kind: 'pairs', pairs: task.responseHeaders ?? [] },
      { title: 'Tags', kind: 'pairs', pairs: Object.entries(task.tags ?? {}) },
    ];
  }
}
