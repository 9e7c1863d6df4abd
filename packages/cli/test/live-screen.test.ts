import { expect } from 'chai';
import pc from 'picocolors';
import stringWidth from 'string-width';
import { ColumnCatalog } from '../src/column-catalog.js';
import { initialLiveState, LiveState } from '../src/live-reducer.js';
import { LiveFrame, LiveScreen, ScreenSize } from '../src/live-screen.js';
import { taskKey } from '../src/live-task-store.js';
import { LiveInput, LiveViewModel } from '../src/live-view-model.js';
import { TaskFormatter } from '../src/task-formatter.js';
import { processes, pythonTask, traffic } from './figures-fixture.js';
import { activeTasks, completedTasks, NOW } from './task-fixture.js';

const format = new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 });
const catalog = new ColumnCatalog(format);
const columns = { active: catalog.choose(undefined, ColumnCatalog.ACTIVE_DEFAULT), completed: catalog.choose(undefined, ColumnCatalog.COMPLETED_DEFAULT) };
const screen = new LiveScreen(pc.createColors(false), format);

function draw(state: LiveState = initialLiveState(), size: ScreenSize = { width: 130, height: 30 }, change: Partial<LiveInput> = {}): LiveFrame {
  const model = LiveViewModel.of({
    state,
    active: activeTasks(),
    completed: completedTasks(),
    traffic: traffic(),
    processes: processes(),
    now: NOW,
    source: { trackerUrl: 'redis://127.0.0.1:6379/0', problem: undefined, countersProblem: undefined, skipped: { active: 0, completed: 0, updates: 0, keys: 0 } },
    columns,
    format,
    rowBudget: LiveScreen.rowBudget(size.height, state.view),
    ...change,
  });
  return screen.render(model, size);
}

