import type { HTTPTask, ProcessFigures, TrafficReport, TrafficWindowName } from '@otel-top/model';
import type { SkippedRecords } from '@otel-top/redis-exporter';
import { Box, Key, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useReducer, useRef, useState } from 'react';
import type { KeyPress, NamedKey } from './key-table.js';
import { initialLiveState, liveReducer, ScreenContext } from './live-reducer.js';
import { LiveScreen } from './live-screen.js';
import type { LiveTaskStore } from './live-task-store.js';
import { LiveViewModel } from './live-view-model.js';
import type { RequestColumns } from './requests-view-model.js';
import type { TaskFormatter } from './task-formatter.js';

/** What the live view reads from the data loop, which runs outside React. */
export interface LiveSource {
  store: LiveTaskStore;
  trackerUrl: string;
  problem(): string | undefined;
  countersProblem(): string | undefined;
  skipped(): SkippedRecords;
  /** The window of the live counters to read from now on (read at once when it changes). */
  setWindow(window: TrafficWindowName): void;
}

export interface LiveAppProps {
  source: LiveSource;
  screen: LiveScreen;
  columns: RequestColumns;
  format: TaskFormatter;
  /** Durations tick at least this often (ms). */
  refreshMillis: number;
  /** Changes in the store are drawn at most this often (ms). */
  frameMillis: number;
  /** The window of the counters to start with. */
  window: TrafficWindowName;
}

interface Snapshot {
  active: HTTPTask[];
  activeUnread: number;
  completed: HTTPTask[];
  traffic: TrafficReport | undefined;
  processes: ProcessFigures[] | undefined;
  now: Date;
}

/** Ink's flags for the keys that have a name. */
const NAMED_KEYS: ReadonlyArray<readonly [keyof Key, NamedKey]> = [
  ['return', 'Enter'],
  ['escape', 'Escape'],
  ['tab', 'Tab'],
  ['backspace', 'Backspace'],
  ['delete', 'Delete'],
  ['upArrow', 'Up'],
  ['downArrow', 'Down'],
  ['leftArrow', 'Left'],
  ['rightArrow', 'Right'],
  ['pageUp', 'PageUp'],
  ['pageDown', 'PageDown'],
];

/**
 * Ink's input as key presses. Characters typed quickly (or by a script, or
 * pasted) arrive as one chunk: one press each. Control characters, and
 * characters typed with Ctrl or Meta, are no text.
 */
export function inkKeyPresses(input: string, key: Key): KeyPress[] {
  const named = NAMED_KEYS.find(([flag]) => key[flag] === true);
  if (named !== undefined) return [{ name: named[1], text: '' }];
  if (key.ctrl || key.meta) return [];
  return [...input]
    .filter((char) => (char.codePointAt(0) ?? 0) >= 0x20 && char !== '\u007f')
    .map((char) => ({ name: char, text: char }));
}

function snapshotOf(store: LiveTaskStore): Snapshot {
  return {
    active: store.activeTasks(),
    activeUnread: store.activeUnread,
    completed: store.completedTasks(),
    traffic: store.traffic,
    processes: store.processes,
    now: new Date(),
  };
}

/** The full-screen view of `otel-top live`: state (liveReducer), redraws and key input; what is shown is LiveViewModel's, how LiveScreen's. */
export function LiveApp({ source, screen, columns, format, refreshMillis, frameMillis, window }: LiveAppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [size, setSize] = useState({ width: stdout.columns || 80, height: stdout.rows || 24 });
  const [snapshot, setSnapshot] = useState<Snapshot>(() => snapshotOf(source.store));
  const [state, dispatch] = useReducer(liveReducer, window, initialLiveState);
  const drawn = useRef({ version: source.store.version, at: Date.now() });

  useEffect(() => {
    const onResize = (): void => setSize({ width: stdout.columns || 80, height: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);

  // Redraw when the store changed (at most once a frame), and tick durations while nothing changes.
  useEffect(() => {
    if (state.paused) return undefined;
    const timer = setInterval(() => {
      const now = Date.now();
      const changed = source.store.version !== drawn.current.version;
      if (changed || now - drawn.current.at >= refreshMillis) {
        drawn.current = { version: source.store.version, at: now };
        setSnapshot(snapshotOf(source.store));
      }
    }, frameMillis);
    return () => clearInterval(timer);
  }, [state.paused, source, refreshMillis, frameMillis]);

  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit, exit]);

  useEffect(() => {
    source.setWindow(state.window);
  }, [state.window, source]);

  const model = LiveViewModel.of({
    state,
    ...snapshot,
    source: { trackerUrl: source.trackerUrl, problem: source.problem(), countersProblem: source.countersProblem(), skipped: source.skipped() },
    columns,
    format,
    rowBudget: LiveScreen.rowBudget(size.height, state.view),
  });
  const frame = screen.render(model, size);
  const onScreen: ScreenContext = {
    rowKeys: model.rowKeys,
    rows: model.rows,
    scopes: model.scopes,
    detailPage: frame.detailPage,
    detailLast: frame.detailLast,
  };

  // The reducer resolves each key in the state the previous key left, even before React redraws.
  useInput((input, key) => {
    for (const press of inkKeyPresses(input, key)) dispatch({ type: 'key', press, screen: onScreen });
  });

  return (
    <Box flexDirection="column">
      {frame.lines.map((line, index) => (
        <Text key={index} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </Box>
  );
}
