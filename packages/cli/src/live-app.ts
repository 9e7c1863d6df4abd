import type { HTTPTask, ProcessFigures, TrafficReport, TrafficWindowName } from '@otel-top/model';
import type { SkippedRecords } from '@otel-top/redis-exporter';
import type { KeyPress } from './key-table.js';
import { initialLiveState, LiveState, liveReducer, ScreenContext } from './live-reducer.js';
import { LiveScreen, ScreenSize } from './live-screen.js';
import type { LiveTaskStore } from './live-task-store.js';
import { LiveViewModel } from './live-view-model.js';
import type { RequestColumns } from './requests-view-model.js';
import type { TaskFormatter } from './task-formatter.js';
import type { TerminalFrameWriter } from './terminal-frame-writer.js';

/** What the live view reads from the data loop, which runs beside it. */
export interface LiveSource {
  store: LiveTaskStore;
  trackerUrl: string;
  problem(): string | undefined;
  countersProblem(): string | undefined;
  /** Why there are no live updates, when subscribing failed. */
  updatesProblem?(): string | undefined;
  skipped(): SkippedRecords;
  /** The window of the live counters to read from now on (read at once when it changes). */
  setWindow(window: TrafficWindowName): void;
}

export interface LiveAppOptions {
  source: LiveSource;
  screen: LiveScreen;
  columns: RequestColumns;
  format: TaskFormatter;
  /** Durations tick at least this often (ms). */
  refreshMillis: number;
  /** Changes in the store are drawn at most this often (ms). */
  frameMillis: number;
  /** Keys are answered with a new frame at most this often (ms). */
  keyFrameMillis: number;
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

/**
 * The full-screen view of `otel-top live`: its state (liveReducer), when it
 * redraws, and keys. What is shown is LiveViewModel's, how LiveScreen's; the
 * frames go to a TerminalFrameWriter, which sends only the lines that changed.
 */
export class LiveApp {
  private state: LiveState;
  private snapshot: Snapshot;
  private size: ScreenSize;
  /** The store's version and the time of the snapshot on screen. */
  private drawnVersion: number;
  private drawnAt = 0;
  /** What the keys act on: the rows of the frame on screen. */
  private onScreen: ScreenContext = { rowKeys: [], rows: new Map(), scopes: new Map(), detailPage: 1, detailLast: 0 };
  private dataTimer: NodeJS.Timeout | undefined;
  private keyFrame: NodeJS.Timeout | undefined;
  private lastFrameAt = 0;
  private finished: (() => void) | undefined;
  private readonly done: Promise<void>;

  constructor(
    private readonly options: LiveAppOptions,
    private readonly writer: TerminalFrameWriter,
    size: ScreenSize,
  ) {
    this.state = initialLiveState(options.window);
    this.snapshot = snapshotOf(options.source.store);
    this.drawnVersion = options.source.store.version;
    this.size = size;
    this.done = new Promise((resolve) => {
      this.finished = resolve;
    });
  }

  /** Draws the first frame and follows the store; resolves once `q` (or stop) ended it. */
  run(): Promise<void> {
    this.draw();
    this.followStore();
    return this.done;
  }

  /** Each key is resolved in the state the previous one left, however fast they come; the frame follows. */
  press(press: KeyPress): void {
    const before = this.state;
    this.state = liveReducer(this.state, { type: 'key', press, screen: this.onScreen });
    if (this.state === before) return;
    if (this.state.quit) {
      this.stop();
      return;
    }
    if (this.state.window !== before.window) this.options.source.setWindow(this.state.window);
    if (this.state.paused !== before.paused) this.followStore();
    this.drawSoon();
  }

  resize(size: ScreenSize): void {
    this.size = size;
    this.writer.invalidate();
    this.draw();
  }

  stop(): void {
    this.clearTimers();
    this.finished?.();
    this.finished = undefined;
  }

  /** Redraw when the store changed (at most once a frame), and tick durations while nothing changes; never while paused. */
  private followStore(): void {
    if (this.dataTimer !== undefined) clearInterval(this.dataTimer);
    this.dataTimer = undefined;
    if (this.state.paused || this.finished === undefined) return;
    this.dataTimer = setInterval(() => {
      const { store } = this.options.source;
      if (store.version !== this.drawnVersion || Date.now() - this.drawnAt >= this.options.refreshMillis) {
        this.snapshot = snapshotOf(store);
        this.drawnVersion = store.version;
        this.drawnAt = Date.now();
        this.draw();
      }
    }, this.options.frameMillis);
  }

  /** A frame for the keys pressed: the keys of one chunk are drawn once, and frames come at most once per keyFrameMillis. */
  private drawSoon(): void {
    if (this.keyFrame !== undefined) return;
    const wait = Math.max(0, this.lastFrameAt + this.options.keyFrameMillis - Date.now());
    this.keyFrame = setTimeout(() => {
      this.keyFrame = undefined;
      this.draw();
    }, wait);
  }

  private draw(): void {
    if (this.finished === undefined) return;
    const { source, columns, format, screen } = this.options;
    const model = LiveViewModel.of({
      state: this.state,
      ...this.snapshot,
      source: { trackerUrl: source.trackerUrl, problem: source.problem(), countersProblem: source.countersProblem(), updatesProblem: source.updatesProblem?.(), skipped: source.skipped() },
      columns,
      format,
      rowBudget: LiveScreen.rowBudget(this.size.height, this.state.view),
    });
    const frame = screen.render(model, this.size);
    this.onScreen = { rowKeys: model.rowKeys, rows: model.rows, scopes: model.scopes, detailPage: frame.detailPage, detailLast: frame.detailLast };
    this.writer.draw(frame.lines);
    this.lastFrameAt = Date.now();
  }

  private clearTimers(): void {
    if (this.dataTimer !== undefined) clearInterval(this.dataTimer);
    if (this.keyFrame !== undefined) clearTimeout(this.keyFrame);
    this.dataTimer = undefined;
    this.keyFrame = undefined;
  }
}
