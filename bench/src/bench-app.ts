import express, { Express, RequestHandler } from 'express';

/** The app every variant serves: one small JSON route with a path parameter, as a typical API. */
export function createBenchApp(tracking?: RequestHandler): Express {
  const app = express();
  app.set('etag', false);
  app.set('x-powered-by', false);
  if (tracking !== undefined) app.use(tracking);
  app.get('/api/items/:id', (request, response) => {
    response.json({ id: request.params.id, name: `item ${request.params.id}`, page: Number(request.query.page ?? 1) });
  });
  return app;
}
