import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
    const session = `otel-top-bench-${process.pid}-${Date.now()}`;
    const command = [process.execPath, otelTopBin(), 'live', '--tracker-url', trackerUrl].map((part) => `'${part}'`).join(' ');
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '50', `exec ${command}`]);
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

  /** What the viewer shows now, for a look that it is really watching. */
  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.session], { encoding: 'utf8' });
  }

  stop(): void {
    spawnSync('tmux', ['kill-session', '-t', this.session], { stdio: 'ignore' });
  }
}
