import { expect } from 'chai';
import type { Key } from 'ink';
import { inkKeyPresses } from '../src/live-app.js';

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

describe('inkKeyPresses', () => {
  it('names the keys ink flags', () => {
    const named = (flags: Partial<Key>) => inkKeyPresses('', { ...NO_KEY, ...flags });
    expect(named({ return: true })).to.deep.equal([{ name: 'Enter', text: '' }]);
    // Ink flags Escape as meta too.
    expect(named({ escape: true, meta: true })).to.deep.equal([{ name: 'Escape', text: '' }]);
    expect(named({ upArrow: true })).to.deep.equal([{ name: 'Up', text: '' }]);
    expect(named({ downArrow: true })).to.deep.equal([{ name: 'Down', text: '' }]);
    expect(named({ leftArrow: true })).to.deep.equal([{ name: 'Left', text: '' }]);
    expect(named({ pageUp: true })).to.deep.equal([{ name: 'PageUp', text: '' }]);
    expect(named({ pageDown: true })).to.deep.equal([{ name: 'PageDown', text: '' }]);
    expect(named({ backspace: true })).to.deep.equal([{ name: 'Backspace', text: '' }]);
    expect(named({ delete: true })).to.deep.equal([{ name: 'Delete', text: '' }]);
    expect(named({ tab: true })).to.deep.equal([{ name: 'Tab', text: '' }]);
  });

  it('makes one press of each character of a chunk typed at once', () => {
    expect(inkKeyPresses('p4 x', NO_KEY)).to.deep.equal([
      { name: 'p', text: 'p' },
      { name: '4', text: '4' },
      { name: ' ', text: ' ' },
      { name: 'x', text: 'x' },
    ]);
    expect(inkKeyPresses('ä🇫🇮', NO_KEY).map((press) => press.text)).to.deep.equal(['ä', '🇫', '🇮']);
  });

  it('makes no text of Ctrl or Meta combinations and of control characters', () => {
    expect(inkKeyPresses('c', { ...NO_KEY, ctrl: true })).to.deep.equal([]);
    expect(inkKeyPresses('x', { ...NO_KEY, meta: true })).to.deep.equal([]);
    expect(inkKeyPresses('a\u0007b\u007f', NO_KEY).map((press) => press.name)).to.deep.equal(['a', 'b']);
    expect(inkKeyPresses('', NO_KEY)).to.deep.equal([]);
  });
});
