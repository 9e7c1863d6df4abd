import { compareText, HTTPTask, ProcessFigures, processFiguresToWire, ProcessState } from '@otel-top/model';
import { taskService } from './column-catalog.js';

/** A process's state: as its heartbeat says, or `no-heartbeat` for a writer that has none (the Python Top Framework's). */
export type ProcessLineState = ProcessState | 'no-heartbeat';

/** One process writing to the tracker. */
export interface ProcessLine {
  /** Unique among the lines: the exporter id, or `host/pid` of a writer without a heartbeat. */
  readonly key: string;
  /** '' when its tasks do not say. */
  readonly host: string;
  readonly pid: number;
  readonly service: string | null;
  readonly serviceVersion: string | null;
  readonly state: ProcessLineState;
  /** Its heartbeat record; undefined for a writer without one. */
  readonly figures: ProcessFigures | undefined;
  /** Requests in flight: as its heartbeat counts them (every one), else its active tasks in the table. */
  readonly active: number;
}

/** States in which a process counts as running (in the header); dead and cleaned ones are listed, not counted. */
export const RUNNING_STATES: ReadonlySet<ProcessLineState> = new Set<ProcessLineState>(['alive', 'late', 'no-heartbeat']);

const hostPid = (host: string, pid: number): string => `${host}/${pid}`;

/**
 * The processes of the fleet: every exporter with a heartbeat record, and
 * every other writer whose tasks are in the table (running, or completed
 * within the last `recentMillis`: a writer long gone drops off the list),
 * sorted by host and pid.
 */
export class ProcessList {
  static of(
    processes: readonly ProcessFigures[] | undefined,
    active: readonly HTTPTask[],
    completed: readonly HTTPTask[],
    now: Date,
    recentMillis: number,
  ): ProcessLine[] {
    const lines: ProcessLine[] = (processes ?? []).map((figures) => ({
      key: figures.id,
      host: figures.host,
      pid: figures.pid,
      service: figures.service,
      serviceVersion: figures.serviceVersion,
      state: figures.state,
      figures,
      active: figures.inFlight,
    }));
    const known = new Set(lines.map((line) => hostPid(line.host, line.pid)));
    const others = new Map<string, { host: string; pid: number; service: string | null; active: number }>();
    const since = now.getTime() - recentMillis;
    const note = (task: HTTPTask, running: boolean): void => {
      if (task.processId === null) return;
      const host = task.hostName ?? '';
      const key = hostPid(host, task.processId);
      if (known.has(key)) return;
      const seen = others.get(key) ?? { host, pid: task.processId, service: taskService(task) ?? null, active: 0 };
      if (running) seen.active++;
      others.set(key, seen);
    };
    for (const task of active) note(task, true);
    for (const task of completed) if ((task.endedAt?.getTime() ?? 0) >= since) note(task, false);
    for (const [key, other] of others) {
      lines.push({ key, host: other.host, pid: other.pid, service: other.service, serviceVersion: null, state: 'no-heartbeat', figures: undefined, active: other.active });
    }
    return lines.sort((a, b) => compareText(a.host, b.host) || a.pid - b.pid || compareText(a.key, b.key));
  }

  /**
   * A line as `otel-top processes --json` prints it: its heartbeat record's
   * JSON (processFiguresToWire), or for a writer without one the same top
   * fields, unknown ones null.
   */
  static toWire(line: ProcessLine): Record<string, unknown> {
    if (line.figures !== undefined) return processFiguresToWire(line.figures);
    return {
      host: line.host,
      pid: line.pid,
      service: line.service,
      active: line.active,
      rps: null,
      errors: null,
      event_loop_delay_p99_ms: null,
      rss_bytes: null,
      heartbeat_age_ms: null,
      state: line.state,
    };
  }
}
