import type { Colors } from 'picocolors/types.js';
import { FigureFormatter, TRAFFIC_WINDOW_LABELS } from './figure-formatter.js';
import { FigureTable } from './figure-table.js';
import type { Output } from './recent-command.js';
import { RouteColumns } from './route-columns.js';
import { RouteList } from './route-list.js';
import { TableRenderer } from './table-renderer.js';
import { TaskFormatter } from './task-formatter.js';
import { TrackerConnection } from './tracker-connection.js';
import type { RoutesOptions } from './types.js';

/**
 * `otel-top routes`: one table of every route (task name) across every
 * process and host, from the live counters over `--window`, most requests
 * first; or with `--json` an array of them for jq and scripts.
 */
export class RoutesCommand {
  constructor(
    private readonly options: RoutesOptions,
    private readonly colors: Colors,
    private readonly output: Output = { stdout: process.stdout, stderr: process.stderr },
  ) {}

  async run(): Promise<number> {
    const { options } = this;
    const connection = await TrackerConnection.open(options);
    const now = new Date();
    let lines;
    try {
      const [traffic, active] = await Promise.all([connection.reader.getTraffic(options.window), connection.reader.getActiveTasks()]);
      lines = RouteList.of(traffic, [...active.values()], now);
      const warning = connection.skippedWarning();
      if (warning !== undefined) this.output.stderr.write(warning);
    } finally {
      await connection.close();
    }

    const { stdout } = this.output;
    if (options.json) {
      stdout.write(`${JSON.stringify(lines.map(RouteList.toWire), null, 2)}\n`);
      return 0;
    }
    const columns = new RouteColumns(new FigureFormatter(new TaskFormatter(options))).select(RouteColumns.COMMAND);
    const title = `${lines.length} route${lines.length === 1 ? '' : 's'} over the last ${TRAFFIC_WINDOW_LABELS[options.window]} at ${connection.displayUrl}`;
    const printed = [this.colors.bold(title)];
    if (lines.length > 0) {
      const width = stdout.isTTY === true ? stdout.columns : undefined;
      printed.push(...new TableRenderer(this.colors).render({ table: FigureTable.of({ columns, rows: lines, keyOf: (line) => line.name }), width }));
    }
    stdout.write(`${printed.join('\n')}\n`);
    return 0;
  }
}
