import type { TrafficWindowName } from '@otel-top/model';
import type { FigureFormatter } from './figure-formatter.js';
import { FigureColumn, figureColumn } from './figure-table.js';
import type { ProcessLine, ProcessLineState } from './process-list.js';
import { Cell, MISSING, Tone } from './task-formatter.js';

const STATE_TONES: Readonly<Record<ProcessLineState, Tone>> = {
  alive: 'good',
  late: 'warning',
  dead: 'critical',
  cleaned: 'bad',
  'no-heartbeat': 'info',
};

/** A process's state as the table says it. */
export function stateCell(state: ProcessLineState): Cell {
  return { text: state === 'no-heartbeat' ? 'no heartbeat' : state, tone: STATE_TONES[state] };
}

function count(value: number | undefined, tone: Tone): Cell {
  if (value === undefined) return { text: MISSING };
  return value > 0 ? { text: String(value), tone } : { text: String(value) };
}

/**
 * The columns of a processes table: one per figure of a heartbeat record.
 * Req/s and errors are over `window`; uptime runs to `now`.
 */
export class ProcessColumns {
  /** Every column, in the order the Processes view and `otel-top processes` show them. */
  readonly columns: readonly FigureColumn<ProcessLine>[];

  constructor(format: FigureFormatter, window: TrafficWindowName, now: Date) {
    const traffic = (line: ProcessLine) => line.figures?.traffic[window];
    const running = (line: ProcessLine): boolean => line.state === 'alive' || line.state === 'late';
    this.columns = [
      figureColumn('Host', (line) => ({ text: line.host === '' ? MISSING : line.host }), { align: 'left', flexible: true, minWidth: 6 }),
      figureColumn('PID', (line) => ({ text: String(line.pid) })),
      figureColumn(
        'Service',
        (line) => ({ text: line.service === null ? MISSING : [line.service, line.serviceVersion].filter((part) => part !== null).join(' ') }),
        { align: 'left', flexible: true, minWidth: 8 },
      ),
      figureColumn('State', (line) => stateCell(line.state), { align: 'left' }),
      figureColumn('Uptime', (line) => {
        const started = line.figures?.startedAt;
        // A dead process's uptime would go on growing.
        return { text: started == null || !running(line) ? MISSING : format.uptime(now.getTime() - started.getTime()) };
      }),
      figureColumn('Active', (line) => ({ text: String(line.active) })),
      figureColumn('Req/s', (line) => ({ text: format.rate(traffic(line)?.rps) })),
      figureColumn('Errors', (line) => format.errors(traffic(line)?.errors)),
      figureColumn('Loop p99', (line) => format.loopDelay(line.figures?.eventLoopDelayP99Millis)),
      figureColumn('CPU', (line) => {
        const share = line.figures?.cpuShare;
        return { text: share === undefined ? MISSING : `${(share * 100).toFixed(0)}%` };
      }),
      figureColumn('RSS', (line) => ({ text: format.bytes(line.figures?.rssBytes) })),
      figureColumn('Heap', (line) => {
        const figures = line.figures;
        if (figures?.heapUsedBytes === undefined) return { text: MISSING };
        return { text: `${format.bytes(figures.heapUsedBytes)}/${format.bytes(figures.heapTotalBytes)}` };
      }),
      figureColumn('Heartbeat', (line) => {
        const text = format.age(line.figures?.heartbeatAgeMillis);
        return line.state === 'late' || line.state === 'dead' ? { text, tone: STATE_TONES[line.state] } : { text };
      }),
      figureColumn('Queued', (line) => ({ text: line.figures === undefined ? MISSING : String(line.figures.tracking.queued) })),
      figureColumn('Dropped', (line) => count(line.figures?.tracking.dropped, 'warning')),
      figureColumn('Failed', (line) => count(line.figures?.tracking.failed, 'bad')),
    ];
  }
}
