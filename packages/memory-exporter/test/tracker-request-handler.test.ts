import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { MemoryTaskExporter, TrackerRequestHandler, WEB_API_KEY_ENV } from '../src';
import { StaticTask } from './static-task';

const KEY = 'k'.repeat(16) + '0123456789abcdef0123';

describe('TrackerRequestHandler', () => {
  let exporter: MemoryTaskExporter;
  let server: Server;
  let base: string;

  before(async () => {
    exporter = new MemoryTaskExporter();
    const handler = new TrackerRequestHandler(exporter, { apiKey: KEY });
    server = createServer(handler.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tracker`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function get(query: string, init: RequestInit = {}): Promise<{ status: number; body: string; headers: Headers }> {
    const response = await fetch(`${base}${query}`, init);
    return { status: response.status, body: await response.text(), headers: response.headers };
  }

  it('refuses a missing API key with 403', async () => {
    const response = await get('?action=active-tasks');
    expect(response.status).to.equal(403);
  });

  it('refuses a wrong API key with 403, without echoing either key', async () => {
    const wrong = `${KEY.slice(0, -1)}X`;
    const response = await get(`?api-key=${wrong}&action=active-tasks`);
    expect(response.status).to.equal(403);
    expect(response.body).not.to.include(wrong.slice(0, 4));
  });

  it('answers a missing or unknown action with 400', async () => {
    expect((await get(`?api-key=${KEY}`)).status).to.equal(400);
    expect((await get(`?api-key=${KEY}&action=clear`)).status).to.equal(400);
  });

  it('allows GET only', async () => {
    const response = await get(`?api-key=${KEY}&action=active-tasks`, { method: 'POST' });
    expect(response.status).to.equal(405);
    expect(response.headers.get('allow')).to.equal('GET, HEAD');
  });

  it('serves active tasks as an object of processor id to wire task, never cached', async () => {
    const tasks = [StaticTask.make(1), StaticTask.make(2, { requestHeaders: [['USER-AGENT', 'ua']] })];
    for (const task of tasks) exporter.taskStarted(task);
    const response = await get(`?api-key=${KEY}&action=active-tasks`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('application/json');
    expect(response.headers.get('cache-control')).to.equal('no-store');
    expect(JSON.parse(response.body)).to.deep.equal({
      [tasks[0].processorId]: tasks[0].task.toJSON(),
      [tasks[1].processorId]: JSON.parse(JSON.stringify(tasks[1].task)),
    });
    for (const task of tasks) exporter.taskEnded(task);
  });

  it('serves completed tasks as an array, newest first', async () => {
    const response = await get(`?api-key=${KEY}&action=completed-tasks`);
    expect(response.status).to.equal(200);
    const body = JSON.parse(response.body) as Array<{ task_id: string; process_internal_id: string }>;
    expect(body.map((task) => task.task_id)).to.deep.equal(['2', '1']);
    expect(JSON.parse(await (await fetch(`${base}?api-key=${KEY}&action=active-tasks`)).text())).to.deep.equal({});
  });

  it('refuses to start without a key, or with a short one, and says how to make one', () => {
    const saved = process.env[WEB_API_KEY_ENV];
    try {
      delete process.env[WEB_API_KEY_ENV];
      expect(() => new TrackerRequestHandler(exporter)).to.throw(TypeError, /set TOP_WEB_API_KEY.*openssl rand -hex 32/);
      process.env[WEB_API_KEY_ENV] = 'short-secret-123';
      expect(() => new TrackerRequestHandler(exporter)).to.throw(TypeError, /TOP_WEB_API_KEY is too short: 16 characters, at least 32/);
      expect(() => new TrackerRequestHandler(exporter, { apiKey: 'x'.repeat(31) })).to.throw(TypeError, /apiKey option is too short/);
      process.env[WEB_API_KEY_ENV] = KEY;
      expect(new TrackerRequestHandler(exporter)).to.be.instanceOf(TrackerRequestHandler);
    } finally {
      if (saved === undefined) delete process.env[WEB_API_KEY_ENV];
      else process.env[WEB_API_KEY_ENV] = saved;
    }
  });
});
