import { expect } from 'chai';
import pc from 'picocolors';
import stringWidth from 'string-width';
import { TerminalText } from '../src/terminal-text.js';

const painted = pc.createColors(true);
// eslint-disable-next-line no-control-regex -- the escape character is what starts a colour sequence
const stripAnsi = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '');
const SAMPLES = ['GET /api/orders/:id', 'Café crème', '↑↓ select ─ …', '注文一覧のページ', '🇫🇮 FI Helsinki', 'e\u0301te\u0301', 'a👩‍💻b', ''];

describe('TerminalText', () => {
  it('measures as string-width does: wide characters two columns, colours none', () => {
    for (const text of SAMPLES) {
      expect(TerminalText.width(text), text).to.equal(stringWidth(text));
      expect(TerminalText.width(painted.bold(text)), text).to.equal(stringWidth(text));
    }
  });

  it('counts one column for each character of the ranges it measures without string-width, as string-width does', () => {
    const ranges = [[0x20, 0x7e], [0xa0, 0xac], [0xae, 0x2ff], [0x2010, 0x2027], [0x2030, 0x205e], [0x2190, 0x21ff], [0x2200, 0x22ff], [0x2500, 0x259f]];
    for (const [first, last] of ranges) {
      const all = Array.from({ length: last - first + 1 }, (_, index) => String.fromCodePoint(first + index)).join('');
      expect(TerminalText.width(all)).to.equal(stringWidth(all));
      expect(TerminalText.width(all)).to.equal(all.length);
    }
    // Just outside them, string-width decides: a soft hyphen, a combining accent, a zero-width joiner.
    for (const text of ['a\u00adb', 'e\u0301', 'a\u200db']) expect(TerminalText.width(text), text).to.equal(stringWidth(text));
  });

  it('leaves text that fits as it is', () => {
    expect(TerminalText.truncate('GET /api', 8)).to.equal('GET /api');
    const line = `${painted.bold('Active')} ${painted.red('500')}`;
    expect(TerminalText.truncateLine(line, 10)).to.equal(line);
  });

  it('cuts text to exactly the width, the ellipsis included, never splitting a character', () => {
    expect(TerminalText.truncate('GET /api/orders/:id', 10)).to.equal('GET /api/…');
    for (const text of SAMPLES) {
      for (let width = 1; width <= stringWidth(text); width++) {
        const cut = TerminalText.truncate(text, width);
        expect(stringWidth(cut), `${text} at ${width}`).to.be.at.most(width);
        // A wide character that does not fit leaves one column blank rather than overflowing.
        expect(stringWidth(cut), `${text} at ${width}`).to.be.at.least(width - 1);
        if (stringWidth(text) > width) expect(cut.endsWith('…'), `${text} at ${width}`).to.equal(true);
        expect(text.startsWith(cut.replace(/…$/, '')), `${text} at ${width}`).to.equal(true);
      }
    }
    expect(TerminalText.truncate('注文一覧', 5)).to.equal('注文…');
    expect(TerminalText.truncate('anything', 0)).to.equal('');
  });

  it('cuts a painted line by what shows, keeps its colours up to the cut and resets after the ellipsis', () => {
    const line = `${painted.bold('Requests')} ${painted.red('500 errors')} ${painted.dim('since 10:00')}`;
    const cut = TerminalText.truncateLine(line, 15);
    expect(stripAnsi(cut)).to.equal('Requests 500 e…');
    expect(cut.startsWith(painted.bold('Requests'))).to.equal(true);
    expect(cut).to.include('\x1b[31m500 e');
    expect(cut.endsWith('…\x1b[0m')).to.equal(true);
    for (let width = 1; width < stringWidth(line); width++) expect(stringWidth(TerminalText.truncateLine(line, width))).to.equal(width);
    expect(TerminalText.truncateLine(`${painted.bold('注文')}一覧`, 4)).to.equal('\x1b[1m注…\x1b[0m');
  });

  it('cuts a line without colours without adding any', () => {
    expect(TerminalText.truncateLine('Active HTTP requests (12)', 12)).to.equal('Active HTTP…');
  });
});
