import { format as formatMessage } from 'node:util';
import type { TrafficWindowName } from '@otel-top/model';
import type { Colors } from 'picocolors/types.js';
import { CliError, EXIT_USAGE } from './cli-error.js';
import { ColumnCatalog } from './column-catalog.js';
import { LiveApp, LiveSource } from './live-app.js';
import { readLive } from './live-reads.js';
import { LiveScreen } from './live-screen.js';
import { LiveTaskStore } from './live-task-store.js';
import type { RequestColumns } from './requests-view-model.js';
import { TaskFormatter } from './task-formatter.js';
import { TerminalFrameWriter } from './terminal-frame-writer.js';
import { TerminalKeyInput } from './terminal-key-input.js';
import { TrackerConnection } from './tracker-connection.js';
import type { LiveOptions } from './types.js';

/**
 * New data is drawn at most this often, as often as the table is re-read by default: writers' updates arrive
 * many times a second from a fleet, and nobody reads a table that changes faster. Keys are still answered
 * at --max-fps.
 */
const DATA_FRAME_MILLIS = 1_000;
/** The console methods a library might call while the screen is drawn. */
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Holds what is written to the console while the full screen is up, where it would tear the frame, and
 * returns a function that restores the console and gives back what was held.
 */
function holdConsole(): () => string[] {
  const held: string[] = [];
  const originals = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
  for (const name of CONSOLE_METHODS) console[name] = (...args: unknown[]) => void held.push(formatMessage(...args));
  return () => {
    for (const [name, original] of originals) console[name] = original;
    return held;
  };
}

/**
 * `otel-top live`: reads the tracking table (the longest-running of a large one), then follows the
 * writers' update messages and re-reads it every refresh, with the live
 * counters of the chosen window and the processes (one read of each per
 * refresh, never per update), while the full-screen view (LiveApp) shows it
 * on the terminal's alternate screen.
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
    let countersProblem: string | undefined;
    let updatesProblem: string | undefined;
    let window: TrafficWindowName = this.options.window;
    let reading = false;
    // A window chosen during a read is read right after it.
    let readAgain = false;
    const readOnce = async (): Promise<void> => {
      const { tasks, traffic, processes } = await readLive(reader, window);
      if (tasks.status === 'fulfilled') {
        const [page, completed] = tasks.value;
        store.replace(page.tasks, completed, page.total);
        problem = undefined;
      } else {
        problem = (tasks.reason as Error).message;
      }
      // A tracker without counters (an older endpoint) still shows its tasks; what was read before stays.
      const failed = [traffic, processes].find((result) => result.status === 'rejected');
      countersProblem = failed === undefined || tasks.status === 'rejected' ? undefined : (failed.reason as Error).message;
      store.replaceFigures(
        traffic.status === 'fulfilled' ? traffic.value : store.traffic,
        processes.status === 'fulfilled' ? processes.value : store.processes,
      );
    };
    const reload = async (): Promise<void> => {
      if (reading) return;
      reading = true;
      try {
        do {
          readAgain = false;
          await readOnce();
        } while (readAgain);
      } finally {
        reading = false;
      }
    };
    const setWindow = (chosen: TrafficWindowName): void => {
      if (chosen === window) return;
      window = chosen;
      readAgain = true;
      void reload();
    };

    await reload();
    // Updates come twice a frame, each period's as one: a frame shows no more than that, and the refresh re-reads the rest.
    const frameMillis = Math.max(DATA_FRAME_MILLIS, Math.ceil(1_000 / this.options.maxFps));
    const refreshMillis = Math.max(100, this.options.refreshRateSeconds * 1_000);
    const timer = setInterval(() => void reload(), refreshMillis);
    const source: LiveSource = {
      store,
      trackerUrl: connection.displayUrl,
      problem: () => problem,
      updatesProblem: () => updatesProblem,
      countersProblem: () => countersProblem,
      skipped: connection.skipped,
      setWindow,
    };

    const { stdout, stdin } = process;
    const sizeNow = () => ({ width: stdout.columns || 80, height: stdout.rows || 24 });
    const writer = new TerminalFrameWriter(stdout);
    const app = new LiveApp(
      {
        source,
        screen,
        columns,
        format,
        refreshMillis,
        frameMillis,
        keyFrameMillis: Math.ceil(1_000 / this.options.maxFps),
        window: this.options.window,
      },
      writer,
      sizeNow(),
    );
    const keys = new TerminalKeyInput(stdin);
    const stop = (): void => app.stop();
    const onResize = (): void => app.resize(sizeNow());
    const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
    const releaseConsole = holdConsole();
    writer.open();
    try {
      for (const signal of signals) process.on(signal, stop);
      stdout.on('resize', onResize);
      keys.start((press) => app.press(press), stop);
      // The first frame is drawn now, from the read above; the updates' connection of its own comes after it.
      // Closing the connection ends the subscription, also one still connecting, so quitting never waits on it.
      const running = app.run();
      void reader.subscribe((update) => store.apply(update), { batchMillis: frameMillis / 2 }).catch((error: Error) => {
        updatesProblem = error.message;
      });
      await running;
    } finally {
      keys.stop();
      stdout.off('resize', onResize);
      for (const signal of signals) process.off(signal, stop);
      writer.close();
      for (const message of releaseConsole()) process.stderr.write(`${message}\n`);
      clearInterval(timer);
      await connection.close();
    }
    return 0;
  }
}
