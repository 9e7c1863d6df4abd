import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

// A clone stands on its own: no file may point into a folder that sits beside the checkout on some
// machines (design notes and fixtures from the project's start) and on nobody else's. The pattern is
// put together from parts so that this file, which must name the folder to look for it, does not match.
const BESIDE = ['sha', 'red'].join('');
const OUTSIDE_REFERENCE = new RegExp(`\\.\\./${BESIDE}\\b|\\b${BESIDE}/(design|fixtures)\\b`);

/** `file:line: text` of every line of a tracked text file that matches. */
function referencesOutside(): string[] {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter((file) => file !== '');
  const found: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(join(ROOT, file), 'utf8');
    } catch {
      continue; // deleted in the working tree, not yet in the index
    }
    if (text.includes('\0')) continue; // binary
    text.split('\n').forEach((line, index) => {
      if (OUTSIDE_REFERENCE.test(line)) found.push(`${file}:${index + 1}: ${line.trim().slice(0, 160)}`);
    });
  }
  return found;
}

describe('The repository stands on its own', () => {
  it('the check looks at every tracked file, and knows a reference from a mere word', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n');
    expect(files).to.include.members(['test/self-contained.test.ts', 'README.md', 'package.json']);
    for (const reference of [`../${BESIDE}/fixtures/x.json`, `see ../../${BESIDE}`, `${BESIDE}/design/wire-format.md`, `(${BESIDE}/fixtures/)`]) {
      expect(OUTSIDE_REFERENCE.test(reference), reference).to.equal(true);
    }
    for (const word of [`a ${BESIDE} Redis tracking table`, `${BESIDE}/`, 'docs/wire-format.md', `un${BESIDE}/design`]) {
      expect(OUTSIDE_REFERENCE.test(word), word).to.equal(false);
    }
  });

  it(`no tracked file refers to ../${BESIDE} or to its design or fixtures folders`, () => {
    expect(referencesOutside()).to.deep.equal([]);
  });
});
