import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pinToCore } from './cpu-pinning';
import { processCpuSeconds } from './server-process';

/** The command of `otel-top`, as the CLI package's manifest names it. */
function otelTopBin(): string {
  const manifestPath = require.resolve('@otel-top/cli/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifestPath), manifest.bin['otel-top']);
}

/**
 * The real `otel-top live` watching a tracker, in a terminal of its own (a
 * detached tmux session, since live needs one), pinned beside the load
 * generator: what a watching operator costs the servers, and itself.
 */
export class LiveViewer {
  private constructor(
    private readonly session: string,
    readonly pid: number,
  ) {}

  static start(trackerUrl: string, core: number | undefined): LiveViewer {
    const session = LiveViewer.newSession();
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '50', `exec ${LiveViewer.command(trackerUrl)}`]);
    return LiveViewer.pinned(session, core);
  }

  /**
   * Starts the viewer and times it until its output first holds `text`, as
   * tmux reads that output from the viewer's terminal: where a terminal
   * would draw it. (Polling `capture-pane` instead, a process start each
   * time, adds its own hundred-odd ms on a busy host.) The pane is set up
   * with its output piped to a file before the viewer starts in it; the
   * clock starts just before. Undefined when the text did not come within
   * the timeout.
   */
  static async startTimed(
    trackerUrl: string,
    core: number | undefined,
    text: string,
    timeoutMillis: number,
  ): Promise<{ viewer: LiveViewer; firstShownMillis: number | undefined }> {
    const session = LiveViewer.newSession();
    const outputDir = mkdtempSync(join(tmpdir(), 'otel-top-bench-live-'));
    const output = join(outputDir, 'pane.out');
    try {
      execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '50', 'exec sleep 600']);
      execFileSync('tmux', ['pipe-pane', '-t', session, `exec cat > '${output}'`]);
      const started = Date.now();
      execFileSync('tmux', ['respawn-pane', '-k', '-t', session, `exec ${LiveViewer.command(trackerUrl)}`]);
      const viewer = LiveViewer.pinned(session, core);
      let firstShownMillis: number | undefined;
      while (firstShownMillis === undefined && Date.now() - started < timeoutMillis) {
        // a+: the file is not there until tmux has started cat.
        if (readFileSync(output, { encoding: 'utf8', flag: 'a+' }).includes(text)) firstShownMillis = Date.now() - started;
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // Without a command, pipe-pane closes the pipe: nothing is copied from here on.
      execFileSync('tmux', ['pipe-pane', '-t', session]);
      return { viewer, firstShownMillis };
    } finally {
      rmSync(outputDir, { recursive: true, force: true });
    }
  }

  private static newSession(): string {
    return `otel-top-bench-${process.pid}-${Date.now()}`;
  }

  private static command(trackerUrl: string): string {
    return [process.execPath, otelTopBin(), 'live', '--tracker-url', trackerUrl].map((part) => `'${part}'`).join(' ');
  }

  private static pinned(session: string, core: number | undefined): LiveViewer {
    const pid = Number(execFileSync('tmux', ['list-panes', '-t', session, '-F', '#{pane_pid}'], { encoding: 'utf8' }).trim());
    if (core !== undefined) pinToCore(pid, core);
    return new LiveViewer(session, pid);
  }

  /** Whether tmux is there to give the viewer a terminal. */
  static available(): boolean {
    return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
  }

  cpuSeconds(): number {
    return processCpuSeconds(this.pid);
  }

  stop(): void {
    spawnSync('tmux', ['kill-session', '-t', this.session], { stdio: 'ignore' });
  }
}
