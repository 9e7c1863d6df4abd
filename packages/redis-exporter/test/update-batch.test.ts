import { expect } from 'chai';
import { HTTPTask, TaskUpdate } from '@otel-top/model';
import { UpdateBatch } from '../src/update-batch';

/*
 * The batch of update messages a subscriber with batchMillis takes once a
 * period: pure, fed messages of the test's own and a decoder that counts.
 */

const task = (path: string): HTTPTask => new HTTPTask({ processId: 1, threadId: 0, processInternalId: path, method: 'GET', path });

/** A message as an exporter's flush publishes it, here just the paths. */
function message(fields: { active?: string[]; completed?: string[]; removed?: string[] }): Buffer {
  return Buffer.from(JSON.stringify({ active: fields.active ?? [], completed: fields.completed ?? [], removed: fields.removed ?? [] }));
}

class CountingDecoder {
  decoded = 0;
  readonly decode = (text: string): TaskUpdate | undefined => {
    this.decoded++;
    if (!text.startsWith('{')) return undefined;
    const wire = JSON.parse(text) as { active: string[]; completed: string[]; removed: string[] };
    return { active: wire.active.map(task), completed: wire.completed.map(task), removed: wire.removed };
  };
}

const paths = (tasks: HTTPTask[]): string[] => tasks.map((item) => item.path ?? '');

describe('UpdateBatch', () => {
  it('gives nothing when nothing arrived, and each message once', () => {
    const batch = new UpdateBatch(10);
    const decoder = new CountingDecoder();
    expect(batch.take(decoder.decode)).to.equal(undefined);
    batch.add(message({ completed: ['/a'] }));
    expect(paths(batch.take(decoder.decode)?.completed ?? [])).to.deep.equal(['/a']);
    expect(batch.take(decoder.decode)).to.equal(undefined);
  });

  it('joins the messages of a period into one update, oldest first as each message is', () => {
    const batch = new UpdateBatch(10);
    batch.add(message({ active: ['/x'], completed: ['/1', '/2'] }));
    batch.add(message({ completed: ['/3'], removed: ['1-0-/y'] }));
    batch.add(message({ active: ['/z'], completed: ['/x'] }));
    const update = batch.take(new CountingDecoder().decode);
    expect(paths(update?.active ?? [])).to.deep.equal(['/x', '/z']);
    expect(paths(update?.completed ?? [])).to.deep.equal(['/1', '/2', '/3', '/x']);
    expect(update?.removed).to.deep.equal(['1-0-/y']);
  });

  it('keeps the newest completed tasks up to the list length, and leaves older messages undecoded once it has them', () => {
    const batch = new UpdateBatch(4);
    for (let flush = 0; flush < 10; flush++) batch.add(message({ active: [`/running${flush}`], completed: [`/${flush}a`, `/${flush}b`, `/${flush}c`] }));
    const decoder = new CountingDecoder();
    const update = batch.take(decoder.decode);
    // The newest two messages hold six completed tasks: the newest four are kept, the eight older messages never decoded.
    expect(decoder.decoded).to.equal(2);
    expect(paths(update?.completed ?? [])).to.deep.equal(['/8c', '/9a', '/9b', '/9c']);
    expect(paths(update?.active ?? [])).to.deep.equal(['/running8', '/running9']);
  });

  it('passes over messages that do not decode', () => {
    const batch = new UpdateBatch(4);
    batch.add(message({ completed: ['/old'] }));
    batch.add(Buffer.from('garbage'));
    const decoder = new CountingDecoder();
    expect(paths(batch.take(decoder.decode)?.completed ?? [])).to.deep.equal(['/old']);
    expect(decoder.decoded).to.equal(2);
    batch.add(Buffer.from('garbage'));
    expect(batch.take(decoder.decode)).to.equal(undefined);
  });

  it('holds at most 16 MiB of messages between takes, dropping the oldest', () => {
    const batch = new UpdateBatch(1_000);
    const filler = 'x'.repeat(1024 * 1024);
    for (let index = 0; index < 20; index++) batch.add(message({ completed: [`/${index}`], removed: [filler] }));
    const update = batch.take(new CountingDecoder().decode);
    const kept = paths(update?.completed ?? []);
    expect(kept.length).to.be.within(14, 16);
    expect(kept[kept.length - 1]).to.equal('/19');
  });
});
