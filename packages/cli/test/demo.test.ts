import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RedisTaskReader } from '@otel-top/redis-exporter';
import { waitFor } from '@otel-top/redis-test-server';
import { TmuxTerminal } from './tmux-terminal.js';

const DEMO = fileURLToPath(new URL('../../../../examples/build/src/demo.js', import.meta.url));

interface ProcessInfo {
  pid: number;
  command: string;
}

/** Every process below `root`, from /proc. */
function descendants(root: number): ProcessInfo[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone while we looked.
    }
  }
  const found: ProcessInfo[] = [];
  const visit = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      let command = '';
      try {
        command = readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      } catch {
        // Gone while we looked.
      }
      found.push({ pid: child, command });
      visit(child);
    }
  };
  visit(root);
  return found;
}

describe('the demo (npm start)', function () {
  this.timeout(60_000);

  it('starts Redis, the warehouse, the app in two workers, traffic, otel-top web and otel-top live; Ctrl-C stops all of it', async () => {
    const terminal = await TmuxTerminal.start([process.execPath, DEMO], { env: { TOP_TRACKER_URL: undefined, NO_COLOR: undefined } });
    try {
      // Both workers serve the generated traffic, and the viewer shows it.
      // One condition for the whole screen: a frame drawn between two refreshes may hold the header before the rows.
      const screen = await terminal.waitForScreen(
        (text) =>
          /1 host, 2 processes {2}active \d+/.test(text) &&
          /Completed HTTP responses \((\d{2,})/.test(text) &&
          /\d+:main\s+(GET|POST)\s+\/api\//.test(text),
        'the demo traffic in otel-top live, with its requests in the tables',
        25_000,
      );
      expect(screen).to.match(/\d+:main\s+(GET|POST)\s+\/api\//);

      const processes = descendants(await terminal.panePid());
      const commands = processes.map((process) => process.command);
      expect(commands.filter((command) => command.startsWith('redis-server'))).to.have.length(1);
      expect(commands.filter((command) => command.endsWith('examples/build/src/warehouse.js'))).to.have.length(1);
      expect(commands.filter((command) => command.endsWith('examples/build/src/server.js'))).to.have.length(1);
      expect(commands.filter((command) => command.endsWith('examples/build/src/worker.js'))).to.have.length(2);
      expect(commands.filter((command) => / live --tracker-url redis:\/\/127\.0\.0\.1:\d+\/0/.test(command))).to.have.length(1);
      expect(commands.filter((command) => / web --tracker-url redis:\/\/127\.0\.0\.1:\d+\/0/.test(command))).to.have.length(1);

      // Before the view took the screen, the demo printed the page's address: the same views, in a browser.
      const printed = (await terminal.normalScreen()).join('\n');
      const pageUrl = /the same views in a browser at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(printed)?.[1];
      expect(pageUrl, printed).to.be.a('string');
      const page = await fetch(pageUrl!);
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-security-policy')).to.include("default-src 'none'");
      expect(await page.text()).to.include('<title>otel-top</title>');

      // A hung export waits on the warehouse: its call is the export's open span in the tracker.
      const trackerUrl = /tracker (redis:\/\/127\.0\.0\.1:\d+\/0)/.exec(screen)?.[1];
      expect(trackerUrl).to.be.a('string');
      const reader = new RedisTaskReader({ url: trackerUrl });
      try {
        const exportTask = await waitFor(
          async () => [...(await reader.getActiveTasks()).values()].find((task) => task.path === '/api/export'),
          { timeoutMillis: 20_000, message: 'a hung export among the active requests' },
        );
        expect(exportTask.taskName).to.equal('GET /api/export');
        const call = exportTask.openSpans?.find((span) => span.kind === 'CLIENT');
        expect(call?.attributes).to.deep.include({ 'http.request.method': 'GET', 'url.path': '/export', 'server.address': '127.0.0.1' });
      } finally {
        await reader.close();
      }

      await terminal.keys('C-c');
      expect(await terminal.waitForExit(15_000)).to.equal(0);
      expect((await terminal.screen()).join('\n')).to.match(/otel-top demo: stopped \(\d+ requests sent\)/);
      await waitFor(() => processes.every((process) => !existsSync(`/proc/${process.pid}`)), {
        timeoutMillis: 10_000,
        message: 'every process the demo started to be gone',
      });
    } finally {
      await terminal.close();
    }
  });
});
