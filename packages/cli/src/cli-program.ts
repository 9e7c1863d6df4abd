import { DEFAULT_TRACKER_URL, TRACKER_URL_ENV, TRAFFIC_WINDOW_NAMES, TrafficWindowName } from '@otel-top/model';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createRequire } from 'node:module';
import pc from 'picocolors';
import type { Colors } from 'picocolors/types.js';
import { CliError, EXIT_UNREACHABLE, EXIT_USAGE } from './cli-error.js';
import { ColumnCatalog } from './column-catalog.js';
import { LIVE_KEYS } from './key-table.js';
import { RecentCommand } from './recent-command.js';
import {
  DEFAULT_REFRESH_RATE_SECONDS,
  DEFAULT_TRAFFIC_WINDOW,
  DEFAULT_WEB_HOST,
  DEFAULT_WEB_PORT,
  LiveOptions,
  ProcessesOptions,
  RecentMode,
  RecentOptions,
  RoutesOptions,
  Thresholds,
  TrackerOptions,
  WEB_TOKEN_ENV,
  WebCommandModule,
  WebOptions,
} from './types.js';

/** The package of `otel-top web`, loaded by name: it builds on this one (see WebCommandModule). */
const WEB_PACKAGE: string = '@otel-top/web';

/** Options as commander hands them over, before they become LiveOptions / RecentOptions. */
interface ParsedCommon {
  trackerUrl?: string;
  keyPrefix: string[];
  connectTimeout: number;
  slow: number;
  verySlow: number;
  stalled: number;
}

interface ParsedLive extends ParsedCommon {
  window: TrafficWindowName;
  activeColumns?: string[];
  completedColumns?: string[];
  refreshRate: number;
  maxFps: number;
}

interface ParsedRecent extends ParsedCommon {
  mode: RecentMode;
  limit?: number;
  columns?: string[];
  json?: boolean;
}

interface ParsedWeb extends ParsedCommon {
  host: string;
  port: number;
  token?: string;
  window: TrafficWindowName;
  refreshRate: number;
}

interface ParsedFigures extends ParsedCommon {
  window: TrafficWindowName;
  json?: boolean;
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1.');
  }
  return number;
}

function portNumber(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number > 65_535) throw new InvalidArgumentError('expected a port number from 0 (any free port) to 65535.');
  return number;
}

/** Collects --key-prefix: each use adds its prefixes (comma-separated), in order, once each. */
function keyPrefixes(value: string, previous: string[]): string[] {
  const added = value.split(',').map((prefix) => prefix.trim());
  return [...new Set([...previous, ...added])];
}

function positiveNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('expected a number above 0.');
  return number;
}

