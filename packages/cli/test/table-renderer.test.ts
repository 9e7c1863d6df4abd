import { expect } from 'chai';
import pc from 'picocolors';
import stringWidth from 'string-width';
import { ColumnCatalog } from '../src/column-catalog.js';
import { taskKey } from '../src/live-task-store.js';
import { TableRenderer } from '../src/table-renderer.js';
import { TaskFormatter } from '../src/task-formatter.js';
import { TaskTableModel } from '../src/task-table-model.js';
import { activeTasks, completedTasks, NOW, request } from './task-fixture.js';

const catalog = new ColumnCatalog(new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 }));
const plain = new TableRenderer(pc.createColors(false));
const recentTable = (selectedKey?: string) =>
  TaskTableModel.of({ columns: catalog.choose(undefined, ColumnCatalog.RECENT_DEFAULT), tasks: [...activeTasks(), ...completedTasks()], now: NOW, selectedKey });

describe('TableRenderer', () => {
  it('lays the table out as wide as its values when there is no width (piped output)', () => {
    expect(plain.render({ table: recentTable(), width: undefined })).to.deep.equal([
      'Cty   IP            Worker   Method Path                  Duration     Ago Resp Length User agent',
      '🇫🇮 FI 203.0.113.185 101:main GET    /api/search              383ms running    -      - curl/8.5.0',
      '🇬🇧 GB 203.0.113.20  102:main GET    /api/export      41.3s STALLED running    -      - python-requests/2.32.3',
      '🇫🇮 FI 192.0.2.175   101:main GET    /api/products             22ms    94ms  200    801 Mozilla/5.0',
      '      192.0.2.175   102:main POST   /api/orders              350ms   303ms  201     26 Mozilla/5.0',
      '      198.51.100.23 101:main GET    /api/fail                 2.5s      1s  500     21 curl/8.5.0',
      '      192.0.2.55    102:main GET    /static/logo.png           1ms    1.5s  404    154 Googlebot/2.1',
    ]);
  });

  it('fits a width: flexible columns give way first, then columns at the right are left out', () => {
    const lines = plain.render({ table: recentTable(), width: 80 });
    expect(lines).to.deep.equal([
      'Cty   IP            Worker   Method Path              Duration     Ago Resp',
      '🇫🇮 FI 203.0.113.185 101:main GET    /api/search          383ms running    -',
      '🇬🇧 GB 203.0.113.20  102:main GET    /api/export  41.3s STALLED running    -',
      '🇫🇮 FI 192.0.2.175   101:main GET    /api/produc…          22ms    94ms  200',
      '      192.0.2.175   102:main POST   /api/orders          350ms   303ms  201',
      '      198.51.100.23 101:main GET    /api/fail             2.5s      1s  500',
      '      192.0.2.55    102:main GET    /static/log…           1ms    1.5s  404',
    ]);
    for (const width of [20, 40, 60, 100]) {
      for (const line of plain.render({ table: recentTable(), width })) expect(stringWidth(line)).to.be.at.most(width);
    }
  });

  it('leaves room for the selection marker, and marks the selected row', () => {
    const selected = taskKey(completedTasks()[0]!);
    const table = TaskTableModel.of({ columns: catalog.select(['Method', 'Path', 'Resp']), tasks: completedTasks().slice(0, 2), now: NOW, selectedKey: selected });
    expect(plain.render({ table, width: 40, marker: true })).to.deep.equal([
      '  Method Path          Resp',
      '> GET    /api/products  200',
      '  POST   /api/orders    201',
    ]);
    const coloured = new TableRenderer(pc.createColors(true)).render({ table, width: 40, marker: true });
    expect(coloured[1]).to.equal('\u001b[7m> GET    /api/products  \u001b[32m200\u001b[39m\u001b[27m');
    expect(coloured[0]).to.equal('  \u001b[1mMethod\u001b[22m \u001b[1mPath\u001b[22m          \u001b[1mResp\u001b[22m');
  });

  it('colours the cells by their tone', () => {
    const lines = new TableRenderer(pc.createColors(true)).render({ table: recentTable(), width: undefined });
    expect(lines[2]).to.include('\u001b[1m\u001b[31m41.3s STALLED\u001b[39m\u001b[22m').and.include('\u001b[36mrunning\u001b[39m');
    expect(lines[5]).to.include('\u001b[1m\u001b[31m500\u001b[39m\u001b[22m');
  });

  it('draws only the header when there are no rows, and nothing without columns', () => {
    expect(plain.render({ table: TaskTableModel.of({ columns: catalog.select(['Path', 'Resp']), tasks: [], now: NOW }), width: undefined })).to.deep.equal([
      'Path Resp',
    ]);
    expect(plain.render({ table: { columns: [], rows: [] }, width: 80 })).to.deep.equal([]);
  });

  it('shows control characters in a task\'s values as U+FFFD, so that a writer cannot drive the terminal, and measures them so', () => {
    const hostile = request({ id: 'h1', pid: 7, path: '/x\u001b[2J\u001b]0;owned\u0007', agent: 'a\u009bb\tc', startedAgo: 1_000, endedAgo: 500, status: 200 });
    const table = TaskTableModel.of({ columns: catalog.select(['Path', 'User agent']), tasks: [hostile], now: NOW });
    expect(plain.render({ table, width: undefined })).to.deep.equal(['Path             User agent', '/x\ufffd[2J\ufffd]0;owned\ufffd a\ufffdb\ufffdc']);
    for (const line of new TableRenderer(pc.createColors(true)).render({ table, width: 20 })) {
      for (const sequence of ['\u001b[2J', '\u001b]0;', '\u0007', '\u009b']) expect(line).not.to.include(sequence);
    }
  });
});
