import { expect } from 'chai';
import type { HTTPTask } from '@otel-top/model';
import type { KeyPress, NamedKey } from '../src/key-table.js';
import { initialLiveState, keyScope, LiveAction, liveReducer, LiveState, ScreenContext } from '../src/live-reducer.js';
import { taskKey } from '../src/live-task-store.js';
import type { RequestScope } from '../src/request-scope.js';
import { activeTasks, completedTasks } from './task-fixture.js';

const tasks = [...activeTasks(), ...completedTasks()];
const rowKeys = tasks.map(taskKey);
const SCREEN: ScreenContext = { rowKeys, rows: new Map(tasks.map((task) => [taskKey(task), task])), scopes: new Map(), detailPage: 10, detailLast: 25 };
/** The Routes view's rows on screen, and what Enter on each narrows the Requests view to. */
const ROUTES: ScreenContext = {
  rowKeys: ['GET /api/products', 'GET /api/fail'],
  rows: new Map(),
  scopes: new Map<string, RequestScope>([
    ['GET /api/products', { kind: 'route', name: 'GET /api/products' }],
    ['GET /api/fail', { kind: 'route', name: 'GET /api/fail' }],
  ]),
  detailPage: 10,
  detailLast: 0,
};
const PROCESSES: ScreenContext = {
  rowKeys: ['vm1:101:a', 'py1/4242'],
  rows: new Map(),
  scopes: new Map<string, RequestScope>([
    ['vm1:101:a', { kind: 'process', host: 'vm1', pid: 101 }],
    ['py1/4242', { kind: 'process', host: 'py1', pid: 4242 }],
  ]),
  detailPage: 10,
  detailLast: 0,
};
const NAMED: readonly string[] = ['Enter', 'Escape', 'Tab', 'Backspace', 'Delete', 'Up', 'Down', 'Left', 'Right', 'PageUp', 'PageDown'] satisfies NamedKey[];

/** Key presses: a named key by its name, anything else as typed characters. */
function presses(...keys: string[]): KeyPress[] {
  return keys.flatMap((key) => (NAMED.includes(key) ? [{ name: key, text: '' }] : [...key].map((char) => ({ name: char, text: char }))));
}

