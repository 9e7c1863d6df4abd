import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProcessHealth } from '../src';

/** Holds the event loop, as a synchronous request handler stuck in a loop would. */
function blockFor(millis: number): void {
  const until = performance.now() + millis;
  while (performance.now() < until);
}

describe('process health', () => {
  let health: ProcessHealth;

  beforeEach(() => {
    health = ProcessHealth.shared();
    health.sample();
  });

  afterEach(() => health.stop());

  it('tells of a block that the loop has since recovered from', async () => {
    await sleep(100);
    blockFor(400);
    await sleep(150);
    const sample = health.sample();
    expect(sample.eventLoopDelayMaxMillis).to.be.within(300, 2_000);
    expect(sample.eventLoopDelayP99Millis).to.be.a('number');
  });

  it('tells of a block that has just ended, before any timer has run after it, and only once', async () => {
    // A heartbeat can be the first callback after a block; the delay monitor has not recorded it yet.
    blockFor(1_000);
    const first = health.sample();
    expect(first.eventLoopDelayMaxMillis).to.be.within(850, 5_000);
    await sleep(300);
    const next = health.sample();
    expect(next.eventLoopDelayMaxMillis ?? 0).to.be.below(500);
  });

  it('samples CPU share and memory', () => {
    blockFor(50);
    const sample = health.sample();
    expect(sample.cpuShare).to.be.within(0.2, 2);
    expect(sample.rssBytes).to.be.above(sample.heapUsedBytes);
    expect(sample.heapTotalBytes).to.be.at.least(sample.heapUsedBytes);
  });
});
