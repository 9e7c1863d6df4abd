import { EVENTS, Frame, History, QUERY, Sample, Scope } from '../page-protocol';
import { DistributionChart, TimeChart } from './charts';
import { PageState } from './page-state';
import { element, ViewRenderer } from './view-renderer';

/** The footer hints of keys the page handles (the terminal's `q` quits, which a page does not). */
const HANDLED_HINTS: ReadonlySet<string> = new Set(['Tab', 'p', 'w', 's', '/', '↑↓', 'Enter', '?', 'Esc']);
const UNSUPPORTED_HELP: ReadonlySet<string> = new Set(['q']);
/** Most samples the page keeps, whatever the server's history. */
const MAX_SAMPLES = 3_600;

const rate = (value: number): string => String(Number(value.toFixed(value < 10 ? 2 : 0)));
const millis = (value: number): string => (value >= 1_000 ? `${Number((value / 1_000).toFixed(1))}s` : `${Number(value.toFixed(value < 10 ? 1 : 0))}ms`);

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

function following(list: readonly string[], current: string | undefined): string | undefined {
  if (list.length === 0) return current;
  const index = current === undefined ? -1 : list.indexOf(current);
  return list[(index + 1) % list.length];
}

/**
 * The page: one live stream for the view in its address, drawn as the
 * terminal draws it (the server computes the same model), with the
 * terminal's keys, clickable tabs and rows, and charts of the fleet and of
 * the selected route.
 */
export class LivePage {
  private state = PageState.fromLocation();
  private frame: Frame | undefined;
  private stream: EventSource | undefined;
  private samples: Sample[] = [];
  private paused = false;
  private helpOpen = false;
  /** The selected row of each view: the page's own, as in the terminal. */
  private readonly selected = new Map<string, string>();
  private readonly renderer = new ViewRenderer();
  private readonly fleetRps: TimeChart;
  private readonly fleetP95: TimeChart;
  private routeRps: TimeChart | undefined;
  private routeP95: TimeChart | undefined;
  private routeDistribution: DistributionChart | undefined;
  private readonly filter = byId<HTMLInputElement>('filter');

