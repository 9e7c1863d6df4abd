import { expect } from 'chai';
import { FigureFormatter } from '../src/figure-formatter.js';
import { initialLiveState, RoutesViewState } from '../src/live-reducer.js';
import { RouteColumns } from '../src/route-columns.js';
import { RoutesModel, RoutesViewModel } from '../src/routes-view-model.js';
import { TaskFormatter } from '../src/task-formatter.js';
import { traffic } from './figures-fixture.js';
import { activeTasks, NOW } from './task-fixture.js';

const columns = new RouteColumns(new FigureFormatter(new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 }))).columns;

function model(state: Partial<RoutesViewState> = {}, rowBudget?: number, report = traffic()): RoutesModel {
  return RoutesViewModel.of({ traffic: report, active: activeTasks(), now: NOW, state: { ...initialLiveState().views.routes, ...state }, columns, rowBudget });
}

const texts = (routes: RoutesModel): string[][] => routes.table.rows.map((row) => row.cells.map((cell) => cell.text));

describe('RoutesViewModel', () => {
  it('has a row per route with every figure, most requests first, over the window of the counters', () => {
    // Latencies read at the middle of their log bucket (within 5%): 20 ms reads 21ms, 350 ms 365ms, 2.5 s 2.4s.
    const routes = model();
    expect(routes).to.include({ title: 'Routes over the last 1 min', window: '1m', total: 6, hidden: 0, emptyText: undefined });
    expect(routes.table.columns.map((column) => column.name)).to.deep.equal(['Route', 'Active', 'Count', 'Req/s', 'Errors', 'Err%', 'p50', 'p95', 'p99', 'Slowest', 'Latency']);
    expect(texts(routes)).to.deep.equal([
      ['GET /api/products', '0', '40', '0.67', '0', '0.0%', '21ms', '21ms', '21ms', '-', '····█····'],
      ['GET /api/products/:id', '0', '30', '0.50', '0', '0.0%', '12ms', '12ms', '12ms', '-', '···▂█····'],
      ['POST /api/orders', '0', '10', '0.17', '0', '0.0%', '365ms', '365ms', '365ms', '-', '·····█···'],
      ['GET /api/fail', '0', '6', '0.10', '6', '100.0%', '2.4s', '2.4s', '2.4s', '-', '······█··'],
      ['GET /api/search', '1', '3', '0.05', '3', '100.0%', '0.40ms', '0.40ms', '0.40ms', '383ms', '··█······'],
      ['GET /api/export', '1', '0', '0.00', '0', '-', '-', '-', '-', '41.3s STALLED', '-'],
    ]);
    expect(routes.table.rows[3]?.cells.slice(4, 9).map((cell) => cell.tone)).to.deep.equal(['bad', 'bad', 'bad', 'bad', 'bad']);
    expect(routes.lines.map((line) => line.name)).to.deep.equal(routes.rowKeys);
  });

  it('sorts as the state says, and marks the selected route', () => {
    const routes = model({ sort: 'p99', selectedKey: 'POST /api/orders' });
    expect(routes.rowKeys.slice(0, 2)).to.deep.equal(['GET /api/fail', 'POST /api/orders']);
    expect(routes.table.rows.map((row) => row.selected)).to.deep.equal([false, true, false, false, false, false]);
  });

  it('cuts the rows to the budget and says how many are not shown', () => {
    const routes = model({}, 2);
    expect(routes).to.include({ total: 6, hidden: 4 });
    expect(routes.rowKeys).to.deep.equal(['GET /api/products', 'GET /api/products/:id']);
    expect([...routes.scopes.keys()]).to.deep.equal(routes.rowKeys);
  });

  it('gives each row the scope Enter narrows the Requests view to', () => {
    expect(model().scopes.get('GET /api/fail')).to.deep.equal({ kind: 'route', name: 'GET /api/fail' });
  });

  it('before any counters were read, still lists the routes running now', () => {
    const routes = RoutesViewModel.of({ traffic: undefined, active: [], now: NOW, state: initialLiveState().views.routes, columns, rowBudget: 10 });
    expect(routes).to.include({ title: 'Routes', window: undefined, total: 0, emptyText: 'no live counters read yet' });
    expect(model({}, 10, { ...traffic(), routes: [] }).rowKeys).to.deep.equal(['GET /api/export', 'GET /api/search']);
    expect(RoutesViewModel.of({ traffic: { ...traffic(), routes: [] }, active: [], now: NOW, state: initialLiveState().views.routes, columns, rowBudget: 10 }).emptyText).to.equal('none');
  });
});
