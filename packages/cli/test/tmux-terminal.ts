import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@otel-top/redis-test-server';

const run = promisify(execFile);
let sessions = 0;
let config: string | undefined;

/** tmux settings, read when the server starts: no status line, so the command gets the whole height. */
function configFile(): string {
  if (config === undefined) {
    config = join(mkdtempSync(join(tmpdir(), 'otel-top-tmux-')), 'tmux.conf');
    writeFileSync(config, 'set-option -g status off\n');
  }
  return config;
}

function quote(argument: string): string {
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}

export interface TmuxTerminalOptions {
  width?: number;
  height?: number;
  /** Environment of the command; variables set to undefined are removed. */
  env?: Record<string, string | undefined>;
}

/**
 * A real terminal for a command: a detached tmux session on a private
 * socket. Tests read the screen as text, type keys and resize it.
 */
export class TmuxTerminal {
  private constructor(private readonly socket: string) {}

  static async start(command: readonly string[], options: TmuxTerminalOptions = {}): Promise<TmuxTerminal> {
    const socket = `otel-top-test-${process.pid}-${++sessions}`;
    const terminal = new TmuxTerminal(socket);
    const env = options.env ?? {};
    const unset = Object.keys(env).filter((name) => env[name] === undefined).flatMap((name) => ['-u', name]);
    const set = Object.entries(env)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => `${name}=${value}`);
    // tmux drops the last output of a command that exits at once, so a shell
    // runs it, prints its exit status, and keeps the pane open until close().
    const script = '"$@"; echo "[exit $?]"; exec cat >/dev/null';
    const shellCommand = ['sh', '-c', script, 'sh', 'env', ...unset, ...set, ...command].map(quote).join(' ');
    await terminal.tmux('new-session', '-d', '-x', String(options.width ?? 120), '-y', String(options.height ?? 40), shellCommand);
    return terminal;
  }

  /** The screen as plain text lines, trailing spaces removed. */
  async screen(): Promise<string[]> {
    const { stdout } = await this.tmux('capture-pane', '-p', '-t', '0');
    return stdout.replace(/\n$/, '').split('\n');
  }

  /** The normal screen while the command shows the alternate one (as a full-screen view does): what it printed before. */
  async normalScreen(): Promise<string[]> {
    const { stdout } = await this.tmux('capture-pane', '-p', '-a', '-t', '0');
    return stdout.replace(/\n$/, '').split('\n');
  }

  /** Waits until the screen satisfies `condition`, and resolves to that screen. */
  async waitForScreen(condition: (text: string) => boolean, message: string, timeoutMillis = 10_000): Promise<string> {
    let last = '';
    try {
      return await waitFor(
        async () => {
          last = (await this.screen()).join('\n');
          return condition(last) && last;
        },
        { timeoutMillis, intervalMillis: 50, message },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}; the screen was:\n${last}`);
    }
  }

  /** Waits until the screen contains every one of `texts`. */
  waitForText(...texts: string[]): Promise<string> {
    return this.waitForScreen((screen) => texts.every((text) => screen.includes(text)), `screen showing ${JSON.stringify(texts)}`);
  }

  /** tmux key names (`Enter`, `Down`, `Escape`, `C-c`) or text with -l. */
  async keys(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', '0', ...keys);
  }

  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', '0', '-l', text);
  }

  async resize(width: number, height: number): Promise<void> {
    await this.tmux('resize-window', '-t', '0', '-x', String(width), '-y', String(height));
  }

  /** The pid of the shell that runs the command in the pane. */
  async panePid(): Promise<number> {
    const { stdout } = await this.tmux('display-message', '-p', '-t', '0', '#{pane_pid}');
    return Number(stdout.trim());
  }

  /** Resolves to the command's exit status once it has exited. */
  async waitForExit(timeoutMillis = 10_000): Promise<number> {
    const screen = await this.waitForScreen((text) => /\[exit \d+\]/.test(text), 'the command to exit', timeoutMillis);
    return Number(/\[exit (\d+)\]/.exec(screen)?.[1]);
  }

  async close(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined);
  }

  private tmux(...args: string[]): Promise<{ stdout: string }> {
    return run('tmux', ['-L', this.socket, '-f', configFile(), ...args]);
  }
}
