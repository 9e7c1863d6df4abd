import { expect } from 'chai';
import pc from 'picocolors';
import { ColumnCatalog } from '../src/column-catalog.js';
import { LiveApp, LiveSource } from '../src/live-app.js';
import { LiveScreen } from '../src/live-screen.js';
import { LiveTaskStore } from '../src/live-task-store.js';
import { TaskFormatter } from '../src/task-formatter.js';
import { TerminalFrameWriter } from '../src/terminal-frame-writer.js';
import { processes, traffic } from './figures-fixture.js';
import { activeTasks, completedTasks } from './task-fixture.js';

const format = new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 });
const catalog = new ColumnCatalog(format);
const columns = { active: catalog.choose(undefined, ColumnCatalog.ACTIVE_DEFAULT), completed: catalog.choose(undefined, ColumnCatalog.COMPLETED_DEFAULT) };

/** What reaches the terminal: the text written, and the screen it leaves (rows by the cursor moves). */
class FakeTerminal {
  readonly rows: string[] = [];
  writes = 0;
  write(text: string): boolean {
    this.writes++;
    // Each row is sent as: cursor to row N, erase the row, its text.
    // eslint-disable-next-line no-control-regex -- escape sequences are what it reads
    for (const [, row, line] of text.matchAll(/\u001b\[(\d+);1H\u001b\[2K([^\u001b]*)/g)) this.rows[Number(row) - 1] = line ?? '';
    return true;
  }
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('LiveApp', () => {
  let store: LiveTaskStore;
  let terminal: FakeTerminal;
  let windows: string[];
  let app: LiveApp;
  let running: Promise<void>;

  beforeEach(() => {
    store = new LiveTaskStore();
    const active = new Map(activeTasks().map((task) => [task.getProcessorTrackingId(), task]));
    store.replace(active, completedTasks());
    store.replaceFigures(traffic(), processes());
    windows = [];
    const source: LiveSource = {
      store,
      trackerUrl: 'redis://127.0.0.1:6379/0',
      problem: () => undefined,
      countersProblem: () => undefined,
      skipped: () => ({ active: 0, completed: 0, updates: 0, keys: 0 }),
      setWindow: (window) => windows.push(window),
    };
    terminal = new FakeTerminal();
    const screen = new LiveScreen(pc.createColors(false), format);
    app = new LiveApp(
      { source, screen, columns, format, refreshMillis: 60_000, frameMillis: 20, keyFrameMillis: 10, window: '1m' },
      new TerminalFrameWriter(terminal),
      { width: 130, height: 30 },
    );
    running = app.run();
  });
  afterEach(async () => {
    app.stop();
    await running;
  });

  it('draws the first frame as soon as it runs', () => {
    expect(terminal.rows[1]).to.match(/^\[1 Requests\] 2 Routes 3 Processes/);
    expect(terminal.rows[2]).to.equal('Active HTTP requests (2)');
    expect(terminal.rows).to.have.length(29);
  });

  it('answers keys in the state the previous one left, with one frame for a chunk of them', async () => {
    const writes = terminal.writes;
    // Tab, then w twice: Routes over the 10 s window (1m, then 5m, then 10s).
    for (const name of ['Tab', 'w', 'w']) app.press({ name, text: name.length === 1 ? name : '' });
    await until(() => /^1 Requests \[2 Routes\]/.test(terminal.rows[1] ?? ''));
    expect(terminal.rows[1]).to.contain('window 10 s');
    expect(terminal.writes).to.equal(writes + 1);
    expect(windows).to.deep.equal(['5m', '10s']);
  });

  it('draws what the store gains at the next frame, and nothing while paused', async () => {
    app.press({ name: 'p', text: 'p' });
    await until(() => (terminal.rows[1] ?? '').includes('PAUSED'));
    const completed = completedTasks();
    store.replace(new Map(), completed);
    // Paused: five frames' time passes, and the two active requests stay on screen.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(terminal.rows[2]).to.equal('Active HTTP requests (2)');
    app.press({ name: 'p', text: 'p' });
    await until(() => terminal.rows[2] === 'Active HTTP requests (0)');
  });

  it('ends its run on q', async () => {
    app.press({ name: 'q', text: 'q' });
    await running;
  });
});
