import express, { NextFunction, Request, Response } from 'express';

const PRODUCTS = Array.from({ length: 20 }, (_, index) => ({ id: index + 1, name: `Product ${index + 1}`, price: 5 + index * 3 }));

/** Resolves after a random time between `min` and `max` ms: the app's stand-in for a database or an API. */
function work(min: number, max: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));
}

/**
 * A small shop API with the usual mix: fast and slow routes, not-found
 * answers, failures, and an export that hangs. Nothing in it knows about
 * otel-top: tracking comes from the OpenTelemetry setup in tracing.ts.
 */
export function createApp(): express.Express {
  const app = express();
  app.use(express.json());

  app.get('/', (_req, res) => {
    res.type('text').send('example shop\n');
  });

  app.get('/api/products', async (_req, res) => {
    await work(2, 30);
    res.json(PRODUCTS);
  });

  app.get('/api/products/:id', async (req, res) => {
    await work(2, 20);
    const product = PRODUCTS.find((candidate) => String(candidate.id) === req.params.id);
    if (product === undefined) res.status(404).json({ error: 'no such product' });
    else res.json(product);
  });

  app.get('/api/search', async (req, res) => {
    await work(100, 1_500);
    const query = String(req.query.q ?? '').toLowerCase();
    res.json(PRODUCTS.filter((product) => product.name.toLowerCase().includes(query)));
  });

  app.post('/api/orders', async (req, res) => {
    await work(50, 400);
    if (Math.random() < 0.1) throw new Error('payment service unavailable');
    res.status(201).json({ id: Math.floor(Math.random() * 1e6), items: req.body?.items ?? [] });
  });

  app.get('/api/reports/:name', async (req, res) => {
    await work(2_000, 6_000);
    res.json({ report: req.params.name, rows: 42 });
  });

  // Hangs until the client gives up (or two minutes pass): what a stuck upstream call looks like.
  app.get('/api/export', (req, res) => {
    const timer = setTimeout(() => res.status(503).json({ error: 'export timed out' }), 120_000);
    req.on('close', () => clearTimeout(timer));
  });

  app.get('/api/fail', () => {
    throw new Error('something broke');
  });

  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: error.message });
  });
  return app;
}
