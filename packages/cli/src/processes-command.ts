import { TRAFFIC_WINDOWS } from '@otel-top/model';
import type { Colors } from 'picocolors/types.js';
import { FigureFormatter, TRAFFIC_WINDOW_LABELS } from './figure-formatter.js';
import { FigureTable } from './figure-table.js';
import { ProcessColumns } from './process-columns.js';
import { ProcessList } from './process-list.js';
import type { Output } from './recent-command.js';
import { TableRenderer } from './table-renderer.js';
import { TaskFormatter } from './task-formatter.js';
import { TrackerConnection } from './tracker-connection.js';
import type { ProcessesOptions } from './types.js';

/**
 * `otel-top processes`: one table of every process writing to the tracker,
 * from its heartbeat (and the writers without one, from their tasks), or
 * with `--json` an array of them for jq and scripts.
 */
export class ProcessesCommand {
  constructor(
    private readonly options: ProcessesOptions,
    private readonly colors: Colors,
    private readonly output: Output = { stdout: process.stdout, stderr: process.stderr },
  ) {}

  async run(): Promise<number> {
    const { options } = this;
    const connection = await TrackerConnection.open(options);
    const now = new Date();
    let lines;
    try {
      const { reader } = connection;
      const [processes, active, completed] = await Promise.all([reader.getProcesses(), reader.getActiveTasks(), reader.getCompletedTasks()]);
      lines = ProcessList.of(processes, [...active.values()], completed, now, TRAFFIC_WINDOWS[options.window] * 1_000);
      const warning = connection.skippedWarning();
      if (warning !== undefined) this.output.stderr.write(warning);
    } finally {
      await connection.close();
    }

    const { stdout } = this.output;
    if (options.json) {
      stdout.write(`${JSON.stringify(lines.map(ProcessList.toWire), null, 2)}\n`);
      return 0;
    }
    const columns = new ProcessColumns(new FigureFormatter(new TaskFormatter(options)), options.window, now).columns;
    const count = `${lines.length} process${lines.length === 1 ? '' : 'es'}`;
    const printed = [this.colors.bold(`${count} at ${connection.displayUrl}, req/s and errors over the last ${TRAFFIC_WINDOW_LABELS[options.window]}`)];
    if (lines.length > 0) {
      const width = stdout.isTTY === true ? stdout.columns : undefined;
      printed.push(...new TableRenderer(this.colors).render({ table: FigureTable.of({ columns, rows: lines, keyOf: (line) => line.key }), width }));
    }
    stdout.write(`${printed.join('\n')}\n`);
    return 0;
  }
}
