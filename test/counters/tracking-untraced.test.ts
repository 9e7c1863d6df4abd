import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { AppProcess } from '../fixtures/app-process';
import { send } from '../fault/load-generator';

interface ExportedSpan {
  name: string;
  statement: string | null;
}

describe('Tracking never traces itself', function () {
  this.timeout(30_000);
  let redis: RedisTestServer;
  let app: AppProcess;

  before(async () => {
    redis = await RedisTestServer.start();
    app = await AppProcess.start({ TOP_TRACKER_URL: redis.url }, 'redis-using-app.js');
  });

  after(async () => {
    expect(await app.stop()).to.equal(0);
    await redis.stop();
  });

  it('exports no span of the exporter or the reader, while the app own Redis commands are traced', async () => {
    for (let i = 0; i < 5; i++) expect((await send(app.port, `/add/${i}`)).status).to.equal(200);
    expect((await send(app.port, '/read')).status).to.equal(200);
    // The exporter's batches and its looks for dead exporters (TIME, then HGETALL) have run meanwhile.
    await waitFor(async () => (await redisCalls(redis, 'evalsha')) > 0 && (await redisCalls(redis, 'time')) >= 3, {
      message: 'batches and looks for dead exporters',
    });
    const spans = await waitFor(async () => {
      const exported = JSON.parse((await send(app.port, '/spans')).body) as ExportedSpan[];
      return exported.filter((span) => span.name === 'GET').length >= 6 && exported;
    }, { message: 'the requests exported' });
    const redisSpans = spans.filter((span) => span.name !== 'GET');
    // The instrumentation works: the app's own commands are there...
    expect(redisSpans.filter((span) => span.statement?.startsWith('incr cart:/add/') === true)).to.have.length(5);
    // ...and nothing of the tracker's: no evalsha, hgetall, lrange, time, and no connection of its own.
    const others = redisSpans.filter((span) => span.name !== 'incr');
    expect(others.filter((span) => /otel-top|evalsha|hgetall|lrange|time|pipeline/.test(`${span.name} ${span.statement}`))).to.deep.equal([]);
    // The app's own connection is the only one traced: one connect, one ready check.
    expect(others.filter((span) => span.name === 'connect')).to.have.length(1);
    expect(others.filter((span) => span.name === 'info')).to.have.length(1);
  });
});

/** Calls of a command Redis has seen. */
async function redisCalls(server: RedisTestServer, command: string): Promise<number> {
  const client = new Redis(server.url);
  try {
    const info = await client.info('commandstats');
    return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  } finally {
    client.disconnect();
  }
}
