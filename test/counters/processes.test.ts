import { expect } from 'chai';
import { ProcessFigures } from '@otel-top/model';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { FaultAppProcess } from '../fault/fault-app-process';
import { generateLoad, send } from '../fault/load-generator';

describe('Processes, from their heartbeat records', function () {
  this.timeout(60_000);
  let server: RedisTestServer;
  let reader: RedisTaskReader;
  const apps: FaultAppProcess[] = [];

  async function startApp(service: string): Promise<FaultAppProcess> {
    const app = await FaultAppProcess.start({ TOP_TRACKER_URL: server.url, FAULT_SERVICE: service, FAULT_EXPORTER: '{"deadAfterMillis": 5000}' });
    apps.push(app);
    return app;
  }

  async function processOf(app: FaultAppProcess, check: (figures: ProcessFigures) => boolean, message: string): Promise<ProcessFigures> {
    return waitFor(
      async () => (await reader.getProcesses()).find((figures) => figures.pid === app.pid && check(figures)),
      { timeoutMillis: 15_000, intervalMillis: 100, message },
    );
  }

  before(async () => {
    server = await RedisTestServer.start();
    reader = new RedisTaskReader({ url: server.url });
  });

  after(async () => {
    await Promise.all(apps.map((app) => app.signal('SIGKILL')));
    await reader.close();
    await server.stop();
  });

  it('shows two services with plausible figures, a blocked one late and then back, a killed one dead and cleaned', async () => {
    const [shop, billing] = await Promise.all([startApp('shop'), startApp('billing')]);
    const load = await generateLoad(shop.port, '/fast', { concurrency: 8, durationMillis: 10_000, maxRequests: 600 });
    expect(load.failed).to.equal(0);
    const held = send(billing.port, '/slow/1');

    const busy = await processOf(shop, (figures) => figures.traffic['1m'].count === 600, 'the shop counted its 600 requests');
    expect(busy).to.include({ service: 'shop', serviceVersion: '1.2.3', state: 'alive', nodeVersion: process.version });
    expect(busy.rssBytes).to.be.within(10 * 1024 * 1024, 2 * 1024 * 1024 * 1024);
    expect(busy.heapUsedBytes).to.be.above(0);
    expect(busy.cpuShare).to.be.within(0, 2);
    expect(busy.eventLoopDelayP99Millis).to.be.within(0, 1_000);
    expect(busy.tracking).to.include({ dropped: 0, failed: 0 });
    expect(busy.heartbeatAgeMillis).to.be.below(2_500);
    const waiting = await processOf(billing, (figures) => figures.inFlight === 1 && figures.service === 'billing', 'billing with one request in flight');
    expect(waiting.traffic['10s'].count).to.equal(0);

    // Three seconds of a blocked event loop: the heartbeat is late, and the view can say so before it is dead.
    const blocking = send(billing.port, '/block/3000', { method: 'POST' });
    const late = await processOf(billing, (figures) => figures.state === 'late', 'billing shown late');
    expect(late.heartbeatAgeMillis).to.be.above(2_500);
    await blocking;
    // A flush can move the heartbeat on just before the first record after the block is written: wait for that record.
    const told = await processOf(
      billing,
      (figures) => figures.state === 'alive' && (figures.eventLoopDelayMaxMillis ?? 0) > 2_000,
      'billing back, its heartbeat record telling of the blocked event loop',
    );
    expect(told.eventLoopDelayMaxMillis).to.be.below(60_000);
    await send(billing.port, '/release', { method: 'POST' });
    await held;

    await shop.signal('SIGKILL');
    await processOf(shop, (figures) => figures.state === 'dead' || figures.state === 'cleaned', 'the shop dead');
    await processOf(shop, (figures) => figures.state === 'cleaned', 'the shop cleaned');
    expect((await reader.getProcesses()).find((figures) => figures.pid === billing.pid)?.state).to.equal('alive');
  });
});
