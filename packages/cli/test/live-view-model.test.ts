import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ColumnCatalog } from '../src/column-catalog.js';
import { LIVE_KEYS } from '../src/key-table.js';
import { initialLiveState, LiveState } from '../src/live-reducer.js';
import { LiveInput, LiveModel, LiveViewModel } from '../src/live-view-model.js';
import { RequestDetail } from '../src/request-detail.js';
import { RequestsViewModel } from '../src/requests-view-model.js';
import { TaskFormatter } from '../src/task-formatter.js';
import { FigureFormatter } from '../src/figure-formatter.js';
import { FleetSummary } from '../src/fleet-summary.js';
import { ProcessesViewModel } from '../src/processes-view-model.js';
import { ProcessList } from '../src/process-list.js';
import { RouteColumns } from '../src/route-columns.js';
import { RoutesViewModel } from '../src/routes-view-model.js';
import { processes, traffic } from './figures-fixture.js';
import { activeTasks, completedTasks, NOW } from './task-fixture.js';

const format = new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 });
const catalog = new ColumnCatalog(format);
const columns = { active: catalog.choose(undefined, ColumnCatalog.ACTIVE_DEFAULT), completed: catalog.choose(undefined, ColumnCatalog.COMPLETED_DEFAULT) };
const NO_SKIPS = { active: 0, completed: 0, updates: 0, keys: 0 };
const SOURCE = { trackerUrl: 'redis://127.0.0.1:6379/0', problem: undefined, countersProblem: undefined, skipped: NO_SKIPS };
const TABS = [
  { view: 'requests', key: '1', title: 'Requests', current: true },
  { view: 'routes', key: '2', title: 'Routes', current: false },
  { view: 'processes', key: '3', title: 'Processes', current: false },
];

function input(state: LiveState = initialLiveState(), change: Partial<LiveInput> = {}): LiveInput {
  return {
    state,
    active: activeTasks(),
    completed: completedTasks(),
    traffic: traffic(),
    processes: processes(),
    now: NOW,
    source: SOURCE,
    columns,
    format,
    rowBudget: 20,
    ...change,
  };
}