  constructor() {
    this.fleetRps = new TimeChart(byId('fleet-rps'), 'req/s', '#73d13d', rate);
    this.fleetP95 = new TimeChart(byId('fleet-p95'), 'p95', '#ffa940', millis);
    window.addEventListener('popstate', () => {
      this.state = PageState.fromLocation();
      this.connect();
    });
    window.addEventListener('resize', () => {
      for (const chart of [this.fleetRps, this.fleetP95, this.routeRps, this.routeP95, this.routeDistribution]) chart?.resize();
    });
    document.addEventListener('keydown', (event) => this.key(event));
    this.filter.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        this.navigate({ [QUERY.filter]: this.filter.value.trim(), [QUERY.detail]: undefined });
        this.filter.blur();
      } else if (event.key === 'Escape') {
        this.filter.value = this.state.get(QUERY.filter) ?? '';
        this.filter.blur();
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
    });
    this.connect();
  }

  /** A new view: in the address (a link to it shows the same), and a stream for it. */
  private navigate(changes: Readonly<Record<string, string | undefined>>, push = true): void {
    const next = this.state.with(changes);
    if (next.equals(this.state)) return;
    this.state = next;
    if (push) window.history.pushState(null, '', next.pageUrl());
    else window.history.replaceState(null, '', next.pageUrl());
    this.connect();
  }

  private connect(): void {
    this.stream?.close();
    this.filter.value = this.state.get(QUERY.filter) ?? '';
    const stream = new EventSource(this.state.streamUrl());
    this.stream = stream;
    this.setConnection('connecting…');
    stream.addEventListener(EVENTS.history, (event) => {
      this.samples = (JSON.parse((event as MessageEvent<string>).data) as History).samples.slice(-MAX_SAMPLES);
    });
    stream.addEventListener(EVENTS.frame, (event) => {
      const frame = JSON.parse((event as MessageEvent<string>).data) as Frame;
      this.addSample(frame.sample);
      if (this.paused) return;
      this.setConnection('live');
      this.frame = frame;
      this.render();
    });
    stream.addEventListener('error', () => this.setConnection(stream.readyState === EventSource.CLOSED ? 'disconnected: reload the page' : 'reconnecting…'));
  }

  private setConnection(text: string): void {
    const target = byId('connection');
    target.textContent = this.paused ? 'PAUSED' : text;
    target.className = this.paused ? 'connection paused' : text === 'live' ? 'connection live' : 'connection';
  }

  private addSample(sample: Sample | undefined): void {
    if (sample === undefined) return;
    const last = this.samples[this.samples.length - 1];
    if (last !== undefined && last.time >= sample.time) return;
    this.samples.push(sample);
    if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
  }

  /** The view the address asks for: a key pressed before its first frame came applies to it. */
  private get view(): string {
    const asked = this.state.get(QUERY.view);
    const views = this.frame?.choices.views ?? [];
    return asked !== undefined && views.includes(asked) ? asked : (views[0] ?? 'requests');
  }

  private render(): void {
    const { frame } = this;
    if (frame === undefined) return;
    const view = this.view;
    document.title = `otel-top · ${frame.status.views.find((tab) => tab.current)?.title ?? ''}`;
    document.body.dataset.view = view;
    document.body.dataset.panel = frame.body.panel;
    this.renderer.header(byId('figures'), frame.header);
    this.renderer.status(byId('status'), frame.status, {
      showView: (chosen) => this.navigate({ [QUERY.view]: chosen, [QUERY.detail]: undefined }),
      nextWindow: () => this.nextWindow(),
      nextSort: () => this.nextSort(),
      clearScope: () => this.clear(),
    });
    this.renderer.footer(byId('keys'), frame.keys, HANDLED_HINTS);
    const help = byId('help');
    help.hidden = !this.helpOpen;
    if (this.helpOpen) this.renderer.help(help, frame.help, UNSUPPORTED_HELP);
    byId('filter-bar').hidden = !(frame.body.panel === 'main' && frame.body.view === 'requests');

    const times = this.samples.map((sample) => sample.time);
    this.fleetRps.update(times, this.samples.map((sample) => sample.rps));
    this.fleetP95.update(times, this.samples.map((sample) => sample.p95));

    const target = byId('view');
    const { body } = frame;
    const actions = {
      selectedKey: this.selected.get(view),
      select: (key: string) => {
        this.selected.set(view, key);
        this.render();
      },
      open: (key: string) => {
        this.selected.set(view, key);
        this.open();
      },
    };
    const panel = byId('route-panel');
    panel.hidden = !(body.panel === 'main' && body.view === 'routes');
    if (body.panel === 'detail') {
      target.replaceChildren(this.renderer.detail(body.title, body.sections, body.gone, () => this.closeDetail()));
    } else if (body.view === 'requests') {
      target.replaceChildren(...body.tables.map((table) => this.renderer.table(table, actions)));
    } else if (body.view === 'processes') {
      target.replaceChildren(this.renderer.table(body.table, actions));
    } else {
      target.replaceChildren(this.renderer.table(body.table, actions), element('p', 'legend', body.legend));
      // The charts follow the selected route, else the busiest.
      const name = this.selected.get(view) ?? frame.rowKeys[0];
      const route = body.routes.find((line) => line.name === name);
      this.renderRoute(name, route?.latencyDistribution ?? [], frame.latencyBuckets, frame.status.windowLabel);
    }
  }

  private renderRoute(name: string | undefined, distribution: readonly number[], buckets: readonly string[], windowLabel: string): void {
    byId('route-title').textContent = name === undefined ? 'No route yet' : name;
    byId('route-window').textContent = `latency distribution over the last ${windowLabel}`;
    this.routeRps ??= new TimeChart(byId('route-rps'), 'req/s', '#73d13d', rate);
    this.routeP95 ??= new TimeChart(byId('route-p95'), 'p95', '#ffa940', millis);
    this.routeDistribution ??= new DistributionChart(byId('route-distribution'), buckets);
    const times = this.samples.map((sample) => sample.time);
    const figures = this.samples.map((sample) => (name === undefined ? undefined : sample.routes[name]));
    this.routeRps.update(times, figures.map((route) => route?.rps ?? null));
    this.routeP95.update(times, figures.map((route) => route?.p95 ?? null));
    this.routeDistribution.update(distribution.length === 0 ? buckets.map(() => 0) : distribution);
  }

  /** Enter on the selected row: the detail of a request, or the requests of a route or process. */
  private open(): void {
    const frame = this.frame;
    const key = this.selected.get(this.view);
    if (frame === undefined || key === undefined) return;
    if (this.view === 'requests') {
      this.navigate({ [QUERY.detail]: key });
      return;
    }
    const scope: Scope | undefined = frame.scopes.find(([rowKey]) => rowKey === key)?.[1];
    if (scope === undefined) return;
    this.selected.delete('requests');
    this.navigate({
      [QUERY.view]: 'requests',
      [QUERY.filter]: undefined,
      [QUERY.detail]: undefined,
      [QUERY.route]: scope.kind === 'route' ? scope.name : undefined,
      [QUERY.host]: scope.kind === 'process' ? scope.host : undefined,
      [QUERY.pid]: scope.kind === 'process' ? String(scope.pid) : undefined,
    });
  }

  private closeDetail(): void {
    this.navigate({ [QUERY.detail]: undefined });
  }

  /** Esc on Requests: no filter, no route or process, no selection. */
  private clear(): void {
    this.selected.delete('requests');
    this.navigate({ [QUERY.filter]: undefined, [QUERY.route]: undefined, [QUERY.host]: undefined, [QUERY.pid]: undefined });
    this.render();
  }

  private nextWindow(): void {
    const frame = this.frame;
    if (frame !== undefined) this.navigate({ [QUERY.window]: following(frame.choices.windows, frame.status.window) }, false);
  }

  private nextSort(): void {
    const frame = this.frame;
    if (frame === undefined) return;
    if (this.view === 'requests') this.navigate({ [QUERY.sort]: following(frame.choices.sorts, frame.status.sort) }, false);
    if (this.view === 'routes') this.navigate({ [QUERY.routeSort]: following(frame.choices.routeSorts, frame.status.sort) }, false);
  }

  private moveSelection(by: 1 | -1): void {
    const keys = this.frame?.rowKeys ?? [];
    if (keys.length === 0) return;
    const current = this.selected.get(this.view);
    const index = current === undefined ? -1 : keys.indexOf(current);
    const next = index === -1 ? (by > 0 ? 0 : keys.length - 1) : Math.min(keys.length - 1, Math.max(0, index + by));
    const key = keys[next];
    if (key === undefined) return;
    this.selected.set(this.view, key);
    this.render();
    document.querySelector(`tr.selected`)?.scrollIntoView({ block: 'nearest' });
  }

  /** The terminal's keys, where a page has them. */
  private key(event: KeyboardEvent): void {
    if (event.target instanceof HTMLInputElement || event.ctrlKey || event.metaKey || event.altKey) return;
    const frame = this.frame;
    if (frame === undefined) return;
    if (this.helpOpen) {
      if (event.key === 'Escape' || event.key === '?') {
        this.helpOpen = false;
        this.render();
        event.preventDefault();
      }
      return;
    }
    const detail = frame.body.panel === 'detail';
    const handled = detail ? this.detailKey(event.key) : this.mainKey(event.key, frame);
    if (handled) event.preventDefault();
  }

  private detailKey(key: string): boolean {
    if (key !== 'Escape' && key !== 'Backspace' && key !== 'ArrowLeft') return false;
    this.closeDetail();
    return true;
  }

  private mainKey(key: string, frame: Frame): boolean {
    const views = frame.choices.views;
    switch (key) {
      case 'Tab':
        this.navigate({ [QUERY.view]: following(views, this.view) });
        return true;
      case '1':
      case '2':
      case '3':
        this.navigate({ [QUERY.view]: views[Number(key) - 1] });
        return true;
      case 'w':
        this.nextWindow();
        return true;
      case 's':
        this.nextSort();
        return true;
      case 'p':
        this.paused = !this.paused;
        this.setConnection('live');
        return true;
      case '?':
        this.helpOpen = true;
        this.render();
        return true;
      case '/':
        if (this.view !== 'requests') return false;
        this.filter.focus();
        this.filter.select();
        return true;
      case 'Escape':
        if (this.view !== 'requests') return false;
        this.clear();
        return true;
      case 'ArrowUp':
        this.moveSelection(-1);
        return true;
      case 'ArrowDown':
        this.moveSelection(1);
        return true;
      case 'Enter':
        this.open();
        return true;
      default:
        return false;
    }
  }
}
