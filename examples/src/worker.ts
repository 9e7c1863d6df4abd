// One worker process of server.ts. tracing comes first, so that http,
// express, fetch and ioredis are instrumented before the app loads them.
import { shutdownTracing } from './tracing';
import { Redis } from 'ioredis';
import { createApp } from './app';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

// The cart's Redis: SHOP_REDIS_URL, else the tracker's.
const cart = new Redis(process.env.SHOP_REDIS_URL ?? process.env.TOP_TRACKER_URL ?? 'redis://127.0.0.1:6379/0', {
  connectionName: 'example-shop-cart',
  maxRetriesPerRequest: 1,
});
let cartErrorShown = false;
cart.on('error', (error: Error) => {
  // ioredis reports every failed reconnect; once is enough to say why carts fail.
  if (!cartErrorShown) console.error(`example-shop: cart Redis: ${error.message}`);
  cartErrorShown = true;
});

const warehouseUrl = process.env.WAREHOUSE_URL === '' ? undefined : process.env.WAREHOUSE_URL;
const server = createApp({ cart, warehouseUrl }).listen(port, host);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  server.close();
  // Hung requests would keep the server open for minutes.
  server.closeAllConnections();
  cart.disconnect();
  await shutdownTracing();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
