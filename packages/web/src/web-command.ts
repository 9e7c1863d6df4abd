import { createServer, Server } from 'node:http';
import { isIP } from 'node:net';
import { CliError, EXIT_UNREACHABLE, EXIT_USAGE, TrackerConnection, WEB_TOKEN_ENV, WebCommandModule, WebOptions } from '@otel-top/cli/view-model';
import { WEB_DEFAULTS } from './types.js';
import { WebViewHandler } from './web-view-handler.js';

/** Addresses only this machine reaches. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * `otel-top web`: the tracker connection of the other commands, a
 * WebViewHandler on its reader, and a node:http server on `--host` and
 * `--port` until SIGINT or SIGTERM. Refuses to listen beyond loopback
 * without an access token.
 */
export class WebCommand {
  constructor(private readonly options: WebOptions) {}

  async run(): Promise<number> {
    const { options } = this;
    const fromEnv = process.env[WEB_TOKEN_ENV];
    const token = options.token ?? (fromEnv === '' ? undefined : fromEnv);
    if (token === undefined && !isLoopback(options.host)) {
      throw new CliError(
        `otel-top web: listening on ${options.host} serves the page beyond this machine, so it needs an access token: ` +
          `give one with --token or env ${WEB_TOKEN_ENV} (e.g. ${WEB_TOKEN_ENV}=$(openssl rand -hex 16)), or listen on 127.0.0.1`,
        EXIT_USAGE,
      );
    }
    if (token !== undefined && token.length < WEB_DEFAULTS.minTokenLength) {
      throw new CliError(`otel-top web: the access token must be at least ${WEB_DEFAULTS.minTokenLength} characters (openssl rand -hex 16 makes one)`, EXIT_USAGE);
    }

    const connection = await TrackerConnection.open(options);
    const handler = new WebViewHandler({
      reader: connection.reader,
      trackerUrl: connection.displayUrl,
      skipped: connection.skipped,
      token,
      thresholds: options,
      window: options.window,
      refreshMillis: Math.max(100, options.refreshRateSeconds * 1_000),
    });
    const server = createServer(handler.handle);
    try {
      await listen(server, options.port, options.host);
    } catch (error) {
      await handler.close();
      await connection.close();
      throw new CliError(`otel-top web: cannot listen on ${options.host} port ${options.port}: ${(error as Error).message}`, EXIT_UNREACHABLE);
    }
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : options.port;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    const signIn = token === undefined ? '' : `; open it once with ?token= and the access token (from --token or ${WEB_TOKEN_ENV})`;
    process.stdout.write(`otel-top web: listening on http://${host}:${port}/ (tracker ${connection.displayUrl})${signIn}\n`);

    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    let stop = (): void => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    for (const signal of signals) process.on(signal, stop);
    await stopped;
    for (const signal of signals) process.off(signal, stop);
    await handler.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await connection.close();
    return 0;
  }
}

/** What `otel-top` loads by name, checked against the contract it declares. */
export const WEB_COMMAND_MODULE = { WebCommand } satisfies WebCommandModule;
