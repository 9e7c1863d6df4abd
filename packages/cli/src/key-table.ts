import type { LiveAction, ScreenContext, ViewName } from './live-reducer.js';
import { ROUTE_SORTS } from './route-list.js';
import { SORT_MODES } from './task-sorter.js';

/** The views `1`, `2` and `3` choose, by key. */
const VIEW_KEYS: ReadonlyArray<readonly [string, ViewName]> = [
  ['1', 'requests'],
  ['2', 'routes'],
  ['3', 'processes'],
];

/** Where a key applies: the main panel of a view, the request detail, the help, or while typing a filter. */
export type KeyScope = 'main' | 'detail' | 'help' | 'filter';

/** Keys that have a name rather than a character. */
export type NamedKey = 'Enter' | 'Escape' | 'Tab' | 'Backspace' | 'Delete' | 'Up' | 'Down' | 'Left' | 'Right' | 'PageUp' | 'PageDown';

/** One key press, whatever the terminal (or page) it came from. */
export interface KeyPress {
  /** A NamedKey, or the character typed. */
  readonly name: NamedKey | string;
  /** The printable character typed; '' for a named key. */
  readonly text: string;
}

/** In a binding's keys: any printable character. */
export const TYPED_TEXT = '<text>';
/** In a binding's keys: any key at all. */
export const ANY_KEY = '<any>';

/** One line of the key table. */
export interface KeyBinding {
  /** NamedKeys, characters, TYPED_TEXT or ANY_KEY. */
  readonly keys: readonly string[];
  /** How the help spells the keys. */
  readonly label: string;
  /** How the footer spells them, where shorter than the label. */
  readonly shortLabel?: string;
  /** The word in the footer; none: not in the footer. */
  readonly footer?: string;
  /** The line in the help; none: not in the help. */
  readonly help?: string;
  readonly scopes: readonly KeyScope[];
  /** The views it applies in; none: every view. */
  readonly views?: readonly ViewName[];
  action(press: KeyPress, screen: ScreenContext): LiveAction;
}

/** A key as the footer shows it. */
export interface KeyHint {
  readonly key: string;
  readonly label: string;
}

/** A key as the help lists it. */
export interface KeyHelp {
  readonly keys: string;
  readonly text: string;
}

/**
 * The keys of a full-screen view, in one table that the key handler, the
 * footer, the help screen and `--help` all read. The first binding that
 * matches in the current scope and view wins.
 */
export class KeyTable {
  constructor(readonly bindings: readonly KeyBinding[]) {}

  find(scope: KeyScope, view: ViewName, press: KeyPress): KeyBinding | undefined {
    return this.applying(scope, view).find((binding) =>
      binding.keys.some((key) => key === ANY_KEY || (key === TYPED_TEXT ? press.text !== '' : key === press.name)),
    );
  }

  /** The keys the footer names in this scope and view. */
  footer(scope: KeyScope, view: ViewName): KeyHint[] {
    return this.applying(scope, view).flatMap((binding) =>
      binding.footer === undefined ? [] : [{ key: binding.shortLabel ?? binding.label, label: binding.footer }],
    );
  }

  /** The keys of a view's main panel, as the help screen lists them. */
  help(view: ViewName): KeyHelp[] {
    return this.applying('main', view).flatMap((binding) => (binding.help === undefined ? [] : [{ keys: binding.label, text: binding.help }]));
  }

  /** One line for `--help`: `q quit, p pause, ...`. */
  summary(view: ViewName): string {
    return this.footer('main', view)
      .map((hint) => `${hint.key} ${hint.label}`)
      .join(', ');
  }

  private applying(scope: KeyScope, view: ViewName): KeyBinding[] {
    return this.bindings.filter((binding) => binding.scopes.includes(scope) && (binding.views === undefined || binding.views.includes(view)));
  }
}

