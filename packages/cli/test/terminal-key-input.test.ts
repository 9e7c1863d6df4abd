import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import type { KeyPress } from '../src/key-table.js';
import { readlineKeyPresses, TerminalKeyInput } from '../src/terminal-key-input.js';

/** Bytes as a terminal sends them, through node:readline's own parsing, as key presses. */
class TypedKeys {
  readonly presses: KeyPress[] = [];
  interrupts = 0;
  private readonly input: TerminalKeyInput;

  constructor(readonly stream = new PassThrough()) {
    this.input = new TerminalKeyInput(stream);
    this.input.start(
      (press) => this.presses.push(press),
      () => this.interrupts++,
    );
  }

  async type(bytes: string, count: number): Promise<KeyPress[]> {
    const from = this.presses.length;
    this.stream.write(bytes);
    // readline parses on the stream's data events; a lone Escape comes after its wait for more of a sequence.
    const deadline = Date.now() + 2_000;
    while (this.presses.length - from < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    return this.presses.slice(from);
  }

  stop(): void {
    this.input.stop();
  }
}

describe('TerminalKeyInput', () => {
  let keys: TypedKeys;
  beforeEach(() => {
    keys = new TypedKeys();
  });
  afterEach(() => keys.stop());

  it('names the keys a terminal sends as escape sequences and control characters', async () => {
    const named = async (bytes: string) => (await keys.type(bytes, 1)).map((press) => press.name);
    expect(await named('\u001b[A')).to.deep.equal(['Up']);
    expect(await named('\u001b[B')).to.deep.equal(['Down']);
    expect(await named('\u001b[D')).to.deep.equal(['Left']);
    expect(await named('\u001b[C')).to.deep.equal(['Right']);
    expect(await named('\u001b[5~')).to.deep.equal(['PageUp']);
    expect(await named('\u001b[6~')).to.deep.equal(['PageDown']);
    expect(await named('\u001b[3~')).to.deep.equal(['Delete']);
    expect(await named('\t')).to.deep.equal(['Tab']);
    expect(await named('\r')).to.deep.equal(['Enter']);
    expect(await named('\u007f')).to.deep.equal(['Backspace']);
    expect(await named('\u001b')).to.deep.equal(['Escape']);
    expect(keys.presses.every((press) => press.text === '')).to.equal(true);
  });

  it('makes one press of each character of a chunk typed at once', async () => {
    expect(await keys.type('p4 x/', 5)).to.deep.equal([
      { name: 'p', text: 'p' },
      { name: '4', text: '4' },
      { name: ' ', text: ' ' },
      { name: 'x', text: 'x' },
      { name: '/', text: '/' },
    ]);
    expect((await keys.type('Pä🇫🇮', 4)).map((press) => press.text)).to.deep.equal(['P', 'ä', '🇫', '🇮']);
  });

  it('takes Ctrl-C as an interrupt, and Ctrl or Meta combinations as no text', async () => {
    // Ctrl-A, Meta-x, then a plain key to know the others were parsed.
    expect(await keys.type('\u0001\u001bxq', 1)).to.deep.equal([{ name: 'q', text: 'q' }]);
    expect(keys.interrupts).to.equal(0);
    keys.presses.length = 0;
    await keys.type('\u0003q', 1);
    expect(keys.interrupts).to.equal(1);
    expect(keys.presses).to.deep.equal([{ name: 'q', text: 'q' }]);
  });

  it('hears nothing once stopped: what is typed then is for whoever reads next', async () => {
    keys.stop();
    keys.stream.write('q');
    const next = new TypedKeys(keys.stream);
    try {
      expect((await next.type('x', 2)).map((press) => press.name)).to.deep.equal(['q', 'x']);
      expect(keys.presses).to.deep.equal([]);
    } finally {
      next.stop();
    }
  });
});

describe('readlineKeyPresses', () => {
  it('leaves out control characters and keys readline does not describe', () => {
    expect(readlineKeyPresses('a\u0007b', undefined).map((press) => press.name)).to.deep.equal(['a', 'b']);
    expect(readlineKeyPresses(undefined, { name: 'f1' })).to.deep.equal([]);
  });
});