const blank = (count: number): string[] => Array<string>(count).fill('');
// From the counters (89 requests over 60 s) and the heartbeats (two running on vm1, one dead on vm2; one loop blocked 2.9 s).
const HEADER = 'otel-top  1 host, 2 processes, 1 dead  active 2  1.48 req/s  errors 10.1% (4xx 5.6%)  p50 21ms p95 2.4s p99 2.4s  loop p99 2.9s';
const TRACKER = 'tracker redis://127.0.0.1:6379/0  window 1 min';
const STATUS = `[1 Requests] 2 Routes 3 Processes  ${TRACKER}  sort: time`;
const FOOTER = ' q  quit  Tab  view  p  pause  w  window  s  sort  /  filter  ↑↓  select  Enter  detail  ?  help';

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
      'otel-top  1 host, 2 processes, 1 dead  active 2  1.48 req/s  errors 1…',
      '[1 Requests] 2 Routes 3 Processes  tracker redis://127.0.0.1:6379/0  …',
      'Active HTTP requests (2, 1 not shown)',
      '  Cty   IP           Worker   Method Path             Duration',
      '  🇬🇧 GB 203.0.113.20 102:main GET    /api/export 41.3s STALLED',
      '',
      'Completed HTTP responses (4, 2 not shown)',
      '  Cty   IP            Ago Duration Resp Method Path         Length',
      '  🇫🇮 FI 192.0.2.175  94ms     22ms  200 GET    /api/produc…    801',
      '        192.0.2.175 303ms    350ms  201 POST   /api/orders      26',
      ' q  quit  Tab  view  p  pause  w  window  s  sort  /  filter  ↑↓  sel…',
    ]);
    expect(draw(initialLiveState(), { width: 40, height: 5 }).lines).to.deep.equal([
      'otel-top  1 host, 2 processes, 1 dead  …',
      '[1 Requests] 2 Routes 3 Processes  trac…',
      'Active HTTP requests (2, 1 not shown)',
      ' q  quit  Tab  view  p  pause  w  windo…',
    ]);
  });

  it('says how many running requests of a large table were not read, and counts them in the header', () => {
    const lines = draw(initialLiveState(), { width: 130, height: 30 }, { activeUnread: 98_000 }).lines;
    expect(lines[0]).to.contain('active 98002');
    expect(lines[2]).to.equal('Active HTTP requests (2, 98000 more running not read)');
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
      { ...initialLiveState(), views: { ...initialLiveState().views, requests: { sort: 'status', filter: '', scope: undefined, selectedKey: taskKey(completedTasks()[1]!) } }, paused: true },
      { width: 120, height: 30 },
      { source: { trackerUrl: 'redis://127.0.0.1:6379/0', problem: 'ECONNREFUSED', countersProblem: undefined, skipped: { active: 1, completed: 2, updates: 0, keys: 0 } } },
    );
    expect(selected.lines[1]).to.equal(
      '[1 Requests] 2 Routes 3 Processes  tracker redis://127.0.0.1:6379/0  window 1 min  sort: status  PAUSED  warning: 3 rec…',
    );
    expect(selected.lines.slice(9, 13)).to.deep.equal([
      '        198.51.100.23    1s     2.5s  500 GET    /api/fail            21 curl/8.5.0',
      '        192.0.2.55     1.5s      1ms  404 GET    /static/logo.png    154 Googlebot/2.1',
      '>       192.0.2.175   303ms    350ms  201 POST   /api/orders          26 Mozilla/5.0',
      '  🇫🇮 FI 192.0.2.175    94ms     22ms  200 GET    /api/products       801 Mozilla/5.0',
    ]);
  });

  it('says when nothing matches the filter, and prompts for the filter being typed', () => {
    const state: LiveState = { ...initialLiveState(), views: { ...initialLiveState().views, requests: { sort: 'time', filter: '4xx products static', scope: undefined, selectedKey: undefined } }, filterDraft: 'abc' };
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
    const state: LiveState = { ...initialLiveState(), views: { ...initialLiveState().views, requests: { sort: 'time', filter: 'fail', scope: undefined, selectedKey: undefined } } };
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
      '  Tab        next view: Requests, Routes, Processes',
      '  1 / 2 / 3  Requests, Routes, Processes',
      '  p          pause / resume updates',
      '  w          window of the live counters (header, routes, processes): 10 s, 1 min, 5 min',
      '  s          cycle the sort: time, duration, status, path',
      '  /          filter: words matching path, route, method, status (404, 5xx), IP, host, service; Enter applies, Esc cancels',
      '  Esc        clear the filter, the route or process, and the selection',
      '  Up / Down  select a row',
      '  Enter      show every field of the selected request (Esc goes back)',
      '  ?          this help (any key closes it)',
      ...blank(13),
      ' q  quit  any key  close',
    ]);
  });

  it('draws the detail from its scroll position, and says how far it scrolls', () => {
    const task = activeTasks()[1]!;
    const top = draw({ ...initialLiveState(), panel: { name: 'detail', task, scroll: 0 } });
    expect(top.lines.slice(2, 6)).to.deep.equal(['Request detail', 'Request', '  Method                 GET', '  Path                   /api/export']);
    expect(top.lines.at(-1)).to.equal(' q  quit  Esc  back  ↑↓  scroll  PgUp PgDn  page');
    // 53 lines of detail, 25 on screen below the title: it scrolls until the last line is at the bottom.
    expect([top.detailPage, top.detailLast]).to.deep.equal([25, 28]);
    const scrolled = draw({ ...initialLiveState(), panel: { name: 'detail', task, scroll: 28 } });
    expect(scrolled.lines.slice(2, 4)).to.deep.equal(['Request detail', '  Thread id              0']);
    expect(scrolled.lines.slice(-4)).to.deep.equal(['  service.name: shop', '  trace_id: a2000000000000000000000000000000', '  span_id: a200000000000000', top.lines.at(-1)]);
    expect(draw().detailLast).to.equal(0);
  });

  it('gives the view model as many rows as the tables can show', () => {
    expect([3, 5, 12, 16, 30].map((height) => LiveScreen.rowBudget(height, 'requests'))).to.deep.equal([2, 2, 3, 7, 21]);
    // One table: its title and its header.
    expect([3, 5, 12, 16, 30].map((height) => LiveScreen.rowBudget(height, 'routes'))).to.deep.equal([2, 2, 6, 10, 24]);
    expect(LiveScreen.rowBudget(30, 'processes')).to.equal(24);
  });

  it('colours the header, the status and the keys', () => {
    const coloured = new LiveScreen(pc.createColors(true), format);
    const model = LiveViewModel.of({
      state: { ...initialLiveState(), paused: true },
      active: activeTasks(),
      completed: completedTasks(),
      traffic: traffic(),
      processes: processes(),
      now: NOW,
      source: { trackerUrl: 'redis://x', problem: undefined, countersProblem: undefined, skipped: { active: 0, completed: 0, updates: 0, keys: 0 } },
      columns,
      format,
      rowBudget: 10,
    });
    const { lines } = coloured.render(model, { width: 200, height: 20 });
    expect(lines[0]).to.include('\u001b[1motel-top\u001b[22m').and.include('errors \u001b[31m10.1%\u001b[39m').and.include('\u001b[31m1 dead\u001b[39m');
    expect(lines[0]).to.include('loop p99 \u001b[31m2.9s\u001b[39m');
    expect(lines[1]).to.equal(
      '\u001b[1m\u001b[7m[1 Requests]\u001b[27m\u001b[22m 2 Routes 3 Processes  \u001b[2mtracker redis://x\u001b[22m  window 1 min  sort: time  \u001b[1m\u001b[33mPAUSED\u001b[39m\u001b[22m',
    );
    expect(lines.at(-1)?.startsWith('\u001b[7m q \u001b[27m quit \u001b[7m Tab \u001b[27m view \u001b[7m p \u001b[27m pause')).to.equal(true);
  });

  it('draws the Routes view: a row per route with its latency distribution, the selected one marked', () => {
    const routes = { ...initialLiveState(), view: 'routes' as const };
    expect(draw({ ...routes, views: { ...routes.views, routes: { sort: 'count', selectedKey: 'GET /api/fail' } } }, { width: 130, height: 14 }).lines).to.deep.equal([
      HEADER,
      '1 Requests [2 Routes] 3 Processes  tracker redis://127.0.0.1:6379/0  window 1 min  sort: count',
      'Routes over the last 1 min (6)  latency: a bar per decade, <10µs to ≥100s',
      '  Route                 Active Count Req/s Errors   Err%    p50    p95    p99       Slowest Latency',
      '  GET /api/products          0    40  0.67      0   0.0%   21ms   21ms   21ms             - ····█····',
      '  GET /api/products/:id      0    30  0.50      0   0.0%   12ms   12ms   12ms             - ···▂█····',
      '  POST /api/orders           0    10  0.17      0   0.0%  365ms  365ms  365ms             - ·····█···',
      '> GET /api/fail              0     6  0.10      6 100.0%   2.4s   2.4s   2.4s             - ······█··',
      '  GET /api/search            1     3  0.05      3 100.0% 0.40ms 0.40ms 0.40ms         383ms ··█······',
      '  GET /api/export            1     0  0.00      0      -      -      -      - 41.3s STALLED -',
      '',
      '',
      ' q  quit  Tab  view  p  pause  w  window  s  sort  ↑↓  select  Enter  requests  ?  help',
    ]);
  });

  it('on a small terminal, keeps the Routes rows that fit and cuts the columns at the right', () => {
    expect(draw({ ...initialLiveState(), view: 'routes' }, { width: 60, height: 8 }).lines).to.deep.equal([
      'otel-top  1 host, 2 processes, 1 dead  active 2  1.48 req/s…',
      '1 Requests [2 Routes] 3 Processes  tracker redis://127.0.0.…',
      'Routes over the last 1 min (6, 4 not shown)  latency: a bar…',
      // The route gives way first, to its narrowest, before columns at the right are left out.
      '  Route        Active Count Req/s Errors Err%  p50  p95  p99',
      '  GET /api/pr…      0    40  0.67      0 0.0% 21ms 21ms 21ms',
      '  GET /api/pr…      0    30  0.50      0 0.0% 12ms 12ms 12ms',
      ' q  quit  Tab  view  p  pause  w  window  s  sort  ↑↓  sele…',
    ]);
  });

  it('draws the Processes view: health, traffic and tracking per process, a writer without a heartbeat among them', () => {
    const frame = draw({ ...initialLiveState(), view: 'processes' }, { width: 140, height: 10 }, { active: [...activeTasks(), pythonTask()] });
    expect(frame.lines).to.deep.equal([
      'otel-top  2 hosts, 3 processes, 1 dead  active 3  1.48 req/s  errors 10.1% (4xx 5.6%)  p50 21ms p95 2.4s p99 2.4s  loop p99 2.9s',
      '1 Requests 2 Routes [3 Processes]  tracker redis://127.0.0.1:6379/0  window 1 min',
      'Processes, req/s and errors over the last 1 min (4)',
      '  Host  PID Service    State        Uptime Active Req/s Errors Loop p99 CPU RSS    Heap Heartbeat Queued Dropped Failed',
      '  py1  4242 reports    no heartbeat      -      1     -      -        -   -   -       -         -      -       -      -',
      '  vm1   101 shop 1.2.3 alive         1h 2m      2  0.50      9    4.2ms 12% 94M 41M/64M      0.4s      3       7      1',
      '  vm1   102 shop 1.2.3 late          1h 2m      1  1.40      9     2.9s 12% 94M 41M/64M      3.1s      0       0      0',
      '  vm2     7 billing    dead              -      0  0.00      0    4.2ms 12% 94M 41M/64M       12s      0       0      0',
      ' q  quit  Tab  view  p  pause  w  window  ↑↓  select  Enter  requests  ?  help',
    ]);
  });

  it('says on the status line what the Requests view is narrowed to, and when the counters cannot be read', () => {
    const start = initialLiveState();
    const state = { ...start, views: { ...start.views, requests: { ...start.views.requests, scope: { kind: 'route', name: 'GET /api/fail' } as const } } };
    const source = { trackerUrl: 'redis://127.0.0.1:6379/0', problem: undefined, countersProblem: 'answered 400', skipped: { active: 0, completed: 0, updates: 0, keys: 0 } };
    const { lines } = draw(state, { width: 160, height: 12 }, { source, traffic: undefined });
    expect(lines[0]).to.equal('otel-top  1 host, 2 processes, 1 dead  active 2  - req/s  errors - (4xx -)  p50 - p95 - p99 -  loop p99 2.9s');
    expect(lines[1]).to.equal(`${STATUS}  route GET /api/fail  no live counters: answered 400`);
    expect(lines.slice(2, 8)).to.deep.equal([
      'Active HTTP requests (0)',
      '  none match the filter',
      '',
      'Completed HTTP responses (1)',
      '  IP            Ago Duration Resp Method Path      Length User agent',
      '  198.51.100.23  1s     2.5s  500 GET    /api/fail     21 curl/8.5.0',
    ]);
  });

  it('says on the status line when there are no live updates, and why', () => {
    const source = { trackerUrl: 'redis://127.0.0.1:6379/0', problem: undefined, countersProblem: undefined, updatesProblem: 'NOPERM no channel', skipped: { active: 0, completed: 0, updates: 0, keys: 0 } };
    const { lines } = draw(initialLiveState(), { width: 160, height: 12 }, { source });
    expect(lines[1]).to.equal(`${STATUS}  no live updates, read every refresh: NOPERM no channel`);
  });

  it('never draws the Routes and Processes views wider or longer than the terminal', () => {
    for (const [width, height] of [[20, 3], [40, 8], [70, 16], [200, 60]] as const) {
      for (const view of ['routes', 'processes'] as const) {
        const { lines } = draw({ ...initialLiveState(), view }, { width, height });
        expect(lines, `${view} ${width}x${height}`).to.have.length(Math.max(3, height - 1));
        for (const line of lines) expect(stringWidth(line), `${view} ${width}x${height}: ${line}`).to.be.at.most(width);
      }
    }
  });
});
