import express, { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';

const PRODUCTS = Array.from({ length: 20 }, (_, index) => ({ id: index + 1, name: `Product ${index + 1}`, price: 5 + index * 3 }));
/** A cart is forgotten after an hour without changes. */
const CART_TTL_SECONDS = 3_600;
/** How long the shop waits for the warehouse, except for an export, which waits as long as its client. */
const WAREHOUSE_TIMEOUT_MILLIS = 10_000;

export interface ShopOptions {
  /** Where carts are kept: one hash per client, product id -> quantity. */
  cart: Redis;
  /**
   * The warehouse service (warehouse.ts), e.g. `http://127.0.0.1:4000`. Without one the shop still
   * serves: products without stock, orders without a reservation, and the export hangs by itself.
   */
  warehouseUrl?: string;
}

/** Resolves after a random time between `min` and `max` ms: the app's stand-in for its own work. */
function work(min: number, max: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));
}

/**
 * A small shop API with the usual mix: fast and slow routes, not-found
 * answers, failures, a cart in Redis, stock and reservations from an
 * upstream warehouse that is sometimes slow, and an export that hangs on it.
 * Nothing in it knows about otel-top: tracking, and what each request waits
 * on, come from the OpenTelemetry setup in tracing.ts.
 */
export function createApp({ cart, warehouseUrl }: ShopOptions): express.Express {
  const app = express();
  // The traffic comes through a proxy on the loopback interface: req.ip is the client's X-Forwarded-For address.
  app.set('trust proxy', 'loopback');
  app.use(express.json());

  const warehouse = async (path: string, init: RequestInit = {}): Promise<unknown> => {
    if (warehouseUrl === undefined) return undefined;
    const response = await fetch(new URL(path, warehouseUrl), { signal: AbortSignal.timeout(WAREHOUSE_TIMEOUT_MILLIS), ...init });
    if (!response.ok) throw new Error(`warehouse answered ${response.status} to ${path}`);
    return response.json();
  };
  const cartKey = (req: Request): string => `example-shop:cart:${req.ip ?? 'unknown'}`;

  app.get('/', (_req, res) => {
    res.type('text').send('example shop\n');
  });

  app.get('/api/products', async (_req, res) => {
    await work(2, 30);
    res.json(PRODUCTS);
  });

  app.get('/api/products/:id', async (req, res) => {
    const product = PRODUCTS.find((candidate) => String(candidate.id) === req.params.id);
    if (product === undefined) {
      res.status(404).json({ error: 'no such product' });
      return;
    }
    res.json({ ...product, stock: await warehouse(`/stock/${product.id}`) });
  });

  app.get('/api/search', async (req, res) => {
    await work(100, 1_500);
    const query = String(req.query.q ?? '').toLowerCase();
    res.json(PRODUCTS.filter((product) => product.name.toLowerCase().includes(query)));
  });

  app.post('/api/cart/items', async (req, res) => {
    const productId = Number(req.body?.productId);
    if (!PRODUCTS.some((product) => product.id === productId)) {
      res.status(400).json({ error: 'no such product' });
      return;
    }
    const key = cartKey(req);
    const quantity = await cart.hincrby(key, String(productId), 1);
    await cart.expire(key, CART_TTL_SECONDS);
    res.status(201).json({ productId, quantity });
  });

  app.get('/api/cart', async (req, res) => {
    const items = await cart.hgetall(cartKey(req));
    res.json(Object.entries(items).map(([productId, quantity]) => ({ productId: Number(productId), quantity: Number(quantity) })));
  });

  app.post('/api/orders', async (req, res) => {
    const key = cartKey(req);
    const items = await cart.hgetall(key);
    const reservation = await warehouse('/reservations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    if (Math.random() < 0.1) throw new Error('payment service unavailable');
    await cart.del(key);
    res.status(201).json({ id: Math.floor(Math.random() * 1e6), items, reservation });
  });

  app.get('/api/reports/:name', async (req, res) => {
    await work(2_000, 6_000);
    res.json({ report: req.params.name, rows: 42 });
  });

  // Waits on the warehouse's export, which never comes: it hangs until the client gives up.
  app.get('/api/export', async (_req, res) => {
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    if (warehouseUrl === undefined) {
      // No warehouse: the same hang, on a timer of its own.
      const timer = setTimeout(() => res.status(503).json({ error: 'export timed out' }), 120_000);
      gone.signal.addEventListener('abort', () => clearTimeout(timer));
      return;
    }
    try {
      res.json(await warehouse('/export', { signal: gone.signal }));
    } catch {
      if (!res.headersSent) res.status(503).json({ error: 'export timed out' });
    }
  });

  app.get('/api/fail', () => {
    throw new Error('something broke');
  });

  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: error.message });
  });
  return app;
}
