import ansiEscapes from 'ansi-escapes';
import { render } from 'ink';
import type { Colors } from 'picocolors/types.js';
import { CliError, EXIT_USAGE } from './cli-error.js';
import { ColumnCatalog } from './column-catalog.js';
import { LiveApp, LiveSource } from './live-app.js';
import { LiveScreen } from './live-screen.js';
import { LiveTaskStore } from './live-task-store.js';
import type { RequestColumns } from './requests-view-model.js';
import { TaskFormatter } from './task-formatter.js';
import { TrackerConnection } from './tracker-connection.js';
import type { LiveOptions } from './types.js';

/**
 * `otel-top live`: reads the whole tracking table, then follows the
 * writers' update messages and re-reads it every refresh, while the full-screen view
 * (ink) shows it on the terminal's alternate screen.
 */
export class LiveCommand {
  constructor(
    private readonly options: LiveOptions,
    private readonly colors: Colors,
  ) {}

  async run(): Promise<number> {
    if (!process.stdout.isTTY || !process.stdin.isTTY) {
      throw new CliError(
        'otel-top live needs a terminal, and this output is not one. For piped output use `otel-top recent`, or `otel-top recent --json` for scripts.',
        EXIT_USAGE,
      );
    }
    const format = new TaskFormatter(this.options);
    const catalog = new ColumnCatalog(format);
    const columns: RequestColumns = {
      active: catalog.choose(this.options.activeColumns, ColumnCatalog.ACTIVE_DEFAULT),
      completed: catalog.choose(this.options.completedColumns, ColumnCatalog.COMPLETED_DEFAULT),
    };
    const screen = new LiveScreen(this.colors, format);

    const connection = await TrackerConnection.open(this.options);
    const { reader } = connection;
    const store = new LiveTaskStore();
    let problem: string | undefined;
    let reading = false;
    const reload = async (): Promise<void> => {
      if (reading) return;
      reading = true;
      try {
        const [active, completed] = await Promise.all([reader.getActiveTasks(), reader.getCompletedTasks()]);
        store.replace(active, completed);
        problem = undefined;
      } catch (error) {
        problem = (error as Error).message;
      } finally {
        reading = false;
      }
    };

    await reload();
    const unsubscribe = await reader.subscribe((update) => store.apply(update));
    const refreshMillis = Math.max(100, this.options.refreshRateSeconds * 1_000);
    const timer = setInterval(() => void reload(), refreshMillis);
    const source: LiveSource = {
      store,
      trackerUrl: connection.displayUrl,
      problem: () => problem,
      skipped: connection.skipped,
    };

    process.stdout.write(ansiEscapes.enterAlternativeScreen);
    const instance = render(
      <LiveApp
        source={source}
        screen={screen}
        columns={columns}
        format={format}
        refreshMillis={refreshMillis} frameMillis={Math.ceil(1_000 / this.options.maxFps)}
      />,
      { exitOnCtrlC: true, maxFps: this.options.maxFps, patchConsole: true, incrementalRendering: false },
    );
    const stop = (): void => instance.unmount();
    const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
    for (const signal of signals) process.on(signal, stop);
    try {
      await instance.waitUntilExit();
    } finally {
      for (const signal of signals) process.off(signal, stop);
      process.stdout.write(ansiEscapes.exitAlternativeScreen);
      clearInterval(timer);
      await unsubscribe().catch(() => undefined);
      await connection.close();
    }
    return 0;
  }
}
