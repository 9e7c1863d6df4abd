import { expect } from 'chai';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { Cluster, Redis } from 'ioredis';
import { HTTPTask } from '@otel-top/model';
import { RedisTestCluster, RedisTestServer, TestCertificates, waitFor } from '@otel-top/redis-test-server';
import { MultiPrefixReader, RedisTaskExporter, RedisTaskReader } from '../src';
import { StaticTask } from './static-task';

/**
 * The least an exporter needs (README): its keys, its channel, and the
 * commands its scripts call, which Redis checks against the ACL one by one.
 */
const EXPORTER_ACL = [
  'on', '>exporter-secret', 'resetkeys', '~processors', '~past_tasks', '~otel_top:*', 'resetchannels', '&task_updates', '&otel_top:updates',
  '-@all', '+evalsha', '+eval', '+time', '+ping', '+info', '+select', '+client|setname',
  '+hset', '+hget', '+hgetall', '+hmget', '+hdel', '+hincrby', '+expireat', '+sadd', '+srem', '+smembers', '+del', '+lpush', '+ltrim',
  '+zadd', '+zrem', '+zrangebyscore', '+get', '+set', '+pexpire', '+publish', '+pubsub|numsub',
];
const READ_ONLY_ACL = [
  'on', '>viewer-secret', 'resetkeys', '%R~*', 'resetchannels', '&task_updates', '&otel_top:updates',
  '-@all', '+@read', '+subscribe', '+unsubscribe', '+ping', '+info', '+select', '+time', '+client|setname',
];

