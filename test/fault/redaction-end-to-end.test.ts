import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { FaultAppProcess } from './fault-app-process';
import { send } from './load-generator';

const SECRETS = [
  'bearer-secret-value',
  'cookie-secret-value',
  'api-key-secret-value',
  'proxy-secret-value',
  'query-token-secret',
  'query-password-secret',
  'query-apikey-secret',
  'set-cookie-secret-value',
  'response-token-secret',
];

/** Everything Redis holds: every key name and every value, whatever the type. */
async function dump(redis: Redis): Promise<string> {
  const parts: string[] = [];
  let cursor = '0';
  for (let round = 0; round < 1_000; round++) {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1_000);
    for (const key of keys) {
      parts.push(key);
      const type = await redis.type(key);
      if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(...(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(...(await redis.smembers(key)));
      else if (type === 'string') parts.push((await redis.get(key)) ?? '');
      else parts.push(`unexpected ${type}`);
    }
    cursor = next;
    if (cursor === '0') break;
  }
  return parts.join('\n');
}

// The otel-top command as npm links it; this workspace does not depend on the CLI package, so by path.
const OTEL_TOP_BIN = join(__dirname, '..', '..', '..', 'packages', 'cli', 'bin', 'otel-top.js');

describe('Redaction, end to end through a real instrumented app', function () {
  this.timeout(30_000);

  it("leaves no secret anywhere in Redis (keys, hash, list, published messages) or in otel-top's output", async () => {
    const server = await RedisTestServer.start();
    const redis = new Redis(server.url);
    const subscriber = new Redis(server.url);
    const messages: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => messages.push(message));
    await subscriber.subscribe('task_updates');
    const app = await FaultAppProcess.start({ TOP_TRACKER_URL: server.url });
    try {
      const headers = {
        authorization: 'Bearer bearer-secret-value',
        cookie: 'session=cookie-secret-value',
        'x-api-key': 'api-key-secret-value',
        'proxy-authorization': 'Basic proxy-secret-value',
      };
      const query = '?token=query-token-secret&password=query-password-secret&api_key=query-apikey-secret&page=2';
      // One request still running while Redis is read, so the processors hash holds a live task.
      const running = send(app.port, `/slow/1${query}`, { headers });
      expect((await send(app.port, `/fast${query}`, { headers })).status).to.equal(200);
      expect((await send(app.port, `/login${query}`, { headers })).status).to.equal(200);
      await waitFor(async () => (await redis.llen('past_tasks')) === 2 && (await redis.hlen('processors')) === 1, {
        message: 'two completed and one active task',
      });
      await waitFor(() => messages.length >= 3, { message: 'updates published' });

      const everything = `${await dump(redis)}\n${messages.join('\n')}`;
      for (const secret of SECRETS) expect(everything, secret).not.to.include(secret);
      // What is not secret stays, so the check above looked at real records.
      expect(everything).to.include('[REDACTED]');
      expect(everything).to.include('"page":"2"');
      expect(everything).to.include('/login');

      // Nor in what otel-top prints: the table with every column, and the JSON.
      const otelTop = (...args: string[]): Promise<string> =>
        promisify(execFile)(process.execPath, [OTEL_TOP_BIN, 'recent', '--tracker-url', server.url, ...args], {
          timeout: 20_000,
        }).then(({ stdout }) => stdout);
      const printed = [
        await otelTop('--json'),
        await otelTop('--columns', 'Cty,IP,Worker,Method,Path,Duration,Ago,Resp,Length,User agent,Host,Route,Service'),
      ].join('\n');
      for (const secret of SECRETS) expect(printed, secret).not.to.include(secret);
      expect(printed).to.include('/login').and.include('[REDACTED]');

      await send(app.port, '/release', { method: 'POST' });
      await running;
    } finally {
      await app.signal('SIGKILL');
      subscriber.disconnect();
      redis.disconnect();
      await server.stop();
    }
  });
});