describe('LiveViewModel', () => {
  it('on the Requests view: the fleet figures, the status, the tables and the keys', () => {
    const model = LiveViewModel.of(input());
    expect(model.figures).to.deep.equal(FleetSummary.of(ProcessList.of(processes(), activeTasks(), completedTasks(), NOW, 60_000), 2, traffic()));
    expect(model.status).to.deep.equal({
      views: TABS,
      trackerUrl: 'redis://127.0.0.1:6379/0',
      window: '1m',
      sort: 'time',
      filter: '',
      scope: undefined,
      paused: false,
      skipped: 0,
      problem: undefined,
      countersProblem: undefined,
      updatesProblem: undefined,
    });
    const requests = RequestsViewModel.of({ active: activeTasks(), completed: completedTasks(), now: NOW, columns, state: initialLiveState().views.requests, rowBudget: 20 });
    expect(model.body).to.deep.equal({ panel: 'main', view: 'requests', requests });
    expect(model.footer).to.deep.equal({ keys: LIVE_KEYS.footer('main', 'requests'), filterDraft: undefined });
    expect(model.rowKeys).to.deep.equal(requests.rowKeys);
    expect([...model.rows.keys()]).to.deep.equal(requests.rowKeys);
  });

  it('takes the header figures from the counters and every process, the tables from the requests matching the filter', () => {
    const start = initialLiveState();
    const state: LiveState = { ...start, views: { ...start.views, requests: { sort: 'path', filter: ' fail ', scope: undefined, selectedKey: undefined } }, paused: true };
    const source = { trackerUrl: 'x', problem: 'ECONNREFUSED', countersProblem: 'no traffic here', skipped: { active: 1, completed: 2, updates: 3, keys: 4 } };
    const model = LiveViewModel.of(input(state, { source }));
    expect(model.figures).to.include({ active: 2, processes: 2, deadProcesses: 1, window: '1m' });
    expect(model.figures.requestsPerSecond).to.be.closeTo(89 / 60, 1e-9);
    expect(model.status).to.deep.include({ trackerUrl: 'x', sort: 'path', filter: 'fail', paused: true, skipped: 10, problem: 'ECONNREFUSED', countersProblem: 'no traffic here' });
    expect(model.body.panel === 'main' && model.body.view === 'requests' && model.body.requests.completed.total).to.equal(1);
  });

  it('names the route or process the Requests view is narrowed to, and narrows the tables to it', () => {
    const start = initialLiveState();
    const scoped = (scope: LiveState['views']['requests']['scope']): LiveState => ({ ...start, views: { ...start.views, requests: { ...start.views.requests, scope } } });
    const route = LiveViewModel.of(input(scoped({ kind: 'route', name: 'GET /api/products' })));
    expect(route.status.scope).to.equal('route GET /api/products');
    expect(route.body.panel === 'main' && route.body.view === 'requests' && [route.body.requests.active.total, route.body.requests.completed.total]).to.deep.equal([0, 1]);
    const process = LiveViewModel.of(input(scoped({ kind: 'process', host: 'vm1', pid: 102 })));
    expect(process.status.scope).to.equal('process vm1 pid 102');
    expect(process.rowKeys).to.have.length(3);
  });

  it('on the Routes view: the routes over the window, their keys, and what Enter on each opens', () => {
    const state: LiveState = { ...initialLiveState(), view: 'routes' };
    const model = LiveViewModel.of(input(state));
    const routes = RoutesViewModel.of({
      traffic: traffic(),
      active: activeTasks(),
      now: NOW,
      state: state.views.routes,
      columns: new RouteColumns(new FigureFormatter(format)).columns,
      rowBudget: 20,
    });
    expect(model.body).to.deep.equal({ panel: 'main', view: 'routes', routes });
    expect(model.status).to.deep.include({ sort: 'count', filter: '', scope: undefined, window: '1m' });
    expect(model.status.views.map((tab) => tab.current)).to.deep.equal([false, true, false]);
    expect(model.footer.keys).to.deep.equal(LIVE_KEYS.footer('main', 'routes'));
    expect(model.rowKeys).to.deep.equal(routes.rowKeys);
    expect(model.scopes).to.deep.equal(routes.scopes);
    expect(model.rows.size).to.equal(0);
  });

  it('on the Processes view: every process, with req/s over the window, and no sort', () => {
    const state: LiveState = { ...initialLiveState('10s'), view: 'processes' };
    const model = LiveViewModel.of(input(state));
    const lines = ProcessList.of(processes(), activeTasks(), completedTasks(), NOW, 10_000);
    const expected = ProcessesViewModel.of({ processes: lines, now: NOW, state: state.views.processes, window: '10s', format: new FigureFormatter(format), rowBudget: 20 });
    expect(model.body).to.deep.equal({ panel: 'main', view: 'processes', processes: expected });
    expect(model.status).to.deep.include({ sort: undefined, window: '10s' });
    expect(model.rowKeys).to.deep.equal(['vm1:101:a1b2', 'vm1:102:a1b2', 'vm2:7:a1b2']);
  });

  it('while a filter is typed, the footer holds it and the keys that end it', () => {
    const model = LiveViewModel.of(input({ ...initialLiveState(), filterDraft: '4x' }));
    expect(model.footer).to.deep.equal({ keys: [{ key: 'Enter', label: 'apply' }, { key: 'Esc', label: 'cancel' }], filterDraft: '4x' });
  });

  it('on the help: the keys of the view, and no rows to select', () => {
    const model = LiveViewModel.of(input({ ...initialLiveState(), panel: { name: 'help' } }));
    expect(model.body).to.deep.equal({ panel: 'help', title: 'Keys (any key closes this help)', keys: LIVE_KEYS.help('requests') });
    expect(model.footer.keys).to.deep.equal(LIVE_KEYS.footer('help', 'requests'));
    expect(model.rowKeys).to.deep.equal([]);
  });

  it('on the detail: every field of the request as it is now, scrolled as the state says', () => {
    const task = activeTasks()[0]!;
    const model = LiveViewModel.of(input({ ...initialLiveState(), panel: { name: 'detail', task, scroll: 7 } }));
    expect(model.body).to.deep.equal({ panel: 'detail', title: 'Request detail', sections: RequestDetail.of(task, NOW, format), scroll: 7 });
    expect(model.footer.keys).to.deep.equal(LIVE_KEYS.footer('detail', 'requests'));
  });

  it('is plain data: no escape sequences, no functions, no class instances but the maps of the tasks on screen', () => {
    const models: LiveModel[] = [
      LiveViewModel.of(input()),
      LiveViewModel.of(input({ ...initialLiveState(), view: 'routes' })),
      LiveViewModel.of(input({ ...initialLiveState(), view: 'processes' })),
      LiveViewModel.of(input({ ...initialLiveState(), panel: { name: 'detail', task: completedTasks()[2]!, scroll: 0 } })),
      LiveViewModel.of(input({ ...initialLiveState(), panel: { name: 'help' } })),
    ];
    const problems: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (typeof value === 'string') {
        if (value.includes('\u001b')) problems.push(`${path}: an escape sequence`);
      } else if (typeof value === 'function') {
        problems.push(`${path}: a function`);
      } else if (Array.isArray(value)) {
        value.forEach((item, index) => walk(item, `${path}[${index}]`));
      } else if (value instanceof Map) {
        if (!path.endsWith('.rows') && !path.endsWith('.scopes')) problems.push(`${path}: a map`);
        for (const [key, inner] of value) if (!path.endsWith('.rows')) walk(inner, `${path}.${String(key)}`);
      } else if (value instanceof Date) {
        // A process's start: a value, as in the tasks.
      } else if (typeof value === 'object' && value !== null) {
        if (Object.getPrototypeOf(value) !== Object.prototype) problems.push(`${path}: a ${value.constructor.name}`);
        for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`);
      }
    };
    models.forEach((model, index) => walk(model, `model${index}`));
    expect(problems).to.deep.equal([]);
    expect(models[0]?.rows.size).to.equal(6);
  });

  it('needs no terminal: neither it nor anything it imports loads the terminal renderers or the live app', () => {
    const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, specifier] of readFileSync(join(buildDir, file), 'utf8').matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)) {
        if (specifier === undefined) continue;
        if (specifier.startsWith('./')) visit(specifier.slice(2));
        else packages.add(specifier);
      }
    };
    visit('live-view-model.js');
    expect(seen).to.include('requests-view-model.js').and.include('request-detail.js').and.include('key-table.js').and.include('task-formatter.js');
    expect(seen).to.include('routes-view-model.js').and.include('processes-view-model.js').and.include('fleet-summary.js');
    for (const terminal of ['live-screen.js', 'table-renderer.js', 'task-detail.js', 'terminal-palette.js', 'live-app.js']) expect(seen).not.to.include(terminal);
    expect([...packages].sort()).to.deep.equal(['@otel-top/model', 'pretty-ms']);
  });
});