describe('Deployments beyond one plain Redis', function () {
  this.timeout(30_000);

  describe('TLS (rediss://) with ACL users', () => {
    let certificates: TestCertificates;
    let server: RedisTestServer;
    let admin: Redis;

    before(async () => {
      certificates = TestCertificates.create();
      server = await RedisTestServer.start({ tls: certificates });
      admin = new Redis(server.url, { tls: { ca: certificates.ca } });
      await admin.acl('SETUSER', 'exporter', ...EXPORTER_ACL);
      await admin.acl('SETUSER', 'viewer', ...READ_ONLY_ACL);
    });

    after(async () => {
      admin.disconnect();
      await server.stop();
      certificates.remove();
    });

    it('writes and reads over TLS as least-privileged ACL users, with a private CA', async () => {
      const url = `rediss://exporter:exporter-secret@127.0.0.1:${server.port}/0`;
      const exporter = new RedisTaskExporter({ url, tls: { ca: certificates.ca } });
      const reader = new RedisTaskReader({ url: `rediss://viewer:viewer-secret@127.0.0.1:${server.port}/0`, tls: { ca: certificates.ca } });
      try {
        const running = new StaticTask('/tls-running');
        exporter.taskStarted(running);
        exporter.taskEnded(new StaticTask('/tls-done').end());
        await exporter.forceFlush();
        expect(exporter.getStats()).to.include({ writtenActive: 1, writtenCompleted: 1, failed: 0 });
        // The read-only viewer reads, and silently does not clean.
        expect([...(await reader.getActiveTasks()).keys()]).to.deep.equal([running.processorId]);
        expect((await reader.getCompletedTasks()).map((task) => task.path)).to.deep.equal(['/tls-done']);
        // Counts show once their second is complete for readers, a couple of seconds later.
        const traffic = await waitFor(async () => {
          const report = await reader.getTraffic('1m');
          return report.total.count > 0 ? report : undefined;
        }, { timeoutMillis: 5_000, intervalMillis: 100, message: 'the counts readable by the viewer' });
        expect(traffic.routes.map(({ name, count }) => [name, count])).to.deep.equal([['GET /tls-done', 1]]);
        const clients = await admin.client('LIST');
        expect(String(clients)).to.match(/name=otel-top-exporter .*user=exporter/);
      } finally {
        await exporter.shutdown();
        await reader.close();
      }
      expect(await admin.hlen('processors')).to.equal(0);
    });

    it('refuses a server certificate it cannot verify, says so, and the app goes on', async () => {
      const warnings: string[] = [];
      const record = (message: string): void => {
        warnings.push(message);
      };
      diag.setLogger({ error: record, warn: record, info: record, debug: record, verbose: record }, DiagLogLevel.WARN);
      const before = await admin.llen('past_tasks');
      const exporter = new RedisTaskExporter({ url: `rediss://exporter:exporter-secret@127.0.0.1:${server.port}/0` });
      try {
        exporter.taskEnded(new StaticTask('/untrusted').end());
        await waitFor(() => warnings.some((message) => /certificate/i.test(message)), { message: 'a warning about the certificate' });
        expect(warnings.join('\n')).not.to.include('exporter-secret');
        expect(exporter.getStats()).to.include({ writtenCompleted: 0, queued: 1 });
      } finally {
        diag.disable();
        await exporter.shutdown();
      }
      expect(await admin.llen('past_tasks')).to.equal(before);
    });
  });

  describe('Sentinel', () => {
    let master: RedisTestServer;
    let replica: RedisTestServer;
    let sentinel: RedisTestServer;

    before(async () => {
      master = await RedisTestServer.start();
      replica = await RedisTestServer.start();
      const admin = new Redis(replica.url);
      await admin.replicaof('127.0.0.1', master.port);
      await waitFor(async () => (await admin.info('replication')).includes('master_link_status:up'), { timeoutMillis: 10_000 });
      admin.disconnect();
      sentinel = await RedisTestServer.start({ sentinel: { masterName: 'tracker', masterPort: master.port } });
    });

    after(async () => {
      await sentinel.stop();
      await replica.stop();
      await master.stop();
    });

    it('writes through the master Sentinel names, and on after a failover to the replica', async () => {
      const client = new Redis({
        sentinels: [{ host: '127.0.0.1', port: sentinel.port }],
        name: 'tracker',
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        failoverDetector: true,
        // The old master turns replica: reconnect through Sentinel instead of failing on.
        reconnectOnError: (error) => error.message.startsWith('READONLY'),
      });
      client.on('error', () => undefined);
      const exporter = new RedisTaskExporter({ client, heartbeatIntervalMillis: 200, deadAfterMillis: 1_000 });
      const reader = new RedisTaskReader({ client });
      try {
        exporter.taskEnded(new StaticTask('/before-failover').end());
        await exporter.forceFlush();
        expect((await reader.getCompletedTasks()).map((task) => task.path)).to.deep.equal(['/before-failover']);

        const admin = new Redis(sentinel.port, '127.0.0.1');
        // Sentinel learns about the replica from the master's INFO; a failover needs it known and healthy.
        await waitFor(
          async () => String(await admin.call('SENTINEL', 'REPLICAS', 'tracker')).includes(`${replica.port}`) &&
            (await admin.call('SENTINEL', 'FAILOVER', 'tracker').then(() => true, () => false)),
          { timeoutMillis: 20_000, intervalMillis: 250, message: 'Sentinel to start a failover' },
        );
        await waitFor(
          async () => Number(((await admin.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'tracker')) as string[])[1]) === replica.port,
          { timeoutMillis: 15_000, intervalMillis: 100, message: 'the replica promoted' },
        );
        admin.disconnect();
        // Writes that reach the old master in the moment before it turns replica are lost with it
        // (replication is asynchronous); tracking carries on on the new master.
        const promoted = new Redis(replica.url);
        try {
          await waitFor(
            async () => {
              exporter.taskEnded(new StaticTask('/after-failover').end());
              await exporter.forceFlush();
              return (await promoted.lrange('past_tasks', 0, 0)).some((json) => HTTPTask.fromJSON(json).path === '/after-failover');
            },
            { timeoutMillis: 15_000, intervalMillis: 200, message: 'tasks written to the new master' },
          );
        } finally {
          promoted.disconnect();
        }
      } finally {
        await exporter.shutdown();
        await reader.close();
        client.disconnect();
      }
    });
  });

  describe('Cluster', () => {
    let cluster: RedisTestCluster;

    before(async () => {
      cluster = await RedisTestCluster.start(3);
    });

    after(async () => {
      await cluster.stop();
    });

    it('keeps the table in one slot with a hash-tag prefix, writes, reads and cleans ghosts', async () => {
      const client = new Cluster(cluster.startupNodes, { enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 0 } });
      client.on('error', () => undefined);
      await waitFor(() => client.status === 'ready', { timeoutMillis: 10_000 });
      const keyPrefix = '{otel-top}:';
      const exporter = new RedisTaskExporter({ client, keyPrefix });
      const reader = new RedisTaskReader({ client, keyPrefix });
      const updates: HTTPTask[] = [];
      const unsubscribe = await reader.subscribe((update) => updates.push(...update.active, ...update.completed));
      try {
        const running = new StaticTask('/cluster-running');
        exporter.taskStarted(running);
        exporter.taskEnded(new StaticTask('/cluster-done').end());
        await exporter.forceFlush();
        expect([...(await reader.getActiveTasks()).keys()]).to.deep.equal([running.processorId]);
        expect((await reader.getCompletedTasks()).map((task) => task.path)).to.deep.equal(['/cluster-done']);
        await waitFor(() => updates.length >= 2, { message: 'updates published in the cluster' });

        // A dead exporter's record and task, as a SIGKILLed process leaves them.
        const ghost = new HTTPTask({ processId: 1, threadId: 0, processInternalId: 'ghost', path: '/ghost', startedAt: new Date(Date.now() - 60_000) });
        await client.hset(`${keyPrefix}processors`, ghost.getProcessorTrackingId(), JSON.stringify(ghost));
        await client.sadd(`${keyPrefix}otel_top:tasks:dead`, ghost.getProcessorTrackingId());
        const seen = Date.now() - 30_000;
        await client.hset(`${keyPrefix}otel_top:exporters`, 'dead', JSON.stringify({ seen, dead_after: 10_000, seq: 3 }));
        await client.zadd(`${keyPrefix}otel_top:deadlines`, seen + 10_000, 'dead');
        await waitFor(async () => (await reader.getActiveTasks()).size === 1, { timeoutMillis: 5_000, message: 'the ghost cleaned' });
        expect([...(await reader.getActiveTasks()).keys()]).to.deep.equal([running.processorId]);
        const [cleaned] = await reader.getCompletedTasks(1);
        expect(cleaned.path).to.equal('/ghost');
        expect(cleaned.recordedSuccessfully).to.equal(false);
      } finally {
        await unsubscribe();
        await exporter.shutdown();
        await reader.close();
        client.disconnect();
      }
    });

    it('reads the tables of two prefixes, on two different masters, as one view', async () => {
      const client = new Cluster(cluster.startupNodes, { enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 0 } });
      client.on('error', () => undefined);
      await waitFor(() => client.status === 'ready', { timeoutMillis: 10_000 });
      // Two services, each its table under a hash tag of its own: pick two whose slots different masters serve.
      const slots = await client.cluster('SLOTS');
      const master = async (prefix: string): Promise<number> => {
        const slot = Number(await client.cluster('KEYSLOT', `${prefix}processors`));
        return slots.find(([from, to]) => slot >= from && slot <= to)?.[2]?.[1] ?? -1;
      };
      const candidates = ['{shop}:', '{billing}:', '{search}:', '{users}:', '{orders}:', '{mail}:'];
      const masters = await Promise.all(candidates.map(master));
      const first = candidates[0];
      const second = candidates.find((_, index) => masters[index] !== masters[0]) as string;
      expect(second, 'two prefixes on different masters').to.be.a('string');

      const shop = new RedisTaskExporter({ client, keyPrefix: first });
      const billing = new RedisTaskExporter({ client, keyPrefix: second });
      const reader = new MultiPrefixReader({ client }, [first, second]);
      try {
        const running = [new StaticTask('/shop-running'), new StaticTask('/billing-running')];
        shop.taskStarted(running[0]);
        billing.taskStarted(running[1]);
        shop.taskEnded(new StaticTask('/shop-done').end());
        await new Promise((resolve) => setTimeout(resolve, 5));
        billing.taskEnded(new StaticTask('/billing-done').end(500));
        await Promise.all([shop.forceFlush(), billing.forceFlush()]);

        expect([...(await reader.getActiveTasks()).values()].map((task) => task.path).sort()).to.deep.equal(['/billing-running', '/shop-running']);
        const page = await reader.getActiveTasksPage(10);
        expect(page.total).to.equal(2);
        expect((await reader.getCompletedTasks()).map((task) => task.path)).to.deep.equal(['/billing-done', '/shop-done']);
        const processes = await reader.getProcesses();
        expect(processes.map((process) => process.id).sort()).to.deep.equal([shop.id, billing.id].sort());
        const traffic = await waitFor(async () => {
          const report = await reader.getTraffic('1m');
          return report.total.count === 2 && report;
        }, { timeoutMillis: 5_000, intervalMillis: 100, message: 'the counts of both tables added up' });
        expect(traffic.routes.map(({ name, count, errors }) => [name, count, errors])).to.deep.equal([
          ['GET /billing-done', 1, 1],
          ['GET /shop-done', 1, 0],
        ]);
        expect(traffic.total.errors).to.equal(1);
      } finally {
        await Promise.all([shop.shutdown(), billing.shutdown()]);
        await reader.close();
        client.disconnect();
      }
    });

    it('refuses a Cluster client without a hash tag in the prefix, saying why', () => {
      const client = new Cluster(cluster.startupNodes, { lazyConnect: true });
      try {
        expect(() => new RedisTaskExporter({ client })).to.throw(/hash tag/);
        expect(() => new RedisTaskExporter({ client, keyPrefix: 'shop:' })).to.throw(/hash tag/);
      } finally {
        client.disconnect();
      }
    });
  });
});
