import type { FigureFormatter } from './figure-formatter.js';
import { FigureColumn, figureColumn } from './figure-table.js';
import type { RouteLine } from './route-list.js';
import { MISSING } from './task-formatter.js';

/** The columns of a routes table, by name. */
export class RouteColumns {
  /** What `otel-top routes` prints. */
  static readonly COMMAND = ['Route', 'Active', 'Count', 'Req/s', 'Errors', 'p50', 'p95', 'p99'];

  /** Every column, in the order the Routes view shows them. */
  readonly columns: readonly FigureColumn<RouteLine>[];

  constructor(format: FigureFormatter) {
    this.columns = [
      figureColumn('Route', (line) => ({ text: line.name }), { align: 'left', flexible: true, minWidth: 12 }),
      figureColumn('Active', (line) => ({ text: String(line.active) })),
      figureColumn('Count', (line) => ({ text: String(line.figures.count) })),
      figureColumn('Req/s', (line) => ({ text: format.rate(line.figures.rps) })),
      figureColumn('Errors', (line) => format.errors(line.figures.errors)),
      figureColumn('Err%', (line) => format.errorShare(line.figures.errorShare)),
      figureColumn('p50', (line) => format.latency(line.figures.p50Millis)),
      figureColumn('p95', (line) => format.latency(line.figures.p95Millis)),
      figureColumn('p99', (line) => format.latency(line.figures.p99Millis)),
      // The longest-running request of the route now: a hung one shows here before it is counted.
      figureColumn('Slowest', (line) => format.running(line.slowestActiveMillis)),
      figureColumn('Latency', (line) => ({ text: line.figures.count === 0 ? MISSING : format.distribution(line.figures.latencyDistribution) }), {
        align: 'left',
      }),
    ];
  }

  /** The named columns, in the order given; throws a RangeError naming an unknown one. */
  select(names: readonly string[]): FigureColumn<RouteLine>[] {
    return names.map((name) => {
      const found = this.columns.find((column) => column.name === name);
      if (found === undefined) throw new RangeError(`route column "${name}" has no definition`);
      return found;
    });
  }
}
