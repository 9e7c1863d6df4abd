import { emitKeypressEvents } from 'node:readline';
import type { KeyPress, NamedKey } from './key-table.js';

/** A key as node:readline's keypress event describes it. */
export interface ReadlineKey {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  sequence?: string;
}

/** readline's names of the keys that have a NamedKey. */
const NAMED_KEYS: Readonly<Record<string, NamedKey>> = {
  return: 'Enter',
  enter: 'Enter',
  escape: 'Escape',
  tab: 'Tab',
  backspace: 'Backspace',
  delete: 'Delete',
  up: 'Up',
  down: 'Down',
  left: 'Left',
  right: 'Right',
  pageup: 'PageUp',
  pagedown: 'PageDown',
};

/**
 * One readline keypress as key presses: a named key, or the character typed.
 * Control characters, and characters typed with Ctrl or Meta, are no text.
 */
export function readlineKeyPresses(text: string | undefined, key: ReadlineKey | undefined): KeyPress[] {
  const named = key?.name === undefined ? undefined : NAMED_KEYS[key.name];
  if (named !== undefined) return [{ name: named, text: '' }];
  if (key?.ctrl === true || key?.meta === true) return [];
  return [...(text ?? '')]
    .filter((char) => (char.codePointAt(0) ?? 0) >= 0x20 && char !== '\u007f')
    .map((char) => ({ name: char, text: char }));
}

/** Whether a keypress is Ctrl-C, which quits the way it does everywhere else. */
export function isInterrupt(key: ReadlineKey | undefined): boolean {
  return key?.ctrl === true && key.name === 'c';
}

/** What TerminalKeyInput reads: a terminal's input, or any stream of its bytes. */
export type KeyInputStream = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };

/**
 * Key presses from a terminal in raw mode, parsed by node:readline (escape
 * sequences of arrows, Page Up and Down, Tab, Backspace, Delete; a lone Escape
 * after readline's short wait for more of a sequence).
 */
export class TerminalKeyInput {
  private listener: ((text: string | undefined, key: ReadlineKey | undefined) => void) | undefined;

  constructor(private readonly input: KeyInputStream) {}

  start(onPress: (press: KeyPress) => void, onInterrupt: () => void): void {
    emitKeypressEvents(this.input);
    if (this.input.isTTY === true) this.input.setRawMode?.(true);
    this.listener = (text, key) => {
      if (isInterrupt(key)) onInterrupt();
      else for (const press of readlineKeyPresses(text, key)) onPress(press);
    };
    this.input.on('keypress', this.listener);
    this.input.resume();
  }

  stop(): void {
    if (this.listener !== undefined) this.input.off('keypress', this.listener);
    this.listener = undefined;
    if (this.input.isTTY === true) this.input.setRawMode?.(false);
    this.input.pause();
  }
}
