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

/** Paints cells for a terminal: each tone as a colour (none at all with NO_COLOR). */
export class TerminalPalette {
  constructor(readonly colors: Colors) {}

  paint(cell: Cell): string {
    return cell.tone === undefined ? cell.text : TONE_COLORS[cell.tone](this.colors, cell.text);
  }
}
