// `npm start`: the whole of otel-top in one command. Starts a private
// redis-server (unless TOP_TRACKER_URL is set), the example shop in two
// cluster workers, a traffic generator, then `otel-top live` on that tracker.
// Quitting otel-top (q or Ctrl-C) stops everything it started.
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { RedisTestServer } from '@otel-top/redis-test-server';
import { TrafficGenerator } from './traffic-generator';

const APP_START_TIMEOUT_MILLIS = 30_000;
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

/** Starts server.js on a free port and resolves to its URL once every worker listens. */
function startApp(trackerUrl: string, logPath: string): Promise<{ app: ChildProcess; url: string }> {
  const log = createWriteStream(logPath);
  const app = spawn(process.execPath, [join(__dirname, 'server.js')], {
    env: { ...process.env, TOP_TRACKER_URL: trackerUrl, PORT: '0', WORKERS: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stderr?.pipe(log);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the example app did not start within ${APP_START_TIMEOUT_MILLIS} ms; see ${logPath}`)), APP_START_TIMEOUT_MILLIS);
    app.once('exit', (code) => reject(new Error(`the example app exited with ${code}; see ${logPath}`)));
    createInterface({ input: app.stdout! }).on('line', (line) => {
      log.write(`${line}\n`);
      const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        app.removeAllListeners('exit');
        resolve({ app, url });
      }
    });
  });
}

async function main(): Promise<number> {
  let redis: RedisTestServer | undefined;
  let app: ChildProcess | undefined;
  let viewer: ChildProcess | undefined;
  let generator: TrafficGenerator | undefined;
  let stopping: Promise<void> | undefined;

  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      await stopChild(viewer);
      await generator?.stop();
      await stopChild(app);
      await redis?.stop();
    })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll());

  try {
    let trackerUrl = process.env.TOP_TRACKER_URL;
    if (trackerUrl === undefined || trackerUrl === '') {
      redis = await RedisTestServer.start();
      trackerUrl = redis.url;
      console.log(`otel-top demo: started a private redis-server at ${trackerUrl}`);
    } else {
      console.log('otel-top demo: using the tracker in TOP_TRACKER_URL');
    }
    const logPath = join(tmpdir(), `otel-top-demo-${process.pid}.log`);
    const started = await startApp(trackerUrl, logPath);
    app = started.app;
    console.log(`otel-top demo: example shop at ${started.url} (2 workers), log in ${logPath}`);
    if (stopping !== undefined) return 130;

    generator = new TrafficGenerator({ baseUrl: started.url });
    generator.start();
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
