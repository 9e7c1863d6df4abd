import { expect } from 'chai';
import type { HTTPTask } from '@otel-top/model';
import type { KeyPress, NamedKey } from '../src/key-table.js';
import { initialLiveState, keyScope, LiveAction, liveReducer, LiveState, ScreenContext } from '../src/live-reducer.js';
import { taskKey } from '../src/live-task-store.js';
import { activeTasks, completedTasks } from './task-fixture.js';

const tasks = [...activeTasks(), ...completedTasks()];
const rowKeys = tasks.map(taskKey);
const SCREEN: ScreenContext = { rowKeys, rows: new Map(tasks.map((task) => [taskKey(task), task])), detailPage: 10, detailLast: 25 };
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
  it('starts on the Requests view, sorted by time, unfiltered, nothing selected', () => {
    expect(start()).to.deep.equal({
      view: 'requests',
      views: { requests: { sort: 'time', filter: '', selectedKey: undefined } },
      panel: { name: 'main' },
      paused: false,
      filterDraft: undefined,
      quit: false,
    });
    expect(keyScope(start())).to.equal('main');
  });

  it('/ starts a filter; typed text, Backspace and Enter edit and apply it', () => {
    const typing = press(start(), ['/', 'products 4xq', 'Backspace', 'x']);
    expect(typing.filterDraft).to.equal('products 4xx');
    expect(keyScope(typing)).to.equal('filter');
    const applied = press(typing, ['Enter']);
    expect(applied.filterDraft).to.equal(undefined);
    expect(requests(applied)).to.deep.equal({ sort: 'time', filter: 'products 4xx', selectedKey: undefined });
  });

  it('while typing a filter, command keys are text', () => {
    const state = press(start(), ['/', 'qps?/']);
    expect(state).to.include({ quit: false, paused: false, filterDraft: 'qps?/' });
    expect(requests(state).sort).to.equal('time');
    expect(state.panel).to.deep.equal({ name: 'main' });
    // Named keys other than the filter's own do nothing.
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
    expect(requests(press(state, ['Escape']))).to.deep.equal({ sort: 'time', filter: '', selectedKey: undefined });
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
    expect(press(state, ['x', 'Tab', 'Right', 'PageDown'])).to.equal(state);
  });

  it('never changes the state it is given', () => {
    const actions: LiveAction[] = [
      ...presses('/', 'abc', 'Backspace', 'Enter', 'Down', 'Enter', 'PageDown', 'Escape', 'p', 's', '?', 'x', 'Escape', 'q').map(
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
