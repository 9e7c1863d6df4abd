import { expect } from 'chai';
import { compareText, RequestCounts, routeFigures } from '../src';

describe('compareText', () => {
  it('orders by code unit, the same in every locale', () => {
    const names = ['b', 'B', 'a', 'ä', 'A', '', 'ab', 'a'];
    expect([...names].sort(compareText)).to.deep.equal(['', 'A', 'B', 'a', 'a', 'ab', 'b', 'ä']);
    expect(compareText('x', 'x')).to.equal(0);
    expect(compareText('GET /a', 'GET /b')).to.be.below(0);
    expect(compareText('GET /b', 'GET /a')).to.be.above(0);
  });

  it('breaks ties between routes of the same count', () => {
    const names = new Map<string, RequestCounts>();
    for (const name of ['GET /orders', 'DELETE /orders', 'GET /cart']) {
      const counts = new RequestCounts();
      counts.record(200, 5);
      names.set(name, counts);
    }
    names.get('GET /cart')?.record(200, 5);
    expect(routeFigures({ names, seconds: 10 }).map((figures) => figures.name)).to.deep.equal(['GET /cart', 'DELETE /orders', 'GET /orders']);
  });
});
