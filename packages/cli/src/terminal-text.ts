import { createRequire } from 'node:module';
import type measureStringWidth from 'string-width';

/**
 * Characters that each take one column and never join their neighbours: printable ASCII, Latin letters
 * with their accents precomposed, punctuation, arrows, mathematical operators, box drawing and block
 * elements. Most of what a screen shows, and everything otel-top draws of its own, so it is measured
 * without segmenting it (string-width's first segmenting costs a frame's worth of time).
 */
const ONE_COLUMN_EACH = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2200-\u22ff\u2500-\u259f]*$/;
/** The colour sequences picocolors paints with; values reach the screen without escapes of their own (TerminalPalette.printable). */
// eslint-disable-next-line no-control-regex -- the escape character is what starts a colour sequence
const PAINT = /(\x1b\[[0-9;]*m)/;
const PAINT_EVERYWHERE = new RegExp(PAINT.source, 'g');
const ELLIPSIS = '…';
const RESET = '\x1b[0m';

const require = createRequire(import.meta.url);
let graphemes: Intl.Segmenter | undefined;
let measured: typeof measureStringWidth | undefined;

/**
 * string-width, loaded when text first needs it rather than when the command starts: building its
 * emoji expressions is a good part of a start, and a screen of the characters above never needs them.
 */
function stringWidth(text: string): number {
  measured ??= (require('string-width') as { default: typeof measureStringWidth }).default;
  return measured(text);
}

/**
 * How wide text is on a terminal, and text cut to a width with an ellipsis:
 * what the table renderer and the live screen lay out with, once per cell and
 * line of every frame, so the common characters take a path of their own.
 */
export class TerminalText {
  /** Columns the text takes; wide characters count two, colour sequences none. */
  static width(text: string): number {
    return ONE_COLUMN_EACH.test(text) ? text.length : stringWidth(text);
  }

  /** Text (without colour) that fits `width` columns, its end replaced by an ellipsis when cut. */
  static truncate(text: string, width: number): string {
    if (TerminalText.width(text) <= width) return text;
    if (width <= 0) return '';
    return TerminalText.take(text, width - 1).text + ELLIPSIS;
  }

  /** A painted line that fits `width` columns: its colours kept up to the cut, reset after the ellipsis. */
  static truncateLine(line: string, width: number): string {
    if (TerminalText.width(line.replace(PAINT_EVERYWHERE, '')) <= width) return line;
    if (width <= 0) return '';
    let room = width - 1;
    let cut = '';
    let painted = false;
    for (const part of line.split(PAINT)) {
      if (PAINT.test(part)) {
        cut += part;
        painted = true;
        continue;
      }
      const taken = TerminalText.take(part, room);
      cut += taken.text;
      room -= taken.width;
      if (taken.text.length < part.length) break;
    }
    return cut + ELLIPSIS + (painted ? RESET : '');
  }

  /** The longest start of text that fits `room` columns, and how wide it is. */
  private static take(text: string, room: number): { text: string; width: number } {
    if (ONE_COLUMN_EACH.test(text)) {
      const taken = text.slice(0, Math.max(0, room));
      return { text: taken, width: taken.length };
    }
    let taken = '';
    let used = 0;
    graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    for (const { segment } of graphemes.segment(text)) {
      const width = stringWidth(segment);
      if (used + width > room) break;
      taken += segment;
      used += width;
    }
    return { text: taken, width: used };
  }
}
