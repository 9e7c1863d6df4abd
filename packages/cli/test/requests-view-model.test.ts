import { expect } from 'chai';
import { ColumnCatalog } from '../src/column-catalog.js';
import { initialLiveState, RequestsViewState } from '../src/live-reducer.js';
import { taskKey } from '../src/live-task-store.js';
import { RequestColumns, RequestsModel, RequestsViewModel } from '../src/requests-view-model.js';
import { TaskFormatter } from '../src/task-formatter.js';
import { activeTasks, completedTasks, NOW } from './task-fixture.js';

const catalog = new ColumnCatalog(new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 }));
const columns: RequestColumns = {
  active: catalog.choose(undefined, ColumnCatalog.ACTIVE_DEFAULT),
  completed: catalog.choose(undefined, ColumnCatalog.COMPLETED_DEFAULT),
};
const defaults = initialLiveState().views.requests;

function model(state: Partial<RequestsViewState> = {}, rowBudget?: number, tasks = { active: activeTasks(), completed: completedTasks() }): RequestsModel {
  return RequestsViewModel.of({ ...tasks, now: NOW, columns, state: { ...defaults, ...state }, rowBudget });
}

const ids = (table: RequestsModel['active'], tasks = [...activeTasks(), ...completedTasks()]): string[] =>
  table.rows.map((row) => String(tasks.find((task) => taskKey(task) === row.key)?.taskId));
const names = (table: RequestsModel['active']): string[] => table.columns.map((column) => column.name);
/** The default columns but those left out while no request waits on anything. */
const shown = (defaults: readonly string[]): string[] => defaults.filter((name) => name !== 'Waiting on');

