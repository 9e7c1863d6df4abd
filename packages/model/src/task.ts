import { TaskDecodeError } from './task-decode-error';
import { formatWireTime } from './wire-time';
import {
  decodeBoolean,
  decodeInteger,
  decodeIntegerOrString,
  decodeString,
  decodeStringArray,
  decodeStringMap,
  decodeTime,
  WireDecoder,
  WireField,
  wireField,
} from './wire-field';

/** The wire form of a task: what `JSON.stringify(task)` produces and what Redis holds. */
export type TaskWire = Record<string, unknown>;

/** The fields of a Task, for constructing one. Every field is optional; unknown is null. */
export interface TaskFields {
  taskId: number | string | null;
  taskName: string | null;
  hostName: string | null;
  processId: number | null;
  threadId: number | null;
  processInternalId: string | null;
  processorName: string | null;
  startedAt: Date | null;
  updatedAt: Date | null;
  endedAt: Date | null;
  /** null: not ended; true: ended normally; false: cleaned up by a monitor (process died). */
  recordedSuccessfully: boolean | null;
  tags: Record<string, string> | null;
  commandLine: string[] | null;
}

/** Wire names in the order the Python Top Framework writes them. */
export const TASK_WIRE_FIELDS: ReadonlyArray<WireField<TaskFields>> = [
  wireField('taskId', 'task_id', decodeIntegerOrString),
  wireField('taskName', 'task_name', decodeString),
  wireField('hostName', 'host_name', decodeString),
  wireField('processId', 'process_id', decodeInteger),
  wireField('threadId', 'thread_id', decodeInteger),
  wireField('processInternalId', 'process_internal_id', decodeString),
  wireField('processorName', 'processor_name', decodeString),
  wireField('startedAt', 'started_at', decodeTime),
  wireField('updatedAt', 'updated_at', decodeTime),
  wireField('endedAt', 'ended_at', decodeTime),
  wireField('recordedSuccessfully', 'recorded_successfully', decodeBoolean),
  wireField('tags', 'tags', decodeStringMap),
  wireField('commandLine', 'command_line', decodeStringArray),
];

/** Parses JSON text, or passes an already parsed value through, as a JSON object. */
export function parseWireObject(input: string | unknown): Record<string, unknown> {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new TaskDecodeError(`not JSON: ${(error as Error).message}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TaskDecodeError('a task must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * A unit of work tracked in the tracking table: a flat record of named fields,
 * as in the Python Top Framework's Task.
 */
export class Task implements TaskFields {
  taskId: number | string | null = null;
  taskName: string | null = null;
  hostName: string | null = null;
  processId: number | null = null;
  threadId: number | null = null;
  processInternalId: string | null = null;
  processorName: string | null = null;
  startedAt: Date | null = null;
  updatedAt: Date | null = null;
  endedAt: Date | null = null;
  recordedSuccessfully: boolean | null = null;
  tags: Record<string, string> | null = null;
  commandLine: string[] | null = null;

  constructor(fields: Partial<TaskFields> = {}) {
    Object.assign(this, fields);
  }

  /** Decodes a task from JSON text or a parsed object; unknown keys are ignored. */
  static fromJSON(input: string | unknown): Task {
    const task = new Task();
    decodeTaskFields(task, parseWireObject(input));
    return task;
  }

  /** The wire object, so that `JSON.stringify(task)` is the wire form. */
  toJSON(): TaskWire {
    // One literal of fixed shape: much cheaper to build and stringify than a loop over the field table.
    return {
      task_id: this.taskId ?? null,
      task_name: this.taskName ?? null,
      host_name: this.hostName ?? null,
      process_id: this.processId ?? null,
      thread_id: this.threadId ?? null,
      process_internal_id: this.processInternalId ?? null,
      processor_name: this.processorName ?? null,
      started_at: wireTime(this.startedAt),
      updated_at: wireTime(this.updatedAt),
      ended_at: wireTime(this.endedAt),
      recorded_successfully: this.recordedSuccessfully ?? null,
      tags: this.tags ?? null,
      command_line: this.commandLine ?? null,
    };
  }

  /** The field of the `processors` hash this task lives under while active. */
  getProcessorTrackingId(): string {
    // Truthiness as in Python: an empty internal id means none.
    if (this.processInternalId) {
      return `${this.processId}-${this.threadId}-${this.processInternalId}`;
    }
    return `pid:${this.processId} tid:${this.threadId}`;
  }

  /** Milliseconds from start to end, or to `now` while running; undefined without a start. */
  getDuration(now: Date = new Date()): number | undefined {
    if (this.startedAt === null) return undefined;
    return (this.endedAt ?? now).getTime() - this.startedAt.getTime();
  }

  /** Milliseconds since the task ended; undefined while it runs. */
  getAgo(now: Date = new Date()): number | undefined {
    if (this.endedAt === null) return undefined;
    return now.getTime() - this.endedAt.getTime();
  }
}

/** A wire value: null when absent or null, else decoded (a wrong type throws TaskDecodeError naming the field). */
export function decodeWireValue<V>(raw: unknown, wireName: string, decode: WireDecoder<V>): V | null {
  return raw === null || raw === undefined ? null : decode(raw, wireName);
}

/**
 * Decodes Task's fields of TASK_WIRE_FIELDS. Spelled out, as toJSON() is: a
 * reader decodes thousands of tasks per refresh, and one store per named
 * field is several times faster than a loop over the table.
 */
export function decodeTaskFields(task: TaskFields, wire: Record<string, unknown>): void {
  task.taskId = decodeWireValue(wire.task_id, 'task_id', decodeIntegerOrString);
  task.taskName = decodeWireValue(wire.task_name, 'task_name', decodeString);
  task.hostName = decodeWireValue(wire.host_name, 'host_name', decodeString);
  task.processId = decodeWireValue(wire.process_id, 'process_id', decodeInteger);
  task.threadId = decodeWireValue(wire.thread_id, 'thread_id', decodeInteger);
  task.processInternalId = decodeWireValue(wire.process_internal_id, 'process_internal_id', decodeString);
  task.processorName = decodeWireValue(wire.processor_name, 'processor_name', decodeString);
  task.startedAt = decodeWireValue(wire.started_at, 'started_at', decodeTime);
  task.updatedAt = decodeWireValue(wire.updated_at, 'updated_at', decodeTime);
  task.endedAt = decodeWireValue(wire.ended_at, 'ended_at', decodeTime);
  task.recordedSuccessfully = decodeWireValue(wire.recorded_successfully, 'recorded_successfully', decodeBoolean);
  task.tags = decodeWireValue(wire.tags, 'tags', decodeStringMap);
  task.commandLine = decodeWireValue(wire.command_line, 'command_line', decodeStringArray);
}

export function wireTime(date: Date | null | undefined): string | null {
  return date === null || date === undefined ? null : formatWireTime(date);
}