function columnList(value: string): string[] {
  try {
    const names = ColumnCatalog.parse(value);
    if (names.length === 0) throw new RangeError('expected at least one column name.');
    return names;
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function packageVersion(): string {
  const manifest = createRequire(import.meta.url)('../../package.json') as { version: string };
  return manifest.version;
}

/**
 * NO_COLOR and FORCE_COLOR as everyone reads them, else colour only on a
 * terminal. (picocolors' own guess also colours piped output when CI is set.)
 */
function colorWanted(): boolean {
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return process.stdout.isTTY === true;
}

/**
 * The `otel-top` command line (commander): `live` (the default), `recent`,
 * `routes`, `processes` and `web`, with the tracker options on each. Exit codes: 0 ok, 2 bad usage, 1 the
 * tracker cannot be reached (or another failure).
 */
export class CliProgram {
  private readonly colors: Colors;

  constructor(colors: Colors = pc.createColors(colorWanted())) {
    this.colors = colors;
  }

  /** Runs the command in `argv` (as process.argv) and resolves to its exit code. */
  async run(argv: readonly string[]): Promise<number> {
    let exitCode = 0;
    const program = new Command('otel-top')
      .description('top for the HTTP requests of Node.js services: what every process on every host is serving right now')
      .version(packageVersion(), '-V, --version', 'print the version')
      .helpOption('-h, --help', 'show help')
      .showHelpAfterError('(run with --help for usage)')
      .exitOverride();

    const live = this.withCommonOptions(
      program
        .command('live', { isDefault: true })
        .description('full-screen live view of the requests, routes and processes of every host (the default)'),
    )
      .addOption(this.windowOption('the window of the live counters to start with (w cycles it)'))
      .option('--active-columns <names>', `columns of the active table, comma-separated (default: ${ColumnCatalog.ACTIVE_DEFAULT.join(',')})`, columnList)
      .option(
        '--completed-columns <names>',
        `columns of the completed table (default: ${ColumnCatalog.COMPLETED_DEFAULT.join(',')})`,
        columnList,
      )
      .option('--refresh-rate <seconds>', 'durations tick and the table is re-read at least this often', positiveNumber, DEFAULT_REFRESH_RATE_SECONDS)
      .option('--max-fps <n>', 'most redraws per second', positiveInteger, 5)
      .addHelpText(
        'after',
        `\nColumns: ${ColumnCatalog.NAMES.join(', ')}\nKeys: ${LIVE_KEYS.summary('requests')}\nOn Routes: ${LIVE_KEYS.summary('routes')}\nOn Processes: ${LIVE_KEYS.summary('processes')}`,
      );
    live.action(async (parsed: ParsedLive) => {
      const options: LiveOptions = {
        ...this.common(parsed),
        window: parsed.window,
        activeColumns: parsed.activeColumns,
        completedColumns: parsed.completedColumns,
        refreshRateSeconds: parsed.refreshRate,
        maxFps: parsed.maxFps,
      };
      // Loaded on demand, as each command's code is: the full screen's code would slow down every `recent`.
      const { LiveCommand } = await import('./live-command.js');
      exitCode = await new LiveCommand(options, this.colors).run();
    });

    const recent = this.withCommonOptions(program.command('recent').description('print the active and recent requests once, as a table or JSON'))
      .addOption(new Option('--mode <mode>', 'which requests').choices(['all', 'active', 'complete']).default('all'))
      .option('--limit <n>', 'at most this many active and this many completed requests', positiveInteger)
      .option('--columns <names>', `columns, comma-separated (default: ${ColumnCatalog.RECENT_DEFAULT.join(',')})`, columnList)
      .option('--json', 'print {"active": [...], "completed": [...]} of wire-format tasks, for jq and scripts')
      .addHelpText('after', `\nColumns: ${ColumnCatalog.NAMES.join(', ')}`);
    recent.action(async (parsed: ParsedRecent) => {
      const options: RecentOptions = {
        ...this.common(parsed),
        mode: parsed.mode,
        limit: parsed.limit,
        columns: parsed.columns,
        json: parsed.json === true,
      };
      exitCode = await new RecentCommand(options, this.colors).run();
    });

    const routes = this.withCommonOptions(
      program.command('routes').description('print every route of every process: count, req/s, errors, p50/p95/p99, from the live counters'),
    )
      .addOption(this.windowOption('the window the figures are over'))
      .option('--json', 'print an array of {"name", "active", "count", "errors", "rps", "p50_ms", ...}, most requests first');
    routes.action(async (parsed: ParsedFigures) => {
      const options: RoutesOptions = { ...this.common(parsed), window: parsed.window, json: parsed.json === true };
      const { RoutesCommand } = await import('./routes-command.js');
      exitCode = await new RoutesCommand(options, this.colors).run();
    });

    const processes = this.withCommonOptions(
      program.command('processes').description('print every process writing to the tracker: its health from its heartbeat, alive or not'),
    )
      .addOption(this.windowOption('the window of the req/s and errors columns'))
      .option('--json', 'print an array of {"host", "pid", "service", "active", "rps", "event_loop_delay_p99_ms", "rss_bytes", "heartbeat_age_ms", "state", ...}');
    processes.action(async (parsed: ParsedFigures) => {
      const options: ProcessesOptions = { ...this.common(parsed), window: parsed.window, json: parsed.json === true };
      const { ProcessesCommand } = await import('./processes-command.js');
      exitCode = await new ProcessesCommand(options, this.colors).run();
    });

    const web = this.withCommonOptions(
      program.command('web').description('serve the live views as a web page (read-only), with charts; loopback only unless given a token'),
    )
      .option('--host <address>', 'the address to listen on; any but a loopback one needs --token', DEFAULT_WEB_HOST)
      .option('--port <n>', 'the port to listen on (0: any free one)', portNumber, DEFAULT_WEB_PORT)
      .option('--token <token>', `the access token, given once as ?token= and then kept in a cookie (default: env ${WEB_TOKEN_ENV})`)
      .addOption(this.windowOption('the window of the live counters a page starts with'))
      .option('--refresh-rate <seconds>', 'the table is re-read this often, however many pages are open', positiveNumber, DEFAULT_REFRESH_RATE_SECONDS);
    web.action(async (parsed: ParsedWeb) => {
      const options: WebOptions = {
        ...this.common(parsed),
        host: parsed.host,
        port: parsed.port,
        token: parsed.token,
        window: parsed.window,
        refreshRateSeconds: parsed.refreshRate,
      };
      let module: WebCommandModule;
      try {
        module = (await import(WEB_PACKAGE)) as WebCommandModule;
      } catch (error) {
        throw new CliError(`otel-top web: cannot load ${WEB_PACKAGE} (${(error as Error).message}); in a source checkout, run \`npm run build\` first`, EXIT_UNREACHABLE);
      }
      const { WebCommand } = module;
      exitCode = await new WebCommand(options).run();
    });

    try {
      await program.parseAsync([...argv]);
      return exitCode;
    } catch (error) {
      if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
      if (CliError.is(error)) {
        process.stderr.write(`${error.message}\n`);
        return error.exitCode;
      }
      process.stderr.write(`otel-top: ${(error as Error).stack ?? String(error)}\n`);
      return 1;
    }
  }

  private windowOption(description: string): Option {
    return new Option('--window <window>', description).choices(TRAFFIC_WINDOW_NAMES).default(DEFAULT_TRAFFIC_WINDOW);
  }

  private withCommonOptions(command: Command): Command {
    return command
      .option('--tracker-url <url>', `the tracking table: redis:// or rediss://, or an http(s):// tracker endpoint with its key in env TOP_WEB_API_KEY (default: env ${TRACKER_URL_ENV}, then ${DEFAULT_TRACKER_URL})`)
      .option(
        '--key-prefix <prefix>',
        'prefix of the tracking table keys, as the writers use it (default: none); several, repeated or comma-separated, are read as one view',
        keyPrefixes,
        [],
      )
      .option('--connect-timeout <ms>', 'give up on an unreachable tracker after this long', positiveInteger, 3_000)
      .option('--slow <ms>', 'durations from here on are slow (yellow)', positiveInteger, 500)
      .option('--very-slow <ms>', 'durations from here on are very slow (red)', positiveInteger, 2_000)
      .option('--stalled <ms>', 'active requests running this long are flagged STALLED', positiveInteger, 30_000);
  }

  private common(parsed: ParsedCommon): TrackerOptions & Thresholds {
    return {
      trackerUrl: parsed.trackerUrl,
      keyPrefixes: parsed.keyPrefix.length === 0 ? undefined : parsed.keyPrefix,
      connectTimeoutMillis: parsed.connectTimeout,
      slowMillis: parsed.slow,
      verySlowMillis: parsed.verySlow,
      stalledMillis: parsed.stalled,
    };
  }
}
