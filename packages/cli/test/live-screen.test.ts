import { expect } from 'chai';
import pc from 'picocolors';
import stringWidth from 'string-width';
import { ColumnCatalog } from '../src/column-catalog.js';
import { initialLiveState, LiveState } from '../src/live-reducer.js';
import { LiveFrame, LiveScreen, ScreenSize } from '../src/live-screen.js';
import { taskKey } from '../src/live-task-store.js';
import { LiveInput, LiveViewModel } from '../src/live-view-model.js';
import { TaskFormatter } from '../src/task-formatter.js';
import { activeTasks, completedTasks, NOW } from './task-fixture.js';

const format = new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 });
const catalog = new ColumnCatalog(format);
const columns = { active: catalog.choose(undefined, ColumnCatalog.ACTIVE_DEFAULT), completed: catalog.choose(undefined, ColumnCatalog.COMPLETED_DEFAULT) };
const screen = new LiveScreen(pc.createColors(false), format);

function draw(state: LiveState = initialLiveState(), size: ScreenSize = { width: 120, height: 30 }, change: Partial<LiveInput> = {}): LiveFrame {
  const model = LiveViewModel.of({
    state,
    active: activeTasks(),
    completed: completedTasks(),
    now: NOW,
    source: { trackerUrl: 'redis://127.0.0.1:6379/0', problem: undefined, skipped: { active: 0, completed: 0, updates: 0, keys: 0 } },
    columns,
    format,
    rowBudget: LiveScreen.rowBudget(size.height),
    ...change,
  });
  return screen.render(model, size);
}

const blank = (count: number): string[] => Array<string>(count).fill('');
const HEADER = 'otel-top  1 host, 2 processes  active 2  2.6 req/s  errors 25.0% (4xx 25.0%)  p50 22ms p95 2.5s p99 2.5s';
const STATUS = 'tracker redis://127.0.0.1:6379/0  sort: time';
const FOOTER = ' q  quit  p  pause  s  sort  /  filter  ↑↓  select  Enter  detail  ?  help';

