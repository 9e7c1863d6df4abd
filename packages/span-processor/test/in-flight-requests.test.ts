import { expect } from 'chai';
import { InFlightLinks, InFlightRequests } from '../src/in-flight-requests';

class Request implements InFlightLinks<Request> {
  older: Request | undefined = undefined;
  newer: Request | undefined = undefined;
  startSeq = 0;
  inFlightList: object | undefined = undefined;
  constructor(readonly name: string) {}
}

function drain(list: InFlightRequests<Request>): string[] {
  const names: string[] = [];
  for (let oldest = list.removeOldest(); oldest !== undefined; oldest = list.removeOldest()) names.push(oldest.name);
  return names;
}

describe('InFlightRequests', () => {
  it('gives the requests back oldest first, and counts them', () => {
    const list = new InFlightRequests<Request>();
    for (const name of ['a', 'b', 'c']) list.add(new Request(name));
    expect(list.size).to.equal(3);
    expect(drain(list)).to.deep.equal(['a', 'b', 'c']);
    expect(list.size).to.equal(0);
    expect(list.removeOldest()).to.equal(undefined);
  });

  it('takes out the oldest, the newest or one between, and keeps the others in order', () => {
    const list = new InFlightRequests<Request>();
    const requests = ['a', 'b', 'c', 'd', 'e'].map((name) => new Request(name));
    for (const request of requests) list.add(request);
    list.remove(requests[2]);
    list.remove(requests[0]);
    list.remove(requests[4]);
    expect(list.size).to.equal(2);
    list.add(new Request('f'));
    expect(drain(list)).to.deep.equal(['b', 'd', 'f']);
  });

  it('leaves the list alone when asked to remove a request that is not in it, or no longer', () => {
    const list = new InFlightRequests<Request>();
    const [a, b] = [new Request('a'), new Request('b')];
    list.add(a);
    list.add(b);
    list.remove(a);
    list.remove(a);
    list.remove(new Request('never added'));
    expect(list.size).to.equal(1);
    expect(drain(list)).to.deep.equal(['b']);
  });

  it('takes a request back after it was removed', () => {
    const list = new InFlightRequests<Request>();
    const a = new Request('a');
    list.add(a);
    list.add(new Request('b'));
    list.remove(a);
    list.add(a);
    expect(drain(list)).to.deep.equal(['b', 'a']);
  });

  it('numbers the starts in order and says which requests it holds', () => {
    const list = new InFlightRequests<Request>();
    const other = new InFlightRequests<Request>();
    const [a, b, c] = ['a', 'b', 'c'].map((name) => new Request(name));
    list.add(a);
    list.add(b);
    other.add(c);
    expect([a.startSeq, b.startSeq]).to.deep.equal([1, 2]);
    expect([list.holds(a), list.holds(b), list.holds(c), other.holds(c)]).to.deep.equal([true, true, false, true]);
    list.remove(a);
    expect(list.holds(a)).to.equal(false);
    list.add(a);
    expect(a.startSeq).to.equal(3);
  });

  it('finds the oldest request started after a given one, however many are gone', () => {
    const list = new InFlightRequests<Request>();
    const requests = ['a', 'b', 'c', 'd', 'e'].map((name) => new Request(name));
    for (const request of requests) list.add(request);
    expect(list.firstStartedAfter(0)?.name).to.equal('a');
    expect(list.firstStartedAfter(2)?.name).to.equal('c');
    // The one the reader stopped at ended, and so did the next: the walk still starts at the right place.
    list.remove(requests[1]);
    list.remove(requests[2]);
    expect(list.firstStartedAfter(2)?.name).to.equal('d');
    expect(list.firstStartedAfter(2)?.newer?.name).to.equal('e');
    expect(list.firstStartedAfter(5)).to.equal(undefined);
    list.remove(requests[3]);
    list.remove(requests[4]);
    expect(list.firstStartedAfter(2)).to.equal(undefined);
    expect(new InFlightRequests<Request>().firstStartedAfter(0)).to.equal(undefined);
  });
});
