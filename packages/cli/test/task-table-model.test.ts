import { expect } from 'chai';
import { ColumnCatalog } from '../src/column-catalog.js';
import { taskKey } from '../src/live-task-store.js';
import { TaskFormatter } from '../src/task-formatter.js';
import { TaskTableModel } from '../src/task-table-model.js';
import { activeTasks, completedTasks, NOW, request } from './task-fixture.js';

const catalog = new ColumnCatalog(new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 }));
const names = (table: { columns: ReadonlyArray<{ name: string }> }): string[] => table.columns.map((column) => column.name);
const withoutCountry = completedTasks().slice(1);

describe('ColumnCatalog', () => {
  it('parses column names case-insensitively, ignoring spaces, dashes and underscores', () => {
    expect(ColumnCatalog.parse(' user-agent,PATH , resp,user_agent,')).to.deep.equal(['User agent', 'Path', 'Resp', 'User agent']);
    expect(() => ColumnCatalog.parse('Path,Colour')).to.throw(RangeError, 'unknown column "Colour"; columns are: Cty, IP, Worker');
  });

  it('defines every column it names, the country and waiting-on ones shown only when some row has a value', () => {
    const columns = catalog.select(ColumnCatalog.NAMES);
    expect(columns.map((column) => column.name)).to.deep.equal(ColumnCatalog.NAMES);
    expect(columns.filter((column) => column.showWhen === 'any-value').map((column) => column.name)).to.deep.equal(['Cty', 'Waiting on']);
  });

  it('shows a column the user named always, and the defaults as they are defined', () => {
    expect(catalog.choose(['cty', 'path'], ColumnCatalog.RECENT_DEFAULT).map((column) => [column.name, column.showWhen])).to.deep.equal([
      ['Cty', 'always'],
      ['Path', 'always'],
    ]);
    expect(catalog.choose(undefined, ['Cty', 'Path']).map((column) => column.showWhen)).to.deep.equal(['any-value', 'always']);
  });
});

describe('TaskTableModel', () => {
  it('gives every cell as text and tone, row by row, keyed by taskKey', () => {
    const table = TaskTableModel.of({ columns: catalog.select(['Path', 'Duration', 'Ago', 'Resp', 'Length']), tasks: completedTasks().slice(2), now: NOW });
    expect(table).to.deep.equal({
      columns: [
        { name: 'Path', align: 'left', flexible: true, minWidth: 12 },
        { name: 'Duration', align: 'right', flexible: false, minWidth: 8 },
        { name: 'Ago', align: 'right', flexible: false, minWidth: 3 },
        { name: 'Resp', align: 'right', flexible: false, minWidth: 4 },
        { name: 'Length', align: 'right', flexible: false, minWidth: 6 },
      ],
      rows: [
        {
          key: taskKey(completedTasks()[2]!),
          selected: false,
          cells: [{ text: '/api/fail' }, { text: '2.5s', tone: 'bad' }, { text: '1s' }, { text: '500', tone: 'critical' }, { text: '21' }],
        },
        {
          key: taskKey(completedTasks()[3]!),
          selected: false,
          cells: [{ text: '/static/logo.png' }, { text: '1ms', tone: 'good' }, { text: '1.5s' }, { text: '404', tone: 'warning' }, { text: '154' }],
        },
      ],
    });
  });

  it('shows the country column only when some row has a country', () => {
    const columns = catalog.choose(undefined, ColumnCatalog.RECENT_DEFAULT);
    // No fixture request waits on anything: that column is left out too.
    const shown = ColumnCatalog.RECENT_DEFAULT.filter((name) => name !== 'Waiting on');
    expect(names(TaskTableModel.of({ columns, tasks: withoutCountry, now: NOW }))).to.deep.equal(shown.slice(1));
    const table = TaskTableModel.of({ columns, tasks: completedTasks(), now: NOW });
    expect(names(table)).to.deep.equal(shown);
    // A row without a country has an empty cell, not a dash.
    expect(table.rows.map((row) => row.cells[0]?.text)).to.deep.equal(['🇫🇮 FI', '', '', '']);
  });

  it('judges the columns over other rows when told to, so that two tables keep one shape', () => {
    const columns = catalog.choose(undefined, ColumnCatalog.COMPLETED_DEFAULT);
    const table = TaskTableModel.of({ columns, tasks: withoutCountry, now: NOW, shownOver: [...withoutCountry, ...activeTasks()] });
    expect(names(table)[0]).to.equal('Cty');
    expect(names(TaskTableModel.of({ columns, tasks: completedTasks(), now: NOW, shownOver: withoutCountry }))[0]).to.equal('IP');
  });

  it('shows a column the user named even when no row has a value', () => {
    const table = TaskTableModel.of({ columns: catalog.choose(['Cty', 'Path'], []), tasks: withoutCountry, now: NOW });
    expect(names(table)).to.deep.equal(['Cty', 'Path']);
  });

  it('marks the selected row', () => {
    const tasks = activeTasks();
    const table = TaskTableModel.of({ columns: catalog.select(['Path']), tasks, now: NOW, selectedKey: taskKey(tasks[1]!) });
    expect(table.rows.map((row) => row.selected)).to.deep.equal([false, true]);
  });

  it("shows a country code that has no flag (Cloudflare's T1 for Tor) as the code", () => {
    const task = request({ id: 'x', pid: 1, path: '/', startedAgo: 1, country: 'T1' });
    expect(TaskTableModel.of({ columns: catalog.select(['Cty']), tasks: [task], now: NOW }).rows[0]?.cells).to.deep.equal([{ text: 'T1' }]);
  });
});
