import ansiEscapes from 'ansi-escapes';

/** Where frames go: a terminal's output stream, or anything that collects what it would be sent. */
export interface FrameOutput {
  write(text: string): unknown;
}

/**
 * Puts frames of whole lines on the terminal's alternate screen, sending only
 * the lines that differ from what is on screen. A frame of the live view is
 * mostly what the previous one was (a table of a few changed rows, a clock),
 * so this is what drawing costs. Lines must fit the screen's width and be
 * fewer than its rows: nothing here wraps or scrolls.
 */
export class TerminalFrameWriter {
  /** What each row of the screen shows now; a row not in it shows nothing. */
  private shown: string[] = [];

  constructor(private readonly output: FrameOutput) {}

  open(): void {
    this.output.write(ansiEscapes.enterAlternativeScreen + ansiEscapes.cursorHide + ansiEscapes.eraseScreen);
    this.shown = [];
  }

  draw(lines: readonly string[]): void {
    let text = '';
    const rows = Math.max(lines.length, this.shown.length);
    for (let row = 0; row < rows; row++) {
      const line = lines[row] ?? '';
      if (line === (this.shown[row] ?? '')) continue;
      // The row is erased before it is written: erasing after a line as wide as the screen would take its last character.
      text += ansiEscapes.cursorTo(0, row) + ansiEscapes.eraseLine + line;
    }
    this.shown = lines.slice();
    if (text !== '') this.output.write(text);
  }

  /** The screen's content is unknown (it was resized): the next frame is drawn whole on a cleared screen. */
  invalidate(): void {
    this.output.write(ansiEscapes.eraseScreen);
    this.shown = [];
  }

  close(): void {
    this.output.write(ansiEscapes.cursorShow + ansiEscapes.exitAlternativeScreen);
  }
}
