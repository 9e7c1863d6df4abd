import { expect } from 'chai';
import { ANY_KEY, KeyScope, KeyTable, LIVE_KEYS, TYPED_TEXT } from '../src/key-table.js';
import { initialLiveState, liveReducer, ScreenContext } from '../src/live-reducer.js';

const NAMED = ['Enter', 'Escape', 'Tab', 'Backspace', 'Delete', 'Up', 'Down', 'Left', 'Right', 'PageUp', 'PageDown'];
const SCOPES: KeyScope[] = ['main', 'detail', 'help', 'filter'];
const SCREEN: ScreenContext = { rowKeys: ['a'], rows: new Map(), scopes: new Map(), detailPage: 5, detailLast: 9 };
const VIEWS = ['requests', 'routes', 'processes'] as const;

describe('LIVE_KEYS, the key table of otel-top live', () => {
  it('names the keys of the Requests view in the footer', () => {
    expect(LIVE_KEYS.footer('main', 'requests')).to.deep.equal([
      { key: 'q', label: 'quit' },
      { key: 'Tab', label: 'view' },
      { key: 'p', label: 'pause' },
      { key: 'w', label: 'window' },
      { key: 's', label: 'sort' },
      { key: '/', label: 'filter' },
      { key: '↑↓', label: 'select' },
      { key: 'Enter', label: 'detail' },
      { key: '?', label: 'help' },
    ]);
  });

  it('names the keys of the Routes and Processes views in theirs: Enter opens their requests', () => {
    expect(LIVE_KEYS.summary('routes')).to.equal('q quit, Tab view, p pause, w window, s sort, ↑↓ select, Enter requests, ? help');
    expect(LIVE_KEYS.summary('processes')).to.equal('q quit, Tab view, p pause, w window, ↑↓ select, Enter requests, ? help');
    expect(LIVE_KEYS.help('routes').map((key) => key.keys)).to.deep.equal(['q', 'Tab', '1 / 2 / 3', 'p', 'w', 's', 'Up / Down', 'Enter', '?']);
    expect(LIVE_KEYS.help('routes').find((key) => key.keys === 's')?.text).to.equal('cycle the sort: count, active, errors, p99, name');
  });

  it('names the keys of the detail, the help and the filter prompt in theirs', () => {
    expect(LIVE_KEYS.footer('detail', 'requests')).to.deep.equal([
      { key: 'q', label: 'quit' },
      { key: 'Esc', label: 'back' },
      { key: '↑↓', label: 'scroll' },
      { key: 'PgUp PgDn', label: 'page' },
    ]);
    expect(LIVE_KEYS.footer('help', 'requests')).to.deep.equal([
      { key: 'q', label: 'quit' },
      { key: 'any key', label: 'close' },
    ]);
    expect(LIVE_KEYS.footer('filter', 'requests')).to.deep.equal([
      { key: 'Enter', label: 'apply' },
      { key: 'Esc', label: 'cancel' },
    ]);
  });

  it('lists the keys of the view with what they do, for the help screen', () => {
    expect(LIVE_KEYS.help('requests')).to.deep.equal([
      { keys: 'q', text: 'quit (Ctrl-C too)' },
      { keys: 'Tab', text: 'next view: Requests, Routes, Processes' },
      { keys: '1 / 2 / 3', text: 'Requests, Routes, Processes' },
      { keys: 'p', text: 'pause / resume updates' },
      { keys: 'w', text: 'window of the live counters (header, routes, processes): 10 s, 1 min, 5 min' },
      { keys: 's', text: 'cycle the sort: time, duration, status, path' },
      { keys: '/', text: 'filter: words matching path, route, method, status (404, 5xx), IP, host, service; Enter applies, Esc cancels' },
      { keys: 'Esc', text: 'clear the filter, the route or process, and the selection' },
      { keys: 'Up / Down', text: 'select a row' },
      { keys: 'Enter', text: 'show every field of the selected request (Esc goes back)' },
      { keys: '?', text: 'this help (any key closes it)' },
    ]);
  });

  it('sums the keys up in one line for --help', () => {
    expect(LIVE_KEYS.summary('requests')).to.equal('q quit, Tab view, p pause, w window, s sort, / filter, ↑↓ select, Enter detail, ? help');
  });

  it('spells every key as a named key, one character or a wildcard', () => {
    for (const binding of LIVE_KEYS.bindings) {
      for (const key of binding.keys) {
        expect(NAMED.includes(key) || [...key].length === 1 || key === TYPED_TEXT || key === ANY_KEY, `${binding.label}: ${key}`).to.equal(true);
      }
    }
  });

  it('binds no key twice in one scope and view, so that the order of the table never hides a binding', () => {
    for (const scope of SCOPES) {
      for (const view of VIEWS) {
        const keys = LIVE_KEYS.bindings
          .filter((binding) => binding.scopes.includes(scope) && (binding.views === undefined || binding.views.includes(view)))
          .flatMap((binding) => binding.keys);
        expect(new Set(keys).size, `${scope} ${view}`).to.equal(keys.length);
        // A wildcard matches everything after it: it must come last.
        const wildcard = keys.findIndex((key) => key === ANY_KEY || key === TYPED_TEXT);
        expect(wildcard === -1 || wildcard === keys.length - 1, scope).to.equal(true);
      }
    }
  });

  it('finds the binding of a key in its scope', () => {
    const find = (scope: KeyScope, name: string, text = '') => LIVE_KEYS.find(scope, 'requests', { name, text })?.footer;
    expect(find('main', 'Enter')).to.equal('detail');
    expect(find('detail', 'Enter')).to.equal('back');
    expect(find('filter', 'Enter')).to.equal('apply');
    expect(find('filter', 'q', 'q')).to.equal(undefined); // typed text, which has no footer word
    expect(LIVE_KEYS.find('filter', 'requests', { name: 'q', text: 'q' })?.keys).to.deep.equal([TYPED_TEXT]);
    expect(find('help', 'x', 'x')).to.equal('close');
    expect(find('help', 'q', 'q')).to.equal('quit');
    expect(find('main', 'x', 'x')).to.equal(undefined);
    expect(find('filter', 'Up')).to.equal(undefined);
    expect(LIVE_KEYS.find('main', 'routes', { name: 'Enter', text: '' })?.footer).to.equal('requests');
    expect(LIVE_KEYS.find('main', 'processes', { name: 's', text: 's' })).to.equal(undefined);
    expect(LIVE_KEYS.find('main', 'routes', { name: '/', text: '/' })).to.equal(undefined);
  });

  it('chooses a view by its number, and the next with Tab', () => {
    const view = (name: string): unknown => LIVE_KEYS.find('main', 'routes', { name, text: name })?.action({ name, text: name }, SCREEN);
    expect(['1', '2', '3'].map(view)).to.deep.equal([
      { type: 'show-view', view: 'requests' },
      { type: 'show-view', view: 'routes' },
      { type: 'show-view', view: 'processes' },
    ]);
    expect(LIVE_KEYS.find('main', 'processes', { name: 'Tab', text: '' })?.action({ name: 'Tab', text: '' }, SCREEN)).to.deep.equal({ type: 'next-view' });
  });

  it('dispatches, for every binding, an action the reducer acts on', () => {
    const typing = liveReducer(initialLiveState(), { type: 'edit-filter' });
    const selected = liveReducer(initialLiveState(), { type: 'move-selection', by: 1, rowKeys: ['a'] });
    for (const binding of LIVE_KEYS.bindings) {
      const action = binding.action({ name: binding.keys[0] ?? '', text: 'x' }, SCREEN);
      expect(action.type, binding.label).to.be.a('string');
      // Every action is one the reducer knows: it returns a state, never undefined.
      for (const state of [initialLiveState(), typing, selected]) expect(liveReducer(state, action), binding.label).to.be.an('object');
    }
  });

  it('applies a binding only in the views it names', () => {
    const table = new KeyTable([{ keys: ['x'], label: 'x', footer: 'nowhere', scopes: ['main'], views: [], action: () => ({ type: 'quit' }) }]);
    expect(table.find('main', 'requests', { name: 'x', text: 'x' })).to.equal(undefined);
    expect(table.footer('main', 'requests')).to.deep.equal([]);
  });
});
