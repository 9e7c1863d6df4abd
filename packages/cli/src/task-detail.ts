import type { Colors } from 'picocolors/types.js';
import type { DetailSection } from './request-detail.js';
import { MISSING } from './task-formatter.js';
import { TerminalPalette } from './terminal-palette.js';

/** Width of the field names, so that the values line up. */
const NAME_WIDTH = 22;

/** Draws the detail of one request (RequestDetail) as terminal lines: a titled block per section. */
export class TaskDetail {
  private readonly palette: TerminalPalette;

  constructor(private readonly colors: Colors) {
    this.palette = new TerminalPalette(colors);
  }

  lines(sections: readonly DetailSection[]): string[] {
    const { colors } = this;
    // Names and values come from whatever wrote the task: never raw control characters to the terminal.
    const printable = TerminalPalette.printable;
    const lines: string[] = [];
    sections.forEach((section, index) => {
      if (index > 0) lines.push('');
      lines.push(colors.bold(colors.underline(section.title)));
      if (section.kind === 'fields') {
        for (const { name, value } of section.fields) lines.push(`  ${colors.dim(name.padEnd(NAME_WIDTH))} ${this.palette.paint(value)}`);
      } else if (section.kind === 'spans') {
        if (section.spans.length === 0) lines.push(`  ${colors.dim('nothing: the request runs its own code')}`);
        // A tree: each span indented under the one it runs in, its attributes under it.
        for (const span of section.spans) {
          const indent = '  '.repeat(span.depth + 1);
          lines.push(`${indent}${printable(span.summary)} ${colors.dim(`(${span.kind.toLowerCase()} span "${printable(span.name)}")`)} ${this.palette.paint(span.open)}`);
          for (const [name, value] of span.attributes) lines.push(`${indent}    ${colors.dim(`${printable(name)}:`)} ${printable(value)}`);
        }
      } else if (section.pairs.length === 0) {
        lines.push(`  ${MISSING}`);
      } else {
        for (const [name, value] of section.pairs) lines.push(`  ${colors.dim(`${printable(name)}:`)} ${printable(value)}`);
      }
    });
    return lines;
  }
}
