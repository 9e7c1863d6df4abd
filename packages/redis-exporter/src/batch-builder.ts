import { performance } from 'node:perf_hooks';
import { diag } from '@opentelemetry/api';
import { encodeTask, SecondCounts, TrackedTask } from '@otel-top/model';
import type { ListBudget } from './list-budget';
import type { PendingEnd, PendingEvents } from './pending-events';
import type { WriteBatchRequest } from './write-batch';

/** How long encoding may hold the event loop before it yields (ms). */
const SLICE_MILLIS = 3;

/** One encoded batch: kept as it is until Redis answers, so that a retry sends the same sequence number. */
export interface Batch {
  request: WriteBatchRequest;
  /** Tasks written to `processors` (starts and rewrites), with their processor ids. */
  written: Array<[string, TrackedTask]>;
  /** How many of `written` were active already and are written again. */
  rewritten: number;
  /** Processor ids the batch removes from `processors`. */
  removals: string[];
  /** Completed tasks it pushes. */
  completed: number;
  bytes: number;
  attempts: number;
  firstSentAt: number;
}

/** What the exporter decided this batch may take. */
export interface BatchLimits {
  seq: number;
  now: number;
  /** Most events in the batch. */
  size: number;
  /** Whether completed tasks are written regardless of the list budget. */
  unlimited: boolean;
  /** Whether starts are written however young. */
  everything: boolean;
  activeAfterMillis: number;
  maxRewrites: number;
  counters: SecondCounts[];
  processRecord: string;
}

/** The service a process serves, from the resource tags of its tasks. */
export interface ServiceTags {
  name: string | null;
  version: string | null;
}

/** The parts of a batch request that do not depend on its events. */
export type BatchHeader = Omit<WriteBatchRequest, 'seq' | 'active' | 'ends' | 'counters' | 'processRecord'>;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Takes events from the pending ones into a batch, removals first, then
 * completed tasks (as many as the list budget allows), then starts old
 * enough to be worth writing, then active tasks to write again; and encodes
 * them, yielding to the event loop every few milliseconds.
 */
export class BatchBuilder {
  private errors = 0;
  /** Learnt from the first task with a `service.name` tag, for the process's health record. */
  service: ServiceTags | undefined;

  constructor(
    private readonly pending: PendingEvents,
    private readonly budget: ListBudget,
    private readonly maxTaskBytes: number,
  ) {}

  /** Tasks that could not be built or encoded. */
  get errorCount(): number {
    return this.errors;
  }

  async build(header: BatchHeader, limits: BatchLimits): Promise<Batch> {
    const { pending, budget } = this;
    const { now, size } = limits;
    const endLimit = limits.unlimited ? size : budget.allowance(size, now);
    const endEntries: PendingEnd[] = endLimit > 0 ? pending.ends.take(endLimit) : [];
    budget.spend(endEntries.length, now);
    if (!limits.unlimited && pending.ends.length > 0 && budget.holds(pending.ends.length, now)) {
      pending.releaseHeldFromProcessors();
    }
    const removals = pending.takeRemovals();
    const room = Math.max(0, size - endEntries.length);
    const starts = pending.takeStarts(room, (queuedAt) => limits.everything || now - queuedAt >= limits.activeAfterMillis);
    const rewrites = pending.takeRewrites(Math.min(limits.maxRewrites, Math.max(0, room - starts.length)));

    const active: string[] = [];
    const ends: string[] = [];
    const written: Array<[string, TrackedTask]> = [];
    let bytes = 0;
    let encoded = 0;
    let completed = 0;
    let rewritten = 0;
    let sliceStart = performance.now();
    const pause = async (index: number): Promise<void> => {
      if ((index & 7) === 7 && performance.now() - sliceStart > SLICE_MILLIS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    };
    const toWrite = starts.concat(rewrites);
    for (let i = 0; i < toWrite.length; i++) {
      const [id, task] = toWrite[i];
      if (!pending.active.has(task)) continue; // ended while this batch was being built
      const result = this.encode(task);
      if (result === undefined) {
        pending.active.delete(task);
      } else {
        const { json, startedAt } = result;
        active.push(id, String(startedAt?.getTime() ?? now), json);
        written.push([id, task]);
        bytes += json.length;
        encoded++;
        if (i >= starts.length) rewritten++;
      }
      await pause(i);
    }
    for (const id of removals) ends.push(id, '');
    for (let i = 0; i < endEntries.length; i++) {
      const { task, activeId } = endEntries[i];
      const json = task === null ? endEntries[i].json : (this.encode(task)?.json ?? '');
      if (json !== '') {
        completed++;
        bytes += json.length;
        encoded++;
      }
      if (json !== '' || activeId !== '') ends.push(activeId, json);
      await pause(i);
    }
    if (encoded > 0) pending.averageTaskBytes = Math.round(0.8 * pending.averageTaskBytes + 0.2 * (bytes / encoded));

    const removed = ends.filter((value, index) => index % 2 === 0 && value !== '');
    return {
      request: { ...header, seq: limits.seq, active, ends, counters: limits.counters, processRecord: limits.processRecord },
      written,
      rewritten,
      removals: removed,
      completed,
      bytes,
      attempts: 0,
      firstSentAt: Date.now(),
    };
  }

  /**
   * Encodes a completed task now, at its end, and lets go of it: where every
   * completed task is written anyway, a queue of JSON costs the collector far
   * less than a queue of spans.
   */
  encodeAtEnd(end: PendingEnd): void {
    if (end.task === null) return;
    end.json = this.encode(end.task)?.json ?? '';
    end.task = null;
  }

  private encode(task: TrackedTask): { json: string; startedAt: Date | null } | undefined {
    try {
      const snapshot = task.snapshot();
      if (this.service === undefined && snapshot.tags?.['service.name'] !== undefined) {
        this.service = { name: snapshot.tags['service.name'], version: snapshot.tags['service.version'] ?? null };
      }
      return { json: encodeTask(snapshot, this.maxTaskBytes), startedAt: snapshot.startedAt };
    } catch (error) {
      if (this.errors++ === 0) diag.error('otel-top: a task could not be built; it is skipped', error);
      return undefined;
    }
  }
}
