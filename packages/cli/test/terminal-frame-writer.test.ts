import { expect } from 'chai';
import { TerminalFrameWriter } from '../src/terminal-frame-writer.js';

const ESC = '\u001b';
/** Where row N (from 0) is written: the cursor to its first column, the row erased. */
const row = (n: number): string => `${ESC}[${n + 1};1H${ESC}[2K`;

class Collected {
  readonly writes: string[] = [];
  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }
  take(): string[] {
    return this.writes.splice(0);
  }
}

describe('TerminalFrameWriter', () => {
  let output: Collected;
  let writer: TerminalFrameWriter;
  beforeEach(() => {
    output = new Collected();
    writer = new TerminalFrameWriter(output);
    writer.open();
    output.take();
  });

  it('opens the alternate screen with the cursor hidden, and restores both on close', () => {
    const opened = new Collected();
    const other = new TerminalFrameWriter(opened);
    other.open();
    other.close();
    expect(opened.writes).to.deep.equal([`${ESC}[?1049h${ESC}[?25l${ESC}[2J`, `${ESC}[?25h${ESC}[?1049l`]);
  });

  it('draws the first frame whole, with nothing sent for blank rows', () => {
    writer.draw(['header', '', 'row one']);
    expect(output.take()).to.deep.equal([`${row(0)}header${row(2)}row one`]);
  });

  it('sends only the rows that changed, and nothing for a frame like the last', () => {
    writer.draw(['header 1', 'a', 'b', 'footer']);
    output.take();
    writer.draw(['header 2', 'a', 'B', 'footer']);
    expect(output.take()).to.deep.equal([`${row(0)}header 2${row(2)}B`]);
    writer.draw(['header 2', 'a', 'B', 'footer']);
    expect(output.take()).to.deep.equal([]);
  });

  it('erases the rows a shorter frame no longer uses, and a row that became blank', () => {
    writer.draw(['a', 'b', 'c', 'd']);
    output.take();
    writer.draw(['a', '']);
    expect(output.take()).to.deep.equal([`${row(1)}${row(2)}${row(3)}`]);
  });

  it('draws the whole frame again on a cleared screen after invalidate (a resize)', () => {
    writer.draw(['a', 'b']);
    output.take();
    writer.invalidate();
    writer.draw(['a', 'b']);
    expect(output.take()).to.deep.equal([`${ESC}[2J`, `${row(0)}a${row(1)}b`]);
  });
});
