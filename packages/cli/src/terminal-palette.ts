import type { Colors } from 'picocolors/types.js';
import type { Cell, Tone } from './task-formatter.js';

/** What each tone looks like on a terminal. */
const TONE_COLORS: Record<Tone, (colors: Colors, text: string) => string> = {
  good: (colors, text) => colors.green(text),
  info: (colors, text) => colors.cyan(text),
  warning: (colors, text) => colors.yellow(text),
  bad: (colors, text) => colors.red(text),
  critical: (colors, text) => colors.bold(colors.red(text)),
};

/** C0 and C1 control characters, DEL among them: in a task's text they would drive the terminal (escape sequences). */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Paints cells for a terminal: each tone as a colour (none at all with
 * NO_COLOR), and any control character in the text as U+FFFD, since the text
 * comes from whatever wrote the tracking table.
 */
export class TerminalPalette {
  constructor(readonly colors: Colors) {}

  /** Text as it may go to a terminal: control characters replaced, one column each. */
  static printable(text: string): string {
    return text.replace(CONTROL_CHARACTERS, '\ufffd');
  }

  paint(cell: Cell): string {
    const text = TerminalPalette.printable(cell.text);
    return cell.tone === undefined ? text : TONE_COLORS[cell.tone](this.colors, text);
  }
}