describe('RequestsViewModel', () => {
  it('shows the active requests longest running first and the completed newest first, with their counts', () => {
    const requests = model();
    expect(requests.active).to.include({ title: 'Active HTTP requests', total: 2, hidden: 0, emptyText: undefined });
    expect(requests.completed).to.include({ title: 'Completed HTTP responses', total: 4, hidden: 0, emptyText: undefined });
    expect(ids(requests.active)).to.deep.equal(['a2', 'a1']);
    expect(ids(requests.completed)).to.deep.equal(['c1', 'c2', 'c3', 'c4']);
    expect(names(requests.active)).to.deep.equal(shown(ColumnCatalog.ACTIVE_DEFAULT));
    expect(names(requests.completed)).to.deep.equal(ColumnCatalog.COMPLETED_DEFAULT);
    expect(requests.active.rows[0]?.cells.map((cell) => cell.text)).to.deep.equal([
      '🇬🇧 GB',
      '203.0.113.20',
      '102:main',
      'GET',
      '/api/export',
      '41.3s STALLED',
      'python-requests/2.32.3',
    ]);
  });

  it('counts the running requests of a large table that were not read, apart from those that were', () => {
    const requests = RequestsViewModel.of({
      active: activeTasks(),
      activeUnread: 98_000,
      completed: completedTasks(),
      now: NOW,
      columns,
      state: defaults,
      rowBudget: undefined,
    });
    expect(requests.active).to.include({ total: 2, hidden: 0, unread: 98_000 });
    expect(requests.completed).to.include({ unread: 0 });
  });

  it('lists the keys of the rows shown, top to bottom, with their tasks', () => {
    const requests = model();
    const order = ['a2', 'a1', 'c1', 'c2', 'c3', 'c4'];
    const all = [...activeTasks(), ...completedTasks()];
    expect(requests.rowKeys).to.deep.equal(order.map((id) => taskKey(all.find((task) => task.taskId === id)!)));
    expect([...requests.rows.entries()].map(([key, task]) => [key, task.taskId])).to.deep.equal(requests.rowKeys.map((key, index) => [key, order[index]]));
  });

  it('filters both tables; the figures of what is left out are in the counts', () => {
    const requests = model({ filter: 'get 4xx' });
    expect(requests.active).to.include({ total: 0, hidden: 0, emptyText: 'none match the filter' });
    expect(requests.active.rows).to.deep.equal([]);
    expect(requests.completed).to.include({ total: 1, hidden: 0, emptyText: undefined });
    expect(ids(requests.completed)).to.deep.equal(['c4']);
    expect(requests.rowKeys).to.have.length(1);
  });

  it('says there is nothing, when there is nothing', () => {
    const requests = model({}, undefined, { active: [], completed: [] });
    expect(requests.active.emptyText).to.equal('none');
    expect(requests.completed.emptyText).to.equal('none');
  });

  it('shows the country column in both tables while any request matching the filter has a country', () => {
    // c1 has a country; c3 and c4 do not, and neither does the filtered active table.
    const withCountry = model({ filter: 'get 2xx' });
    expect(names(withCountry.completed)[0]).to.equal('Cty');
    const noCountry = model({ filter: 'fail' });
    expect(names(noCountry.active)).to.deep.equal(shown(ColumnCatalog.ACTIVE_DEFAULT).slice(1));
    expect(names(noCountry.completed)).to.deep.equal(ColumnCatalog.COMPLETED_DEFAULT.slice(1));
  });

  it('sorts by the view state sort, and marks the selected row', () => {
    const selected = taskKey(completedTasks()[1]!);
    const requests = model({ sort: 'status', selectedKey: selected });
    expect(ids(requests.completed)).to.deep.equal(['c3', 'c4', 'c2', 'c1']);
    expect(requests.completed.rows.map((row) => row.selected)).to.deep.equal([false, false, true, false]);
    expect(requests.active.rows.every((row) => !row.selected)).to.equal(true);
  });

  it('cuts the tables to the row budget, the active table first', () => {
    const requests = model({}, 3);
    expect(requests.active).to.include({ total: 2, hidden: 1 });
    expect(requests.completed).to.include({ total: 4, hidden: 2 });
    expect(ids(requests.active)).to.deep.equal(['a2']);
    expect(ids(requests.completed)).to.deep.equal(['c1', 'c2']);
    expect(requests.rowKeys).to.have.length(3);
  });

  it('splits the budget: at least half to the active, the rest to the completed, a line kept for an empty active table', () => {
    expect(RequestsViewModel.split(2, 4, undefined)).to.deep.equal([2, 4]);
    expect(RequestsViewModel.split(20, 40, 10)).to.deep.equal([5, 5]);
    expect(RequestsViewModel.split(20, 2, 10)).to.deep.equal([8, 2]);
    expect(RequestsViewModel.split(3, 40, 10)).to.deep.equal([3, 7]);
    expect(RequestsViewModel.split(0, 40, 10)).to.deep.equal([0, 9]);
    expect(RequestsViewModel.split(20, 0, 10)).to.deep.equal([9, 0]);
    expect(RequestsViewModel.split(1, 1, 2)).to.deep.equal([1, 1]);
  });

  it('narrows both tables to the route or the process that Enter on Routes or Processes chose, with the filter on top', () => {
    const route = model({ scope: { kind: 'route', name: 'GET /static/*' } });
    expect([ids(route.active), ids(route.completed)]).to.deep.equal([[], ['c4']]);
    expect(route.active.emptyText).to.equal('none match the filter');
    const process = model({ scope: { kind: 'process', host: 'vm1', pid: 101 } });
    expect([ids(process.active), ids(process.completed)]).to.deep.equal([['a1'], ['c1', 'c3']]);
    expect(ids(model({ scope: { kind: 'process', host: 'vm1', pid: 101 }, filter: 'fail' }).completed)).to.deep.equal(['c3']);
    // Another host's process of the same pid is another process.
    expect(model({ scope: { kind: 'process', host: 'vm2', pid: 101 } }).rowKeys).to.deep.equal([]);
  });
});
