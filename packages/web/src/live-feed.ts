import { LiveTaskStore } from '@otel-top/cli/view-model';
import type { TaskReader, TrafficReport, TrafficWindowName } from '@otel-top/model';
import { SAMPLE_WINDOW, TrafficHistory } from './traffic-history.js';

export interface LiveFeedOptions {
  refreshMillis: number;
  activePage: number;
  lingerMillis: number;
  historySeconds: number;
  historyRoutes: number;
  /** The counters' windows the open pages show now; SAMPLE_WINDOW is read in any case, for the charts. */
  windowsWanted(): Iterable<TrafficWindowName>;
}

/**
 * The one reader loop behind every open page: while at least one is open, it
 * reads the tracking table once per refresh (the longest-running active
 * tasks, the completed ones, the live counters of the windows shown, the
 * processes) and follows the writers' updates on one subscription, into one
 * LiveTaskStore, as `otel-top live` does. However many pages are open, the
 * tracker and its writers see one viewer. A while after the last page
 * closed it stops reading and unsubscribes, so an idle server costs nothing.
 */
export class LiveFeed {
  readonly store = new LiveTaskStore();
  readonly history: TrafficHistory;
  private readonly traffic = new Map<TrafficWindowName, TrafficReport>();
  private readonly listeners = new Set<() => void>();
  private running = false;
  private reading = false;
  private timer: NodeJS.Timeout | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private refreshCount = 0;
  /** Why the latest read of the tasks failed, while it fails. */
  problem: string | undefined;
  /** Why the latest read of the counters or the processes failed, while it fails. */
  countersProblem: string | undefined;

  constructor(
    private readonly reader: TaskReader,
    private readonly options: LiveFeedOptions,
  ) {
    this.history = new TrafficHistory(options.historySeconds, options.historyRoutes, 3 * options.refreshMillis);
  }

  /** Reads of the tracking table so far. */
  get refreshes(): number {
    return this.refreshCount;
  }

  /** Subscriptions to the writers' updates open now. */
  get subscriptions(): number {
    return this.unsubscribe === undefined ? 0 : 1;
  }

  /** The live counters over a window, as the latest read found them; undefined until one read them. */
  trafficOf(window: TrafficWindowName): TrafficReport | undefined {
    return this.traffic.get(window);
  }

  /** Calls `listener` after every change; resolves to the function that detaches it. The first one starts the loop. */
  attach(listener: () => void): () => void {
    this.listeners.add(listener);
    if (this.lingerTimer !== undefined) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.start();
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      this.lingerTimer = setTimeout(() => void this.stop(), this.options.lingerMillis);
      this.lingerTimer.unref();
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    if (this.lingerTimer !== undefined) clearTimeout(this.lingerTimer);
    await this.stop();
  }

  private start(): void {
    if (this.running) return;
    this.running = true;
    this.timer = setInterval(() => void this.reload(), this.options.refreshMillis);
    void this.reload();
    this.reader
      // Each period's updates as one, twice a refresh: decoding every flush of a busy fleet is most of what following it costs.
      .subscribe(
        (update) => {
          this.store.apply(update);
          this.notify();
        },
        { batchMillis: this.options.refreshMillis / 2 },
      )
      .then(
        async (unsubscribe) => {
          if (this.running) this.unsubscribe = unsubscribe;
          else await unsubscribe();
        },
        (error: unknown) => {
          // The refreshes go on; they say what is wrong with the tracker.
          this.countersProblem ??= `no live updates: ${(error as Error).message}`;
        },
      );
  }

  private async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    await unsubscribe?.().catch(() => undefined);
  }

  private async reload(): Promise<void> {
    // One read at a time: a slow tracker gets no pile of reads.
    if (this.reading || !this.running) return;
    this.reading = true;
    try {
      const windows = [...new Set<TrafficWindowName>([SAMPLE_WINDOW, ...this.options.windowsWanted()])];
      const { reader } = this;
      const [tasks, processes, ...traffic] = await Promise.allSettled([
        Promise.all([reader.getActiveTasksPage(this.options.activePage), reader.getCompletedTasks()]),
        reader.getProcesses(),
        ...windows.map((window) => reader.getTraffic(window)),
      ]);
      if (tasks.status === 'fulfilled') {
        const [page, completed] = tasks.value;
        this.store.replace(page.tasks, completed, page.total);
        this.problem = undefined;
      } else {
        this.problem = (tasks.reason as Error).message;
      }
      const failed = [processes, ...traffic].find((result) => result.status === 'rejected');
      this.countersProblem = failed === undefined || tasks.status === 'rejected' ? undefined : (failed.reason as Error).message;
      traffic.forEach((result, index) => {
        const window = windows[index];
        if (result.status === 'fulfilled' && window !== undefined) this.traffic.set(window, result.value);
      });
      const sampled = traffic[0];
      if (sampled?.status === 'fulfilled') this.history.add(sampled.value, Date.now());
      this.store.replaceFigures(undefined, processes.status === 'fulfilled' ? processes.value : this.store.processes);
      this.refreshCount++;
    } finally {
      this.reading = false;
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
