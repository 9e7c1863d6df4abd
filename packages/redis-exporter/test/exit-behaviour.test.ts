import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisTestServer } from '@otel-top/redis-test-server';

function runScript(env: Record<string, string>): Promise<{ code: number | null; stdout: string; millis: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [join(__dirname, 'exiting-app.js')], { env: { ...process.env, ...env } });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve, reject) => {
    // A script held open by the tracker would never end: give up well before mocha's timeout.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the script was kept alive by the exporter'));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, millis: Date.now() - started });
    });
  });
}

describe('RedisTaskExporter and the life of the process', function () {
  this.timeout(30_000);
  let server: RedisTestServer;

  before(async () => {
    server = await RedisTestServer.start();
  });

  after(async () => {
    await server.stop();
  });

  it('never keeps a process alive that has run out of work, with Redis up', async () => {
    const { code } = await runScript({ TRACKER_URL: server.url });
    expect(code).to.equal(0);
  });

  it('never keeps a process alive while Redis is unreachable', async () => {
    const closed = await RedisTestServer.start();
    const url = closed.url;
    await closed.stop();
    const { code } = await runScript({ TRACKER_URL: url });
    expect(code).to.equal(0);
  });

  it('keeps the process alive while someone awaits forceFlush, so the task is written', async () => {
    const { code, stdout } = await runScript({ TRACKER_URL: server.url, FLUSH: '1' });
    expect(code).to.equal(0);
    expect(JSON.parse(stdout)).to.include({ writtenCompleted: 1, queued: 0 });
    const redis = new Redis(server.url);
    try {
      expect(await redis.lrange('past_tasks', 0, -1)).to.have.length.greaterThan(0);
    } finally {
      redis.disconnect();
    }
  });
});
