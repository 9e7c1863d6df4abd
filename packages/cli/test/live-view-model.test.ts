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
import { TrafficSummary } from '../src/traffic-summary.js';
import { activeTasks, completedTasks, NOW } from './task-fixture.js';

const format = new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 });
const catalog = new ColumnCatalog(format);
const columns = { active: catalog.choose(undefined, ColumnCatalog.ACTIVE_DEFAULT), completed: catalog.choose(undefined, ColumnCatalog.COMPLETED_DEFAULT) };
const NO_SKIPS = { active: 0, completed: 0, updates: 0, keys: 0 };

function input(state: LiveState = initialLiveState(), change: Partial<LiveInput> = {}): LiveInput {
  return {
    state,
    active: activeTasks(),
    completed: completedTasks(),
    now: NOW,
    source: { trackerUrl: 'redis://127.0.0.1:6379/0', problem: undefined, skipped: NO_SKIPS },
    columns,
    format,
    rowBudget: 20,
    ...change,
  };
}

describe('LiveViewModel', () => {
  it('on the Requests view: the fleet figures, the status, the tables and the keys', () => {
    const model = LiveViewModel.of(input());
    expect(model.figures).to.deep.equal(TrafficSummary.of(activeTasks(), completedTasks(), NOW));
    expect(model.status).to.deep.equal({ trackerUrl: 'redis://127.0.0.1:6379/0', sort: 'time', filter: '', paused: false, skipped: 0, problem: undefined });
    const requests = RequestsViewModel.of({ active: activeTasks(), completed: completedTasks(), now: NOW, columns, state: initialLiveState().views.requests, rowBudget: 20 });
    expect(model.body).to.deep.equal({ panel: 'main', view: 'requests', requests });
    expect(model.footer).to.deep.equal({ keys: LIVE_KEYS.footer('main', 'requests'), filterDraft: undefined });
    expect(model.rowKeys).to.deep.equal(requests.rowKeys);
    expect([...model.rows.keys()]).to.deep.equal(requests.rowKeys);
  });

  it('counts the header figures over every request, the tables over those matching the filter', () => {
    const state: LiveState = { ...initialLiveState(), views: { requests: { sort: 'path', filter: ' fail ', selectedKey: undefined } }, paused: true };
    const model = LiveViewModel.of(input(state, { source: { trackerUrl: 'x', problem: 'ECONNREFUSED', skipped: { active: 1, completed: 2, updates: 3, keys: 4 } } }));
    expect(model.figures.completed).to.equal(4);
    expect(model.status).to.deep.equal({ trackerUrl: 'x', sort: 'path', filter: 'fail', paused: true, skipped: 10, problem: 'ECONNREFUSED' });
    expect(model.body.panel === 'main' && model.body.requests.completed.total).to.equal(1);
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
        if (!path.endsWith('.rows')) problems.push(`${path}: a map`);
      } else if (typeof value === 'object' && value !== null) {
        if (Object.getPrototypeOf(value) !== Object.prototype) problems.push(`${path}: a ${value.constructor.name}`);
        for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`);
      }
    };
    models.forEach((model, index) => walk(model, `model${index}`));
    expect(problems).to.deep.equal([]);
    expect(models[0]?.rows.size).to.equal(6);
  });

  it('needs no terminal library: neither it nor anything it imports loads ink, React or the terminal renderers', () => {
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
    for (const terminal of ['live-screen.js', 'table-renderer.js', 'task-detail.js', 'terminal-palette.js', 'live-app.js']) expect(seen).not.to.include(terminal);
    expect([...packages].sort()).to.deep.equal(['@otel-top/model', 'pretty-ms']);
  });
});
