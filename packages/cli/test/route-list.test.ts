import { expect } from 'chai';
import { RouteList } from '../src/route-list.js';
import { traffic } from './figures-fixture.js';
import { activeTasks, NOW, request } from './task-fixture.js';

describe('RouteList', () => {
  it('lists every counted name with its requests running now, and the names only running, most requests first', () => {
    const lines = RouteList.of(traffic(), activeTasks(), NOW);
    expect(lines.map((line) => [line.name, line.figures.count, line.active, line.slowestActiveMillis])).to.deep.equal([
      ['GET /api/products', 40, 0, undefined],
      ['GET /api/products/:id', 30, 0, undefined],
      ['POST /api/orders', 10, 0, undefined],
      ['GET /api/fail', 6, 0, undefined],
      ['GET /api/search', 3, 1, 383],
      // Running for 41 s and not counted yet: a hung route shows here before it ends.
      ['GET /api/export', 0, 1, 41_300],
    ]);
    const search = lines.find((line) => line.name === 'GET /api/search');
    expect(search?.figures).to.include({ count: 3, errors: 3, errorShare: 1, rps: 0.05 });
  });

  it('keeps the slowest of several running requests of one name', () => {
    const running = [
      request({ id: 'x1', pid: 1, path: '/api/search', startedAgo: 200 }),
      request({ id: 'x2', pid: 2, path: '/api/search', startedAgo: 9_000 }),
    ];
    expect(RouteList.of(undefined, running, NOW)).to.deep.include({
      name: 'GET /api/search',
      figures: { name: 'GET /api/search', count: 0, errors: 0, errorShare: undefined, rps: 0, p50Millis: undefined, p95Millis: undefined, p99Millis: undefined, statusClasses: [0, 0, 0, 0, 0, 0], latencyDistribution: [0, 0, 0, 0, 0, 0, 0, 0, 0], seconds: 0 },
      active: 2,
      slowestActiveMillis: 9_000,
    });
  });

  it('sorts by count, active, errors, p99 or name', () => {
    const lines = RouteList.of(traffic(), activeTasks(), NOW);
    const names = (sort: Parameters<typeof RouteList.sort>[1]): string[] => RouteList.sort(lines, sort).map((line) => line.name);
    expect(names('active')).to.deep.equal(['GET /api/search', 'GET /api/export', 'GET /api/products', 'GET /api/products/:id', 'POST /api/orders', 'GET /api/fail']);
    expect(names('errors')).to.deep.equal(['GET /api/fail', 'GET /api/search', 'GET /api/products', 'GET /api/products/:id', 'POST /api/orders', 'GET /api/export']);
    expect(names('p99')).to.deep.equal(['GET /api/fail', 'POST /api/orders', 'GET /api/products', 'GET /api/products/:id', 'GET /api/search', 'GET /api/export']);
    expect(names('name')).to.deep.equal(['GET /api/export', 'GET /api/fail', 'GET /api/products', 'GET /api/products/:id', 'GET /api/search', 'POST /api/orders']);
    expect(names('count')).to.deep.equal(lines.map((line) => line.name));
  });

  it('gives the JSON of `routes --json`: the name, active, then the figures in wire form', () => {
    const [products] = RouteList.of(traffic(), activeTasks(), NOW);
    const wire = RouteList.toWire(products!);
    expect(Object.keys(wire).slice(0, 6)).to.deep.equal(['name', 'active', 'count', 'errors', 'error_share', 'rps']);
    expect(wire).to.include({ name: 'GET /api/products', active: 0, count: 40, errors: 0, error_share: 0, slowest_active_ms: null, seconds: 60 });
    expect(wire.rps).to.be.closeTo(40 / 60, 1e-9);
    // 20 ms, read at the middle of its log bucket: within 5%.
    expect(wire.p50_ms).to.be.within(19, 21);
    expect(wire.status_classes).to.deep.equal([0, 0, 40, 0, 0, 0]);
    expect(wire.latency_distribution).to.deep.equal([0, 0, 0, 0, 40, 0, 0, 0, 0]);
  });
});