/** The keys of `otel-top live`. */
export const LIVE_KEYS = new KeyTable([
  // Typing a filter: every key edits it.
  { keys: ['Enter'], label: 'Enter', footer: 'apply', scopes: ['filter'], action: () => ({ type: 'apply-filter' }) },
  { keys: ['Escape'], label: 'Esc', footer: 'cancel', scopes: ['filter'], action: () => ({ type: 'cancel-filter' }) },
  { keys: ['Backspace', 'Delete'], label: 'Backspace', scopes: ['filter'], action: () => ({ type: 'erase-filter' }) },
  { keys: [TYPED_TEXT], label: 'text', scopes: ['filter'], action: (press) => ({ type: 'type-filter', text: press.text }) },

  {
    keys: ['q'],
    label: 'q',
    footer: 'quit',
    help: 'quit (Ctrl-C too)',
    scopes: ['main', 'detail', 'help'],
    action: () => ({ type: 'quit' }),
  },
  {
    keys: ['Tab'],
    label: 'Tab',
    footer: 'view',
    help: 'next view: Requests, Routes, Processes',
    scopes: ['main'],
    action: () => ({ type: 'next-view' }),
  },
  {
    keys: VIEW_KEYS.map(([key]) => key),
    label: VIEW_KEYS.map(([key]) => key).join(' / '),
    help: 'Requests, Routes, Processes',
    scopes: ['main'],
    action: (press) => ({ type: 'show-view', view: VIEW_KEYS.find(([key]) => key === press.name)?.[1] ?? 'requests' }),
  },
  { keys: ['p'], label: 'p', footer: 'pause', help: 'pause / resume updates', scopes: ['main'], action: () => ({ type: 'toggle-pause' }) },
  {
    keys: ['w'],
    label: 'w',
    footer: 'window',
    help: 'window of the live counters (header, routes, processes): 10 s, 1 min, 5 min',
    scopes: ['main'],
    action: () => ({ type: 'next-window' }),
  },
  {
    keys: ['s'],
    label: 's',
    footer: 'sort',
    help: `cycle the sort: ${SORT_MODES.join(', ')}`,
    scopes: ['main'],
    views: ['requests'],
    action: () => ({ type: 'next-sort' }),
  },
  {
    keys: ['s'],
    label: 's',
    footer: 'sort',
    help: `cycle the sort: ${ROUTE_SORTS.join(', ')}`,
    scopes: ['main'],
    views: ['routes'],
    action: () => ({ type: 'next-sort' }),
  },
  {
    keys: ['/'],
    label: '/',
    footer: 'filter',
    help: 'filter: words matching path, route, method, status (404, 5xx), IP, host, service; Enter applies, Esc cancels',
    scopes: ['main'],
    views: ['requests'],
    action: () => ({ type: 'edit-filter' }),
  },
  {
    keys: ['Escape'],
    label: 'Esc',
    help: 'clear the filter, the route or process, and the selection',
    scopes: ['main'],
    views: ['requests'],
    action: () => ({ type: 'clear' }),
  },
  {
    keys: ['Up', 'Down'],
    label: 'Up / Down',
    shortLabel: '↑↓',
    footer: 'select',
    help: 'select a row',
    scopes: ['main'],
    action: (press, screen) => ({ type: 'move-selection', by: press.name === 'Up' ? -1 : 1, rowKeys: screen.rowKeys }),
  },
  {
    keys: ['Enter'],
    label: 'Enter',
    footer: 'detail',
    help: 'show every field of the selected request (Esc goes back)',
    scopes: ['main'],
    views: ['requests'],
    action: (_press, screen) => ({ type: 'open-detail', rows: screen.rows }),
  },
  {
    keys: ['Enter'],
    label: 'Enter',
    footer: 'requests',
    help: 'the Requests view of the selected route (Esc there shows all again)',
    scopes: ['main'],
    views: ['routes'],
    action: (_press, screen) => ({ type: 'open-requests', scopes: screen.scopes }),
  },
  {
    keys: ['Enter'],
    label: 'Enter',
    footer: 'requests',
    help: 'the Requests view of the selected process (Esc there shows all again)',
    scopes: ['main'],
    views: ['processes'],
    action: (_press, screen) => ({ type: 'open-requests', scopes: screen.scopes }),
  },
  { keys: ['?'], label: '?', footer: 'help', help: 'this help (any key closes it)', scopes: ['main'], action: () => ({ type: 'open-help' }) },

  // The request detail.
  { keys: ['Escape', 'Enter', 'Backspace', 'Left'], label: 'Esc', footer: 'back', scopes: ['detail'], action: () => ({ type: 'close-panel' }) },
  {
    keys: ['Up', 'Down'],
    label: 'Up / Down',
    shortLabel: '↑↓',
    footer: 'scroll',
    scopes: ['detail'],
    action: (press, screen) => ({ type: 'scroll-detail', by: press.name === 'Up' ? -1 : 1, last: screen.detailLast }),
  },
  {
    keys: ['PageUp', 'PageDown'],
    label: 'PgUp / PgDn',
    shortLabel: 'PgUp PgDn',
    footer: 'page',
    scopes: ['detail'],
    action: (press, screen) => ({ type: 'scroll-detail', by: press.name === 'PageUp' ? -screen.detailPage : screen.detailPage, last: screen.detailLast }),
  },

  // The help: any other key closes it.
  { keys: [ANY_KEY], label: 'any key', footer: 'close', scopes: ['help'], action: () => ({ type: 'close-panel' }) },
]);
