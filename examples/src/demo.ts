// `npm start`: the whole of otel-top in one command. Starts a private
// redis-server (the shop's carts, and the tracker unless TOP_TRACKER_URL is
// set), the shop's upstream warehouse service, the example shop in two
// cluster workers, a traffic generator, `otel-top web` (the same views in a browser, its address printed),
// then `otel-top live` on that tracker. Quitting otel-top (q or Ctrl-C) stops everything it started.
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { RedisTestServer } from '@otel-top/redis-test-server';
import { TrafficGenerator } from './traffic-generator';

const APP_START_TIMEOUT_MILLIS = 30_000;
/** `otel-top web`'s own default; when another program has it, any free port. */
const WEB_PORT = 7070;
const STOP_TIMEOUT_MILLIS = 8_000;

/** The `otel-top` command as the cli package's manifest names it. */
function otelTopBin(): string {
  const manifestPath = require.resolve('@otel-top/cli/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: Record<string, string | undefined> };
  const bin = manifest.bin?.['otel-top'];
  if (bin === undefined) throw new Error(`${manifestPath} names no otel-top command`);
  return join(dirname(manifestPath), bin);
}

function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? 1);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

/** Stops a child: SIGTERM, then SIGKILL if it is still there after the timeout. */
async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MILLIS);
  await done;
  clearTimeout(timer);
}

/** Starts one of this folder's scripts on a free port and resolves to its URL once it says it listens. */
function startService(
  what: string,
  script: string,
  env: Record<string, string>,
  log: NodeJS.WritableStream,
  logPath: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(__dirname, script)], {
    env: { ...process.env, ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.pipe(log, { end: false });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${what} did not start within ${APP_START_TIMEOUT_MILLIS} ms; see ${logPath}`)), APP_START_TIMEOUT_MILLIS);
    child.once('exit', (code) => reject(new Error(`the ${what} exited with ${code}; see ${logPath}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.write(`${line}\n`);
      const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, url });
      }
    });
  });
}

/** `otel-top web` on the tracker, on `port`; resolves to its process and the address it printed, or undefined if it could not listen. */
function startWeb(trackerUrl: string, port: number, log: NodeJS.WritableStream): Promise<{ child: ChildProcess; url: string } | undefined> {
  const child = spawn(process.execPath, [otelTopBin(), 'web', '--tracker-url', trackerUrl, '--port', String(port)], {
    env: { ...process.env, TOP_TRACKER_URL: trackerUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.pipe(log, { end: false });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(undefined);
    }, APP_START_TIMEOUT_MILLIS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ child, url });
    });
  });
}

async function main(): Promise<number> {
  let redis: RedisTestServer | undefined;
  let warehouse: ChildProcess | undefined;
  let app: ChildProcess | undefined;
  let viewer: ChildProcess | undefined;
  let web: ChildProcess | undefined;
  let generator: TrafficGenerator | undefined;
  let stopping: Promise<void> | undefined;

  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      await stopChild(viewer);
      await stopChild(web);
      await generator?.stop();
      await stopChild(app);
      await stopChild(warehouse);
      await redis?.stop();
    })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll());
  // A signal while something was starting: stop what has started since, too.
  const stoppedMeanwhile = async (): Promise<boolean> => {
    if (stopping === undefined) return false;
    await stopping;
    await stopChild(web);
    await generator?.stop();
    await stopChild(app);
    await stopChild(warehouse);
    await redis?.stop();
    return true;
  };

  try {
    // The shop keeps its carts in a redis-server of the demo's own, which is also the tracker unless one is given.
    redis = await RedisTestServer.start();
    let trackerUrl = process.env.TOP_TRACKER_URL;
    if (trackerUrl === undefined || trackerUrl === '') {
      trackerUrl = redis.url;
      console.log(`otel-top demo: started a private redis-server at ${trackerUrl} (tracker and carts)`);
    } else {
      console.log(`otel-top demo: using the tracker in TOP_TRACKER_URL; carts in a private redis-server at ${redis.url}`);
    }
    if (await stoppedMeanwhile()) return 130;
    const logPath = join(tmpdir(), `otel-top-demo-${process.pid}.log`);
    const log = createWriteStream(logPath);
    const upstream = await startService('warehouse service', 'warehouse.js', {}, log, logPath);
    warehouse = upstream.child;
    if (await stoppedMeanwhile()) return 130;
    const shop = await startService(
      'example app',
      'server.js',
      { TOP_TRACKER_URL: trackerUrl, SHOP_REDIS_URL: redis.url, WAREHOUSE_URL: upstream.url, WORKERS: '2' },
      log,
      logPath,
    );
    app = shop.child;
    console.log(`otel-top demo: example shop at ${shop.url} (2 workers, warehouse at ${upstream.url}), log in ${logPath}`);
    if (await stoppedMeanwhile()) return 130;

    generator = new TrafficGenerator({ baseUrl: shop.url });
    generator.start();
    const page = (await startWeb(trackerUrl, WEB_PORT, log)) ?? (await startWeb(trackerUrl, 0, log));
    web = page?.child;
    console.log(
      page === undefined
        ? `otel-top demo: otel-top web did not start; see ${logPath}`
        : `otel-top demo: the same views in a browser at ${page.url} (open it while otel-top live runs here)`,
    );
    if (await stoppedMeanwhile()) return 130;
    viewer = spawn(process.execPath, [otelTopBin(), 'live', '--tracker-url', trackerUrl, '--stalled', '10000'], {
      stdio: 'inherit',
      env: { ...process.env, TOP_TRACKER_URL: trackerUrl },
    });
    const code = await exited(viewer);
    await stopAll();
    console.log(`otel-top demo: stopped (${generator.requestsSent} requests sent). App log: ${logPath}`);
    return code;
  } catch (error) {
    console.error(`otel-top demo: ${(error as Error).message}`);
    await stopAll();
    return 1;
  }
}

void main().then((code) => {
  process.exitCode = code;
});
