// Draws frames as DOM. Every value from the tracker goes in as text (textContent), never as markup.
import type { Cell, DetailSection, DetailSpan, HeaderFigure, KeyHelp, KeyHint, Status, TitledTable } from '../page-protocol';

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== undefined) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function cellElement(tag: 'td' | 'span' | 'dd', cell: Cell, extraClass = ''): HTMLElement {
  const node = element(tag, `${cell.tone === undefined ? '' : `tone-${cell.tone}`} ${extraClass}`.trim(), cell.text);
  return node;
}

/** What a table row does when clicked. */
export interface RowActions {
  readonly selectedKey: string | undefined;
  select(key: string): void;
  open(key: string): void;
}

export class ViewRenderer {
  header(target: HTMLElement, figures: readonly HeaderFigure[]): void {
    target.replaceChildren(
      ...figures.map((figure) => {
        const item = element('span', 'figure');
        item.append(cellElement('span', figure.cell, 'figure-value'), element('span', 'figure-label', ` ${figure.label}`));
        return item;
      }),
    );
  }

  /** The tabs, where the data comes from, and what the view does to it. */
  status(target: HTMLElement, status: Status, actions: { showView(view: string): void; nextWindow(): void; nextSort(): void; clearScope(): void }): void {
    const tabs = element('span', 'tabs');
    for (const tab of status.views) {
      const button = element('button', tab.current ? 'tab current' : 'tab', `${tab.key} ${tab.title}`);
      button.type = 'button';
      button.dataset.view = tab.view;
      button.addEventListener('click', () => actions.showView(tab.view));
      tabs.append(button);
    }
    const parts: HTMLElement[] = [tabs];
    const windowButton = element('button', 'chip', `window ${status.windowLabel}`);
    windowButton.type = 'button';
    windowButton.title = 'w: the window of the live counters';
    windowButton.addEventListener('click', () => actions.nextWindow());
    parts.push(windowButton);
    if (status.sort !== undefined) {
      const sortButton = element('button', 'chip', `sort: ${status.sort}`);
      sortButton.type = 'button';
      sortButton.title = 's: the next sort';
      sortButton.addEventListener('click', () => actions.nextSort());
      parts.push(sortButton);
    }
    if (status.scope !== undefined) {
      const scope = element('button', 'chip scope', `${status.scope} ✕`);
      scope.type = 'button';
      scope.title = 'Esc: show all requests again';
      scope.addEventListener('click', () => actions.clearScope());
      parts.push(scope);
    }
    parts.push(element('span', 'tracker', `tracker ${status.trackerUrl}`));
    for (const note of status.notes) parts.push(cellElement('span', note, 'note'));
    target.replaceChildren(...parts);
  }

  table(titled: TitledTable, actions: RowActions): HTMLElement {
    const section = element('section', 'table-block');
    section.append(element('h2', undefined, titled.title));
    if (titled.emptyText !== undefined) {
      section.append(element('p', 'empty', titled.emptyText));
      return section;
    }
    const table = element('table', 'rows');
    const head = element('tr');
    for (const column of titled.table.columns) head.append(element('th', column.align === 'right' ? 'right' : undefined, column.name));
    table.append(element('thead'));
    table.tHead?.append(head);
    const body = element('tbody');
    for (const row of titled.table.rows) {
      const line = element('tr', row.key === actions.selectedKey ? 'selected' : undefined);
      line.dataset.key = row.key;
      row.cells.forEach((cell, index) => line.append(cellElement('td', cell, titled.table.columns[index]?.align === 'right' ? 'right' : '')));
      line.addEventListener('click', () => actions.select(row.key));
      line.addEventListener('dblclick', () => actions.open(row.key));
      body.append(line);
    }
    table.append(body);
    section.append(table);
    return section;
  }

  detail(title: string, sections: readonly DetailSection[], gone: boolean, back: () => void): HTMLElement {
    const block = element('section', 'detail');
    const heading = element('h2', undefined, title);
    const backButton = element('button', 'chip', '← back (Esc)');
    backButton.type = 'button';
    backButton.addEventListener('click', back);
    heading.append(' ', backButton);
    block.append(heading);
    if (gone) block.append(element('p', 'empty', 'This request is no longer in the tracker.'));
    for (const section of sections) {
      block.append(element('h3', undefined, section.title));
      if (section.kind === 'spans') {
        block.append(this.spans(section.spans));
        continue;
      }
      const list = element('dl', section.kind === 'pairs' ? 'pairs' : 'fields');
      if (section.kind === 'fields') {
        for (const field of section.fields) list.append(element('dt', undefined, field.name), cellElement('dd', field.value));
      } else if (section.pairs.length === 0) {
        list.append(element('dd', 'empty', '-'));
      } else {
        for (const [name, value] of section.pairs) list.append(element('dt', undefined, name), element('dd', undefined, value));
      }
      block.append(list);
    }
    return block;
  }

  /** The open spans as a tree: each indented under the span it runs in, its attributes under it. */
  private spans(spans: readonly DetailSpan[]): HTMLElement {
    const tree = element('ul', 'spans');
    if (spans.length === 0) tree.append(element('li', 'empty', 'nothing: the request runs its own code'));
    for (const span of spans) {
      const item = element('li', 'span');
      item.dataset.depth = String(span.depth);
      // CSSOM, which the page's Content-Security-Policy allows (a style attribute it would not).
      item.style.paddingLeft = `${span.depth * 1.5}rem`;
      const line = element('div', 'span-line');
      line.append(element('span', 'span-summary', span.summary), element('span', 'span-kind', ` (${span.kind.toLowerCase()} span "${span.name}") `), cellElement('span', span.open));
      item.append(line);
      if (span.attributes.length > 0) {
        const attributes = element('dl', 'pairs span-attributes');
        for (const [name, value] of span.attributes) attributes.append(element('dt', undefined, name), element('dd', undefined, value));
        item.append(attributes);
      }
      tree.append(item);
    }
    return tree;
  }

  footer(target: HTMLElement, keys: readonly KeyHint[], handled: ReadonlySet<string>): void {
    target.replaceChildren(
      ...keys
        .filter((hint) => handled.has(hint.key))
        .map((hint) => {
          const item = element('span', 'hint');
          item.append(element('kbd', undefined, hint.key), ` ${hint.label}`);
          return item;
        }),
    );
  }

  help(target: HTMLElement, keys: readonly KeyHelp[], unsupported: ReadonlySet<string>): void {
    const list = element('dl', 'fields');
    for (const key of keys) {
      if (unsupported.has(key.keys)) continue;
      list.append(element('dt', undefined, key.keys), element('dd', undefined, key.text));
    }
    target.replaceChildren(element('h2', undefined, 'Keys (Esc or ? closes this help)'), list, element('p', 'empty', 'Click a row to select it, double-click to open it.'));
  }
}

