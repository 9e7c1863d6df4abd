import { describeOpenSpan, HTTPTask, openSpanDepths } from '@otel-top/model';
import { taskRoute, taskService } from './column-catalog.js';
import { Cell, MISSING, TaskFormatter } from './task-formatter.js';

/** A named field of the detail, such as `Path` or `Trace id`. */
export interface DetailField {
  readonly name: string;
  readonly value: Cell;
}

/** One open span of the request, as a line of a tree: how deep, what it is, for how long, and its attributes. */
export interface DetailSpan {
  readonly depth: number;
  readonly name: string;
  readonly kind: string;
  readonly summary: string;
  readonly open: Cell;
  readonly attributes: ReadonlyArray<readonly [string, string]>;
}

/** A part of the detail: named fields, name-value pairs as they came (headers, tags; a name may repeat), or the open spans. */
export type DetailSection =
  | { readonly title: string; readonly kind: 'fields'; readonly fields: readonly DetailField[] }
  | { readonly title: string; readonly kind: 'pairs'; readonly pairs: ReadonlyArray<readonly [string, string]> }
  | { readonly title: string; readonly kind: 'spans'; readonly spans: readonly DetailSpan[] };

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
    const spans: DetailSpan[] = openSpanDepths(task.openSpans ?? []).map(({ span, depth }) => ({
      depth,
      name: span.name ?? MISSING,
      kind: span.kind ?? MISSING,
      summary: describeOpenSpan(span),
      open: { text: format.millis(span.startedAt === null ? undefined : now.getTime() - span.startedAt.getTime()) },
      attributes: Object.entries(span.attributes ?? {}).map(([name, value]) => [name, String(value)] as const),
    }));
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
      ...(task.endedAt === null ? [{ title: 'Waiting on (open spans)', kind: 'spans', spans } as const] : []),
      { title: 'Request headers', kind: 'pairs', pairs: task.requestHeaders ?? [] },
      { title: 'Response headers', kind: 'pairs', pairs: task.responseHeaders ?? [] },
      { title: 'Tags', kind: 'pairs', pairs: Object.entries(task.tags ?? {}) },
    ];
  }
}