function press(state: LiveState, keys: string[], screen: ScreenContext = SCREEN): LiveState {
  return presses(...keys).reduce((was, key) => liveReducer(was, { type: 'key', press: key, screen }), state);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

const start = (): LiveState => initialLiveState();
const requests = (state: LiveState) => state.views.requests;

describe('liveReducer', () => {
  it('starts on the Requests view, sorted by time, unfiltered, nothing selected, the counters over 1 min', () => {
    expect(start()).to.deep.equal({
      view: 'requests',
      views: {
        requests: { sort: 'time', filter: '', scope: undefined, selectedKey: undefined },
        routes: { sort: 'count', selectedKey: undefined },
        processes: { selectedKey: undefined },
      },
      window: '1m',
      panel: { name: 'main' },
      paused: false,
      filterDraft: undefined,
      quit: false,
    });
    expect(keyScope(start())).to.equal('main');
    expect(initialLiveState('10s').window).to.equal('10s');
  });

  it('Tab goes through the views in turn, 1, 2 and 3 choose one', () => {
    const views: string[] = [];
    let state = start();
    for (let step = 0; step < 3; step++) {
      state = press(state, ['Tab']);
      views.push(state.view);
    }
    expect(views).to.deep.equal(['routes', 'processes', 'requests']);
    expect(['1', '2', '3', '2'].map((key) => press(start(), [key]).view)).to.deep.equal(['requests', 'routes', 'processes', 'routes']);
    expect(press(start(), ['1'])).to.deep.equal(start());
  });

  it('w cycles the window of the counters on every view', () => {
    expect(['w', 'ww', 'www'].map((keys) => press(start(), [keys]).window)).to.deep.equal(['5m', '10s', '1m']);
    expect(press(start(), ['2', 'w']).window).to.equal('5m');
    expect(press(start(), ['3', 'w']).window).to.equal('5m');
  });

  it('keeps each view its own sort and selection', () => {
    const routes = press(start(), ['s', '2', 's', 's', 'Down'], ROUTES);
    expect(routes.views.routes).to.deep.equal({ sort: 'errors', selectedKey: 'GET /api/products' });
    expect(routes.views.requests.sort).to.equal('duration');
    expect(routes.views.requests.selectedKey).to.equal(undefined);
    const back = press(routes, ['1', 'Down']);
    expect(back.views.requests.selectedKey).to.equal(rowKeys[0]);
    expect(back.views.routes.selectedKey).to.equal('GET /api/products');
    // Processes have no sort: s does nothing there.
    const processes = press(back, ['3']);
    expect(press(processes, ['s'])).to.equal(processes);
    const sorts: string[] = [];
    let state = press(start(), ['2']);
    for (let step = 0; step < 5; step++) {
      state = press(state, ['s']);
      sorts.push(state.views.routes.sort);
    }
    expect(sorts).to.deep.equal(['active', 'errors', 'p99', 'name', 'count']);
  });

  it('Enter on a route opens the Requests view narrowed to it; Esc there shows every request again', () => {
    const routes = press(start(), ['/', 'api', 'Enter', '2', 'Down', 'Down'], ROUTES);
    const opened = press(routes, ['Enter'], ROUTES);
    expect(opened.view).to.equal('requests');
    expect(opened.views.requests).to.deep.equal({ sort: 'time', filter: '', scope: { kind: 'route', name: 'GET /api/fail' }, selectedKey: undefined });
    expect(opened.views.routes.selectedKey).to.equal('GET /api/fail');
    expect(press(opened, ['Escape']).views.requests).to.deep.equal({ sort: 'time', filter: '', scope: undefined, selectedKey: undefined });
    // Nothing selected, or a row no longer on screen: Enter does nothing.
    expect(press(press(start(), ['2']), ['Enter'], ROUTES).view).to.equal('routes');
    expect(press(routes, ['Enter'], { ...ROUTES, scopes: new Map() })).to.equal(routes);
  });

  it('Enter on a process opens the Requests view narrowed to it, a writer without a heartbeat too', () => {
    const opened = press(start(), ['3', 'Up', 'Enter'], PROCESSES);
    expect(opened.view).to.equal('requests');
    expect(opened.views.requests.scope).to.deep.equal({ kind: 'process', host: 'py1', pid: 4242 });
    expect(opened.views.processes.selectedKey).to.equal('py1/4242');
  });

  it('on Routes and Processes, the keys of the Requests view do nothing', () => {
    for (const view of ['2', '3']) {
      const state = press(start(), [view]);
      expect(press(state, ['/', 'Escape'], ROUTES), view).to.equal(state);
    }
  });

  it('/ starts a filter; typed text, Backspace and Enter edit and apply it', () => {
    const typing = press(start(), ['/', 'products 4xq', 'Backspace', 'x']);
    expect(typing.filterDraft).to.equal('products 4xx');
    expect(keyScope(typing)).to.equal('filter');
    const applied = press(typing, ['Enter']);
    expect(applied.filterDraft).to.equal(undefined);
    expect(requests(applied)).to.deep.equal({ sort: 'time', filter: 'products 4xx', scope: undefined, selectedKey: undefined });
  });

  it('while typing a filter, command keys are text', () => {
    const state = press(start(), ['/', 'qps?/']);
    expect(state).to.include({ quit: false, paused: false, filterDraft: 'qps?/' });
    expect(requests(state).sort).to.equal('time');
    expect(state.panel).to.deep.equal({ name: 'main' });
    // Named keys other than the filter's own do nothing: Tab does not leave the view while typing.
    expect(press(state, ['Up', 'Tab', 'PageDown'])).to.equal(state);
  });

  it('Esc while typing keeps the filter that was; / again starts from it', () => {
    const filtered = press(start(), ['/', 'fail', 'Enter']);
    const cancelled = press(filtered, ['/', 'Backspace', 'Backspace', 'Escape']);
    expect(cancelled.filterDraft).to.equal(undefined);
    expect(requests(cancelled).filter).to.equal('fail');
    expect(press(cancelled, ['/']).filterDraft).to.equal('fail');
  });

  it('Esc on the view clears the filter and the selection', () => {
    const state = press(start(), ['/', 'api', 'Enter', 'Down']);
    expect(requests(state)).to.include({ filter: 'api', selectedKey: rowKeys[0] });
    expect(requests(press(state, ['Escape']))).to.deep.equal({ sort: 'time', filter: '', scope: undefined, selectedKey: undefined });
  });

  it('applying a filter drops the selection', () => {
    const state = press(start(), ['Down', 'Down', '/', 'api', 'Enter']);
    expect(requests(state).selectedKey).to.equal(undefined);
  });

  it('p pauses and resumes; s cycles the sort', () => {
    expect(press(start(), ['p']).paused).to.equal(true);
    expect(press(start(), ['p', 'p']).paused).to.equal(false);
    const sorts: string[] = [];
    let state = start();
    for (let step = 0; step < 4; step++) {
      state = press(state, ['s']);
      sorts.push(requests(state).sort);
    }
    expect(sorts).to.deep.equal(['duration', 'status', 'path', 'time']);
  });

  it('Up and Down move the selection over the rows on screen, and stop at the ends', () => {
    expect(requests(press(start(), ['Down'])).selectedKey).to.equal(rowKeys[0]);
    expect(requests(press(start(), ['Up'])).selectedKey).to.equal(rowKeys[5]);
    expect(requests(press(start(), ['Down', 'Down', 'Down'])).selectedKey).to.equal(rowKeys[2]);
    expect(requests(press(start(), ['Down', 'Up', 'Up'])).selectedKey).to.equal(rowKeys[0]);
    expect(press(start(), ['2', 'Up', 'Up'], ROUTES).views.routes.selectedKey).to.equal('GET /api/products');
    expect(requests(press(start(), Array(9).fill('Down'))).selectedKey).to.equal(rowKeys[5]);
  });

  it('a selection whose row has gone starts over; with no rows it stays as it was', () => {
    const selected = press(start(), ['Down', 'Down']);
    const fewer: ScreenContext = { ...SCREEN, rowKeys: rowKeys.slice(2) };
    expect(requests(press(selected, ['Down'], fewer)).selectedKey).to.equal(rowKeys[2]);
    const none: ScreenContext = { ...SCREEN, rowKeys: [] };
    expect(press(selected, ['Down'], none)).to.equal(selected);
  });

  it('Enter opens the detail of the selected request; nothing selected, nothing opens', () => {
    expect(press(start(), ['Enter'])).to.deep.equal(start());
    const detail = press(start(), ['Down', 'Down', 'Enter']);
    expect(detail.panel).to.deep.equal({ name: 'detail', task: tasks[1], scroll: 0 });
    expect(keyScope(detail)).to.equal('detail');
    // A selected key no longer among the rows opens nothing.
    const gone: ScreenContext = { ...SCREEN, rows: new Map<string, HTTPTask>() };
    expect(press(press(start(), ['Down']), ['Enter'], gone).panel).to.deep.equal({ name: 'main' });
  });

  it('in the detail, arrows and pages scroll within its length; Esc, Enter, Backspace and Left go back', () => {
    const detail = press(start(), ['Down', 'Enter']);
    const scroll = (state: LiveState): number => (state.panel.name === 'detail' ? state.panel.scroll : -1);
    expect(scroll(press(detail, ['Down', 'Down', 'Up']))).to.equal(1);
    expect(scroll(press(detail, ['Up']))).to.equal(0);
    expect(scroll(press(detail, ['PageDown']))).to.equal(10);
    expect(scroll(press(detail, ['PageDown', 'PageDown', 'PageDown']))).to.equal(25);
    expect(scroll(press(detail, ['PageDown', 'PageDown', 'PageUp', 'Up']))).to.equal(9);
    // Keys of the view do nothing here.
    expect(press(detail, ['p', 's', '/'])).to.equal(detail);
    for (const back of ['Escape', 'Enter', 'Backspace', 'Left']) {
      const state = press(detail, [back]);
      expect(state.panel, back).to.deep.equal({ name: 'main' });
      expect(requests(state).selectedKey, back).to.equal(rowKeys[0]);
    }
  });

  it('? opens the help; any key but q closes it, and does nothing else', () => {
    const help = press(start(), ['?']);
    expect(help.panel).to.deep.equal({ name: 'help' });
    for (const key of ['x', 'p', 'Escape', 'Down', 'Enter']) expect(press(help, [key]), key).to.deep.equal(start());
  });

  it('q quits from the view, the detail and the help', () => {
    expect(press(start(), ['q']).quit).to.equal(true);
    expect(press(start(), ['Down', 'Enter', 'q']).quit).to.equal(true);
    expect(press(start(), ['?', 'q']).quit).to.equal(true);
  });

  it('keys that mean nothing leave the very same state', () => {
    const state = start();
    expect(press(state, ['x', 'Right', 'PageDown'])).to.equal(state);
  });

  it('never changes the state it is given', () => {
    const actions: LiveAction[] = [
      ...presses('/', 'abc', 'Backspace', 'Enter', 'Down', 'Enter', 'PageDown', 'Escape', 'p', 's', '?', 'x', 'Escape', 'w', 'Tab', 's', 'Down', 'Tab', 'Down', '1', 'q').map(
        (key): LiveAction => ({ type: 'key', press: key, screen: SCREEN }),
      ),
      { type: 'scroll-detail', by: 3, last: 5 },
      { type: 'type-filter', text: 'x' },
      { type: 'erase-filter' },
      { type: 'apply-filter' },
    ];
    let state = deepFreeze(start());
    for (const action of actions) state = deepFreeze(liveReducer(state, action));
    expect(state.quit).to.equal(true);
  });

  it('filter edits outside typing, and scrolling outside the detail, do nothing', () => {
    const state = start();
    for (const action of [{ type: 'type-filter', text: 'x' }, { type: 'erase-filter' }, { type: 'apply-filter' }, { type: 'scroll-detail', by: 1, last: 9 }] as const) {
      expect(liveReducer(state, action), action.type).to.equal(state);
    }
  });
});
