// One worker process of server.ts. tracing comes first, so that http and
// express are instrumented before the app loads them.
import { shutdownTracing } from './tracing';
import { createApp } from './app';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const server = createApp().listen(port, host);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  server.close();
  // Hung requests would keep the server open for minutes.
  server.closeAllConnections();
  await shutdownTracing();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
