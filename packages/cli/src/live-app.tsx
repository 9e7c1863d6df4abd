import type { HTTPTask } from '@otel-top/model';
import type { SkippedRecords } from '@otel-top/redis-exporter';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { LiveScreen, LiveView } from './live-screen.js';
import type { LiveTaskStore } from './live-task-store.js';
import { TaskFilter } from './task-filter.js';
import { TaskSorter } from './task-sorter.js';

/** What the live view reads from the data loop, which runs outside React. */
export interface LiveSource {
  store: LiveTaskStore;
  trackerUrl: string;
  problem(): string | undefined;
  skipped(): SkippedRecords;
}

export interface LiveAppProps {
  source: LiveSource;
  screen: LiveScreen;
  /** Durations tick at least this often (ms). */
  refreshMillis: number;
  /** Changes in the store are drawn at most this often (ms). */
  frameMillis: number;
}

interface Snapshot {
  active: HTTPTask[];
  completed: HTTPTask[];
  now: Date;
}

/** State whose latest value is also in a ref, for handlers that run before the next render. */
function useSyncedState<T>(initial: T): [T, { readonly current: T }, (value: T) => void] {
  const [value, setValue] = useState(initial);
  const ref = useRef(initial);
  const set = (next: T): void => {
    ref.current = next;
    setValue(next);
  };
  return [value, ref, set];
}

/** Typed text, as opposed to control characters and escape sequences. */
function isPrintable(input: string): boolean {
  return input !== '' && [...input].every((char) => (char.codePointAt(0) ?? 0) >= 0x20 && char !== '\u007f');
}

function snapshotOf(store: LiveTaskStore): Snapshot {
  return { active: store.activeTasks(), completed: store.completedTasks(), now: new Date() };
}

/** The full-screen view of `otel-top live`: key handling and redraws; the layout is LiveScreen's. */
export function LiveApp({ source, screen, refreshMillis, frameMillis }: LiveAppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [size, setSize] = useState({ width: stdout.columns || 80, height: stdout.rows || 24 });
  const [snapshot, setSnapshot] = useState<Snapshot>(() => snapshotOf(source.store));
  const [paused, setPaused] = useState(false);
  const [sorter, setSorter] = useState(() => new TaskSorter());
  const [filter, setFilter] = useState(() => new TaskFilter(''));
  // Keys can arrive faster than React re-renders: the key handler reads these through refs, not from a stale render.
  const [filterDraft, draft, setFilterDraft] = useSyncedState<string | undefined>(undefined);
  const [panel, panelRef, setPanel] = useSyncedState<LiveView['panel']>('tables');
  const [selectedKey, setSelectedKey] = useState<string | undefined>(undefined);
  const [detailTask, setDetailTask] = useState<HTTPTask | undefined>(undefined);
  const [detailScroll, setDetailScroll] = useState(0);
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
    if (paused) return undefined;
    const timer = setInterval(() => {
      const now = Date.now();
      const changed = source.store.version !== drawn.current.version;
      if (changed || now - drawn.current.at >= refreshMillis) {
        drawn.current = { version: source.store.version, at: now };
        setSnapshot(snapshotOf(source.store));
      }
    }, frameMillis);
    return () => clearInterval(timer);
  }, [paused, source, refreshMillis, frameMillis]);

  const view: LiveView = {
    ...snapshot,
    width: size.width,
    height: size.height,
    paused,
    sorter,
    filter,
    filterDraft,
    selectedKey,
    trackerUrl: source.trackerUrl,
    problem: source.problem(),
    skipped: source.skipped(),
    panel,
    detailTask,
    detailScroll,
  };
  const frame = screen.render(view);

  useInput((input, key) => {
    const typing = draft.current;
    if (typing !== undefined) {
      if (key.return) {
        setFilter(new TaskFilter(typing));
        setFilterDraft(undefined);
        setSelectedKey(undefined);
      } else if (key.escape) {
        setFilterDraft(undefined);
      } else if (key.backspace || key.delete) {
        setFilterDraft(typing.slice(0, -1));
      } else if (!key.ctrl && !key.meta && isPrintable(input)) {
        setFilterDraft(typing + input);
      }
      return;
    }
    // Keys typed quickly (or by a script) can arrive as one chunk: take them one by one.
    const typed = key.ctrl || key.meta ? [] : [...input];
    if (typed.includes('q')) {
      exit();
      return;
    }
    if (panelRef.current === 'help') {
      setPanel('tables');
      return;
    }
    if (panelRef.current === 'detail') {
      const page = Math.max(1, size.height - 4);
      const last = Math.max(0, frame.detailLength - page);
      const scroll = (by: number): void => setDetailScroll((was) => Math.min(last, Math.max(0, was + by)));
      if (key.escape || key.return || key.backspace || key.leftArrow) setPanel('tables');
      else if (key.upArrow) scroll(-1);
      else if (key.downArrow) scroll(1);
      else if (key.pageUp) scroll(-page);
      else if (key.pageDown) scroll(page);
      return;
    }
    for (const command of typed) {
      if (command === 'p') setPaused((was) => !was);
      else if (command === 's') setSorter((was) => was.next());
      else if (command === '?') {
        setPanel('help');
        return;
      }
      else if (command === '/') {
        setFilterDraft(filter.query);
        return;
      }
    }
    if (key.escape) {
      setFilter(new TaskFilter(''));
      setSelectedKey(undefined);
    } else if (key.upArrow || key.downArrow) {
      const keys = frame.rowKeys;
      if (keys.length === 0) return;
      setSelectedKey((was) => {
        const current = was === undefined ? -1 : keys.indexOf(was);
        const next = current === -1 ? (key.downArrow ? 0 : keys.length - 1) : current + (key.downArrow ? 1 : -1);
        return keys[Math.min(keys.length - 1, Math.max(0, next))];
      });
    } else if (key.return && selectedKey !== undefined) {
      const task = frame.rows.get(selectedKey);
      if (task !== undefined) {
        setDetailTask(task);
        setDetailScroll(0);
        setPanel('detail');
      }
    }
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