describe('LiveScreen', () => {
  it('draws the header, the status, both tables and the keys, one line short of the terminal', () => {
    expect(draw().lines).to.deep.equal([
      HEADER,
      STATUS,
      'Active HTTP requests (2)',
      '  Cty   IP            Worker   Method Path             Duration User agent',
      '  🇬🇧 GB 203.0.113.20  102:main GET    /api/export 41.3s STALLED python-requests/2.32.3',
      '  🇫🇮 FI 203.0.113.185 101:main GET    /api/search         383ms curl/8.5.0',
      '',
      'Completed HTTP responses (4)',
      '  Cty   IP              Ago Duration Resp Method Path             Length User agent',
      '  🇫🇮 FI 192.0.2.175    94ms     22ms  200 GET    /api/products       801 Mozilla/5.0',
      '        192.0.2.175   303ms    350ms  201 POST   /api/orders          26 Mozilla/5.0',
      '        198.51.100.23    1s     2.5s  500 GET    /api/fail            21 curl/8.5.0',
      '        192.0.2.55     1.5s      1ms  404 GET    /static/logo.png    154 Googlebot/2.1',
      ...blank(15),
      FOOTER,
    ]);
  });

  it('fits a small terminal: tables share the rows, say how many are not shown, and lines are cut', () => {
    expect(draw(initialLiveState(), { width: 70, height: 12 }).lines).to.deep.equal([
      'otel-top  1 host, 2 processes  active 2  2.6 req/s  errors 25.0% (4xx…',
      STATUS,
      'Active HTTP requests (2, 1 not shown)',
      '  Cty   IP           Worker   Method Path             Duration',
      '  🇬🇧 GB 203.0.113.20 102:main GET    /api/export 41.3s STALLED',
      '',
      'Completed HTTP responses (4, 2 not shown)',
      '  Cty   IP            Ago Duration Resp Method Path         Length',
      '  🇫🇮 FI 192.0.2.175  94ms     22ms  200 GET    /api/produc…    801',
      '        192.0.2.175 303ms    350ms  201 POST   /api/orders      26',
      ' q  quit  p  pause  s  sort  /  filter  ↑↓  select  Enter  detail  ? …',
    ]);
    expect(draw(initialLiveState(), { width: 40, height: 5 }).lines).to.deep.equal([
      'otel-top  1 host, 2 processes  active 2…',
      'tracker redis://127.0.0.1:6379/0  sort:…',
      'Active HTTP requests (2, 1 not shown)',
      ' q  quit  p  pause  s  sort  /  filter …',
    ]);
  });

  it('never draws more lines than fit, nor a line wider than the terminal', () => {
    for (const [width, height] of [[20, 3], [40, 8], [70, 16], [120, 30], [200, 60]] as const) {
      for (const state of [initialLiveState(), { ...initialLiveState(), panel: { name: 'help' } } as LiveState]) {
        const { lines } = draw(state, { width, height });
        expect(lines, `${width}x${height}`).to.have.length(Math.max(3, height - 1));
        for (const line of lines) expect(stringWidth(line), `${width}x${height}: ${line}`).to.be.at.most(width);
      }
    }
  });

  it('marks the selected row, and shows the sort, the pause and the trouble on the status line', () => {
    const selected = draw(
      { ...initialLiveState(), views: { requests: { sort: 'status', filter: '', selectedKey: taskKey(completedTasks()[1]!) } }, paused: true },
      { width: 120, height: 30 },
      { source: { trackerUrl: 'redis://127.0.0.1:6379/0', problem: 'ECONNREFUSED', skipped: { active: 1, completed: 2, updates: 0, keys: 0 } } },
    );
    expect(selected.lines[1]).to.equal(
      'tracker redis://127.0.0.1:6379/0  sort: status  PAUSED  warning: 3 records did not decode and were skipped  tracker unr…',
    );
    expect(selected.lines.slice(9, 13)).to.deep.equal([
      '        198.51.100.23    1s     2.5s  500 GET    /api/fail            21 curl/8.5.0',
      '        192.0.2.55     1.5s      1ms  404 GET    /static/logo.png    154 Googlebot/2.1',
      '>       192.0.2.175   303ms    350ms  201 POST   /api/orders          26 Mozilla/5.0',
      '  🇫🇮 FI 192.0.2.175    94ms     22ms  200 GET    /api/products       801 Mozilla/5.0',
    ]);
  });

  it('says when nothing matches the filter, and prompts for the filter being typed', () => {
    const state: LiveState = { ...initialLiveState(), views: { requests: { sort: 'time', filter: '4xx products static', selectedKey: undefined } }, filterDraft: 'abc' };
    expect(draw(state).lines).to.deep.equal([
      HEADER,
      `${STATUS}  filter: 4xx products static`,
      'Active HTTP requests (0)',
      '  none match the filter',
      '',
      'Completed HTTP responses (0)',
      '  none match the filter',
      ...blank(21),
      'Filter: abc   (Enter: apply, Esc: cancel)',
    ]);
  });

  it('drops the country column while no request matching the filter has a country', () => {
    const state: LiveState = { ...initialLiveState(), views: { requests: { sort: 'time', filter: 'fail', selectedKey: undefined } } };
    expect(draw(state).lines.slice(5, 8)).to.deep.equal([
      'Completed HTTP responses (1)',
      '  IP            Ago Duration Resp Method Path      Length User agent',
      '  198.51.100.23  1s     2.5s  500 GET    /api/fail     21 curl/8.5.0',
    ]);
  });

  it('draws the help from the key table', () => {
    expect(draw({ ...initialLiveState(), panel: { name: 'help' } }).lines).to.deep.equal([
      HEADER,
      STATUS,
      'Keys (any key closes this help)',
      '',
      '  q          quit (Ctrl-C too)',
      '  p          pause / resume updates',
      '  s          cycle the sort: time, duration, status, path',
      '  /          filter: words matching path, route, method, status (404, 5xx), IP, host, service; Enter applies, Esc cance…',
      '  Esc        clear the filter and the selection',
      '  Up / Down  select a request',
      '  Enter      show every field of the selected request (Esc goes back)',
      '  ?          this help (any key closes it)',
      ...blank(16),
      ' q  quit  any key  close',
    ]);
  });

  it('draws the detail from its scroll position, and says how far it scrolls', () => {
    const task = activeTasks()[1]!;
    const top = draw({ ...initialLiveState(), panel: { name: 'detail', task, scroll: 0 } });
    expect(top.lines.slice(2, 6)).to.deep.equal(['Request detail', 'Request', '  Method                 GET', '  Path                   /api/export']);
    expect(top.lines.at(-1)).to.equal(' q  quit  Esc  back  ↑↓  scroll  PgUp PgDn  page');
    // 50 lines of detail, 25 on screen below the title: it scrolls until the last line is at the bottom.
    expect([top.detailPage, top.detailLast]).to.deep.equal([25, 25]);
    const scrolled = draw({ ...initialLiveState(), panel: { name: 'detail', task, scroll: 25 } });
    expect(scrolled.lines.slice(2, 4)).to.deep.equal(['Request detail', '  Service                shop']);
    expect(scrolled.lines.slice(-4)).to.deep.equal(['  service.name: shop', '  trace_id: a2000000000000000000000000000000', '  span_id: a200000000000000', top.lines.at(-1)]);
    expect(draw().detailLast).to.equal(0);
  });

  it('gives the view model as many rows as the tables can show', () => {
    expect([3, 5, 12, 16, 30].map((height) => LiveScreen.rowBudget(height))).to.deep.equal([2, 2, 3, 7, 21]);
  });

  it('colours the header, the status and the keys', () => {
    const coloured = new LiveScreen(pc.createColors(true), format);
    const model = LiveViewModel.of({
      state: { ...initialLiveState(), paused: true },
      active: activeTasks(),
      completed: completedTasks(),
      now: NOW,
      source: { trackerUrl: 'redis://x', problem: undefined, skipped: { active: 0, completed: 0, updates: 0, keys: 0 } },
      columns,
      format,
      rowBudget: 10,
    });
    const { lines } = coloured.render(model, { width: 200, height: 20 });
    expect(lines[0]).to.include('\u001b[1motel-top\u001b[22m').and.include('errors \u001b[31m25.0%\u001b[39m');
    expect(lines[1]).to.equal('\u001b[2mtracker redis://x\u001b[22m  sort: time  \u001b[1m\u001b[33mPAUSED\u001b[39m\u001b[22m');
    expect(lines.at(-1)?.startsWith('\u001b[7m q \u001b[27m quit \u001b[7m p \u001b[27m pause')).to.equal(true);
  });
});
