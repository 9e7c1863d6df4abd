import { expect } from 'chai';
import { FigureFormatter } from '../src/figure-formatter.js';
import { initialLiveState } from '../src/live-reducer.js';
import { ProcessesModel, ProcessesViewModel } from '../src/processes-view-model.js';
import { ProcessList } from '../src/process-list.js';
import { TaskFormatter } from '../src/task-formatter.js';
import { processes, pythonTask } from './figures-fixture.js';
import { activeTasks, completedTasks, NOW } from './task-fixture.js';

const format = new FigureFormatter(new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 }));
const lines = ProcessList.of(processes(), [...activeTasks(), pythonTask()], completedTasks(), NOW, 60_000);

function model(selectedKey?: string, rowBudget?: number, window: '10s' | '1m' | '5m' = '1m'): ProcessesModel {
  return ProcessesViewModel.of({ processes: lines, now: NOW, state: { ...initialLiveState().views.processes, selectedKey }, window, format, rowBudget });
}

const texts = (table: ProcessesModel['table']): string[][] => table.rows.map((row) => row.cells.map((cell) => cell.text));

describe('ProcessesViewModel', () => {
  it('has a row per process with its health, traffic over the window and tracking figures, state coloured', () => {
    const view = model();
    expect(view).to.include({ title: 'Processes, req/s and errors over the last 1 min', total: 4, hidden: 0, emptyText: undefined });
    expect(view.table.columns.map((column) => column.name)).to.deep.equal([
      'Host', 'PID', 'Service', 'State', 'Uptime', 'Active', 'Req/s', 'Errors', 'Loop p99', 'CPU', 'RSS', 'Heap', 'Heartbeat', 'Queued', 'Dropped', 'Failed',
    ]);
    expect(texts(view.table)).to.deep.equal([
      ['py1', '4242', 'reports', 'no heartbeat', '-', '1', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
      ['vm1', '101', 'shop 1.2.3', 'alive', '1h 2m', '2', '0.50', '9', '4.2ms', '12%', '94M', '41M/64M', '0.4s', '3', '7', '1'],
      ['vm1', '102', 'shop 1.2.3', 'late', '1h 2m', '1', '1.40', '9', '2.9s', '12%', '94M', '41M/64M', '3.1s', '0', '0', '0'],
      ['vm2', '7', 'billing', 'dead', '-', '0', '0.00', '0', '4.2ms', '12%', '94M', '41M/64M', '12s', '0', '0', '0'],
    ]);
    expect(view.table.rows.map((row) => row.cells[3]?.tone)).to.deep.equal(['info', 'good', 'warning', 'critical']);
    // A late heartbeat and a blocked loop show in their colours; lost tracking too.
    expect(view.table.rows[2]?.cells.map((cell) => cell.tone)).to.include('warning').and.include('bad');
    expect(view.table.rows[1]?.cells.slice(13).map((cell) => cell.tone)).to.deep.equal([undefined, 'warning', 'bad']);
  });

  it('takes req/s and errors over the window chosen', () => {
    expect(texts(model(undefined, undefined, '10s').table)[1]?.slice(6, 8)).to.deep.equal(['1.40', '9']);
    expect(model(undefined, undefined, '10s').title).to.equal('Processes, req/s and errors over the last 10 s');
  });

  it('marks the selected process, gives each the scope Enter narrows the Requests view to, and cuts to the budget', () => {
    const view = model('vm1:102:a1b2', 3);
    expect(view.table.rows.map((row) => row.selected)).to.deep.equal([false, false, true]);
    expect(view).to.include({ total: 4, hidden: 1 });
    expect(view.rowKeys).to.deep.equal(['py1/4242', 'vm1:101:a1b2', 'vm1:102:a1b2']);
    expect(view.scopes.get('vm1:102:a1b2')).to.deep.equal({ kind: 'process', host: 'vm1', pid: 102 });
    expect(view.scopes.get('py1/4242')).to.deep.equal({ kind: 'process', host: 'py1', pid: 4242 });
  });

  it('says so when there is no process at all', () => {
    const view = ProcessesViewModel.of({ processes: [], now: NOW, state: initialLiveState().views.processes, window: '1m', format, rowBudget: 5 });
    expect(view).to.include({ total: 0, emptyText: 'none' });
  });
});
