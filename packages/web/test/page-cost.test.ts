import { expect } from 'chai';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { trackingTableKeys } from '@otel-top/model';
import { createRedisClient, RedisTaskReader } from '@otel-top/redis-exporter';
import { RedisTestServer, waitFor } from '@otel-top/redis-test-server';
import { WebViewHandler } from '../src/index.js';
import { ExampleShop } from './fixtures/example-shop.js';
import { HeadlessChromium } from './headless-chromium.js';

/** Commands only a reader sends (the exporters' scripts never do): one of each per read of the table. */
const READER_COMMANDS = ['lrange', 'hlen', 'zcard'];
const REFRESHES_MEASURED = 4;
const REQUESTS = 100;

type Redis = ReturnType<typeof createRedisClient>;

async function commandCalls(client: Redis): Promise<Map<string, number>> {
  const info = await client.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) calls.set(match[1] ?? '', Number(match[2]));
  return calls;
}

function delta(before: Map<string, number>, after: Map<string, number>, command: string): number {
  return (after.get(command) ?? 0) - (before.get(command) ?? 0);
}

async function subscribers(client: Redis, channel: string): Promise<number> {
  const reply = (await client.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
  return Number(reply[1]);
}

describe('What open pages cost the tracker and the tracked servers', function () {
  this.timeout(120_000);
  const keys = trackingTableKeys();
  let redis: RedisTestServer;
  let shop: ExampleShop;
  let reader: RedisTaskReader;
  let handler: WebViewHandler;
  let server: Server;
  let port: number;
  let client: Redis;
  let chromium: HeadlessChromium;
  const tabs: Page[] = [];

  before(async () => {
    redis = await RedisTestServer.start();
    shop = await ExampleShop.start(redis.url, 1);
    reader = new RedisTaskReader({ url: redis.url });
    handler = new WebViewHandler({ reader, trackerUrl: redis.url, lingerMillis: 60_000 });
    server = createServer(handler.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    client = createRedisClient(redis.url, {});
    chromium = await HeadlessChromium.launch();
  });

  after(async () => {
    await chromium?.close();
    await handler?.close();
    server?.closeAllConnections();
    server?.close();
    client?.disconnect();
    await reader?.close();
    await shop?.stop();
    await redis?.stop();
  });

  /** Bursts of concurrent requests, as a busy server gets them: REQUESTS in all. */
  async function traffic(): Promise<void> {
    for (let burst = 0; burst < REQUESTS / 20; burst++) {
      await Promise.all(Array.from({ length: 20 }, (_unused, index) => shop.call(`/api/products?burst=${burst}&n=${index}`)));
    }
  }

  /** Over REFRESHES_MEASURED whole refreshes while REQUESTS are served: the reader's commands per refresh, and the publishes per request. */
  async function measure(): Promise<{ readsPerRefresh: Record<string, number>; publishesPerRequest: number }> {
    // Right after a refresh ended, the next is a refresh interval away.
    const start = handler.stats.refreshes;
    await waitFor(() => handler.stats.refreshes > start, { timeoutMillis: 10_000, message: 'a refresh' });
    const from = handler.stats.refreshes;
    const before = await commandCalls(client);
    await traffic();
    await waitFor(() => handler.stats.refreshes >= from + REFRESHES_MEASURED, { timeoutMillis: 30_000, message: 'the refreshes measured' });
    const after = await commandCalls(client);
    const refreshes = handler.stats.refreshes - from;
    const readsPerRefresh = Object.fromEntries(READER_COMMANDS.map((command) => [command, delta(before, after, command) / refreshes]));
    return { readsPerRefresh, publishesPerRequest: delta(before, after, 'publish') / REQUESTS };
  }

  async function openTab(): Promise<void> {
    const tab = await chromium.newPage();
    await tab.goto(`http://127.0.0.1:${port}/`);
    await tab.waitForSelector('#view .table-block');
    tabs.push(tab);
  }

  it('with no page open: no reads, no subscription, and the exporter publishes nothing', async () => {
    const before = await commandCalls(client);
    await traffic();
    const after = await commandCalls(client);
    expect(handler.stats.refreshes).to.equal(0);
    for (const command of READER_COMMANDS) expect(delta(before, after, command), command).to.equal(0);
    expect(delta(before, after, 'publish')).to.equal(0);
    expect(await subscribers(client, keys.updates)).to.equal(0);
  });

  it('one tab is one viewer, as otel-top live is: one subscription, one read per refresh, one message per flush rather than per request', async () => {
    await openTab();
    await waitFor(async () => (await subscribers(client, keys.updates)) === 1, { timeoutMillis: 10_000, message: 'the page subscribed' });
    const one = await measure();
    expect(one.readsPerRefresh).to.deep.equal({ lrange: 1, hlen: 1, zcard: 1 });
    // The updates channel, never the per-task task_updates that make a writer publish every request.
    expect(await subscribers(client, keys.taskUpdates)).to.equal(0);
    expect(one.publishesPerRequest).to.be.above(0).and.below(0.5);

    // Five tabs: the same one subscription and the same reads; the tracked server pays nothing more.
    for (let tab = 1; tab < 5; tab++) await openTab();
    await waitFor(() => handler.stats.streams === 5, { message: 'five streams open' });
    const five = await measure();
    expect(handler.stats.subscriptions).to.equal(1);
    expect(await subscribers(client, keys.updates)).to.equal(1);
    expect(await subscribers(client, keys.taskUpdates)).to.equal(0);
    expect(five.readsPerRefresh).to.deep.equal(one.readsPerRefresh);
    expect(five.publishesPerRequest).to.be.below(0.5);
  });
});
