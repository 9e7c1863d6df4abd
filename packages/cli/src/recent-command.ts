import type { HTTPTask } from '@otel-top/model';
import type { Colors } from 'picocolors/types.js';
import { ColumnCatalog } from './column-catalog.js';
import { TableRenderer } from './table-renderer.js';
import { TaskTableModel } from './task-table-model.js';
import { TaskFormatter } from './task-formatter.js';
import { TaskSorter } from './task-sorter.js';
import { TrackerConnection } from './tracker-connection.js';
import type { RecentOptions } from './types.js';

/** Where `recent` writes: the process's streams, or others in a program that embeds it. */
export interface Output {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
}

/**
 * `otel-top recent`: one table of the active requests (longest running
 * first) and the recent ones (newest first), or with `--json` one JSON
 * document of wire-format tasks for jq and scripts.
 */
export class RecentCommand {
  constructor(
    private readonly options: RecentOptions,
    private readonly colors: Colors,
    private readonly output: Output = { stdout: process.stdout, stderr: process.stderr },
  ) {}

  async run(): Promise<number> {
    const { options } = this;
    const format = new TaskFormatter(options);
    const columns = new ColumnCatalog(format).choose(options.columns, ColumnCatalog.RECENT_DEFAULT);

    const connection = await TrackerConnection.open(options);
    let active: HTTPTask[] = [];
    let completed: HTTPTask[] = [];
    const now = new Date();
    try {
      const { reader } = connection;
      const sorter = new TaskSorter();
      if (options.mode !== 'complete') {
        active = sorter.sortActive([...(await reader.getActiveTasks()).values()], now).slice(0, options.limit);
      }
      // Writers in several processes flush in batches, so the list is only roughly in end order:
      // the newest N need the whole (bounded) list.
      if (options.mode !== 'active') completed = sorter.sortCompleted(await reader.getCompletedTasks(), now).slice(0, options.limit);
      const warning = connection.skippedWarning();
      if (warning !== undefined) this.output.stderr.write(warning);
    } finally {
      await connection.close();
    }

    if (options.json) {
      const document = { active: active.map((task) => task.toJSON()), completed: completed.map((task) => task.toJSON()) };
      this.output.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      return 0;
    }

    const tasks = [...active, ...completed];
    const { stdout } = this.output;
    const parts = [];
    if (options.mode !== 'complete') parts.push(`${active.length} active HTTP request${active.length === 1 ? '' : 's'}`);
    if (options.mode !== 'active') parts.push(`${completed.length} completed HTTP response${completed.length === 1 ? '' : 's'}`);
    const lines = [this.colors.bold(`${parts.join(', ')} at ${connection.displayUrl}`)];
    if (tasks.length > 0) {
      const width = stdout.isTTY === true ? stdout.columns : undefined;
      lines.push(...new TableRenderer(this.colors).render({ table: TaskTableModel.of({ columns, tasks, now }), width }));
    }
    stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }
}
