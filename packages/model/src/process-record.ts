import type { RouteFigures } from './route-figures';
import { TRAFFIC_WINDOW_NAMES, TrafficWindowName } from './traffic-window';
import { formatWireTime, parseWireTime } from './wire-time';

/** A process's own traffic over one window, as its exporter counted it. */
export interface ProcessTraffic {
  count: number;
  errors: number;
  rps: number;
  p50Millis: number | undefined;
  p95Millis: number | undefined;
  p99Millis: number | undefined;
}

/** What tracking itself did, from the exporter's stats. */
export interface TrackingFigures {
  queued: number;
  dropped: number;
  failed: number;
  trimmed: number;
}

/**
 * The health of one process with an otel-top exporter, as its heartbeat
 * record in Redis holds it (docs/wire-format.md, `otel_top:processes`). All
 * of it is measured once per heartbeat, never per request.
 */
export interface ProcessRecord {
  host: string;
  pid: number;
  service: string | null;
  serviceVersion: string | null;
  nodeVersion: string | null;
  startedAt: Date | null;
  heartbeatIntervalMillis: number;
  deadAfterMillis: number;
  /** Requests in flight: started and not ended, written to `processors` yet or not. */
  inFlight: number;
  traffic: Record<TrafficWindowName, ProcessTraffic>;
  /** Event-loop delay over the last heartbeat interval (perf_hooks.monitorEventLoopDelay). */
  eventLoopDelayP99Millis: number | undefined;
  eventLoopDelayMaxMillis: number | undefined;
  /** CPU time over wall time since the last heartbeat: 1 is one core busy. */
  cpuShare: number | undefined;
  rssBytes: number | undefined;
  heapUsedBytes: number | undefined;
  heapTotalBytes: number | undefined;
  tracking: TrackingFigures;
  /** When Redis last received the record, by Redis's clock (ms since the epoch); written by the script. */
  seen: number | undefined;
}

const MAX_NAME_LENGTH = 256;

function capped(value: string | null): string | null {
  return value === null ? null : value.slice(0, MAX_NAME_LENGTH);
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value.slice(0, MAX_NAME_LENGTH) : null;
}

function object(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A process's traffic from the figures of its own counters. */
export function processTraffic(figures: RouteFigures): ProcessTraffic {
  const { count, errors, rps, p50Millis, p95Millis, p99Millis } = figures;
  return { count, errors, rps, p50Millis, p95Millis, p99Millis };
}

/**
 * Decimal places a record's fractional figures are written with: a
 * microsecond for times, a thousandth of a request a second, a hundredth of a
 * percent of a core. A fleet's thousand records are read on every refresh, and
 * full-precision doubles were some 15% of their bytes.
 */
const MILLIS_DECIMALS = 3;
const RATE_DECIMALS = 3;
const CPU_SHARE_DECIMALS = 4;

/** A figure as the wire holds it: rounded, or `null` when not measured. */
function rounded(value: number | undefined, decimals: number): number | null {
  if (value === undefined) return null;
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

const NO_TRAFFIC: ProcessTraffic = { count: 0, errors: 0, rps: 0, p50Millis: undefined, p95Millis: undefined, p99Millis: undefined };

/** The record as its wire object (snake_case), without `seen`: the script adds Redis's time. */
export function processRecordToWire(record: ProcessRecord): Record<string, unknown> {
  const traffic: Record<string, unknown> = {};
  for (const window of TRAFFIC_WINDOW_NAMES) {
    const figures = record.traffic[window];
    traffic[window] = {
      count: figures.count,
      errors: figures.errors,
      rps: rounded(figures.rps, RATE_DECIMALS),
      p50_ms: rounded(figures.p50Millis, MILLIS_DECIMALS),
      p95_ms: rounded(figures.p95Millis, MILLIS_DECIMALS),
      p99_ms: rounded(figures.p99Millis, MILLIS_DECIMALS),
    };
  }
  return {
    host: capped(record.host),
    pid: record.pid,
    service: capped(record.service),
    service_version: capped(record.serviceVersion),
    node_version: capped(record.nodeVersion),
    started_at: record.startedAt === null ? null : formatWireTime(record.startedAt),
    heartbeat_interval_ms: record.heartbeatIntervalMillis,
    dead_after_ms: record.deadAfterMillis,
    in_flight: record.inFlight,
    traffic,
    event_loop_delay_p99_ms: rounded(record.eventLoopDelayP99Millis, MILLIS_DECIMALS),
    event_loop_delay_max_ms: rounded(record.eventLoopDelayMaxMillis, MILLIS_DECIMALS),
    cpu_share: rounded(record.cpuShare, CPU_SHARE_DECIMALS),
    rss_bytes: record.rssBytes ?? null,
    heap_used_bytes: record.heapUsedBytes ?? null,
    heap_total_bytes: record.heapTotalBytes ?? null,
    tracking: record.tracking,
  };
}

/** The record's JSON, as an exporter writes it (without `seen`). */
export function encodeProcessRecord(record: ProcessRecord): string {
  return JSON.stringify(processRecordToWire(record));
}

/** Reads a record's wire object tolerantly: a field missing or of the wrong type reads as unknown; not an object throws. */
export function processRecordFromWire(parsed: unknown): ProcessRecord {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('a process record must be a JSON object');
  const wire = parsed as Record<string, unknown>;
  const traffic = {} as Record<TrafficWindowName, ProcessTraffic>;
  const trafficWire = object(wire.traffic);
  for (const window of TRAFFIC_WINDOW_NAMES) {
    const figures = object(trafficWire[window]);
    traffic[window] =
      Object.keys(figures).length === 0
        ? NO_TRAFFIC
        : {
            count: num(figures.count) ?? 0,
            errors: num(figures.errors) ?? 0,
            rps: num(figures.rps) ?? 0,
            p50Millis: num(figures.p50_ms),
            p95Millis: num(figures.p95_ms),
            p99Millis: num(figures.p99_ms),
          };
  }
  const tracking = object(wire.tracking);
  let started: Date | null = null;
  try {
    started = typeof wire.started_at === 'string' ? parseWireTime(wire.started_at, 'started_at') : null;
  } catch {
    started = null;
  }
  return {
    host: str(wire.host) ?? '',
    pid: num(wire.pid) ?? 0,
    service: str(wire.service),
    serviceVersion: str(wire.service_version),
    nodeVersion: str(wire.node_version),
    startedAt: started,
    heartbeatIntervalMillis: num(wire.heartbeat_interval_ms) ?? 1_000,
    deadAfterMillis: num(wire.dead_after_ms) ?? 10_000,
    inFlight: num(wire.in_flight) ?? 0,
    traffic,
    eventLoopDelayP99Millis: num(wire.event_loop_delay_p99_ms),
    eventLoopDelayMaxMillis: num(wire.event_loop_delay_max_ms),
    cpuShare: num(wire.cpu_share),
    rssBytes: num(wire.rss_bytes),
    heapUsedBytes: num(wire.heap_used_bytes),
    heapTotalBytes: num(wire.heap_total_bytes),
    tracking: {
      queued: num(tracking.queued) ?? 0,
      dropped: num(tracking.dropped) ?? 0,
      failed: num(tracking.failed) ?? 0,
      trimmed: num(tracking.trimmed) ?? 0,
    },
    seen: num(wire.seen),
  };
}

export function decodeProcessRecord(json: string): ProcessRecord {
  return processRecordFromWire(JSON.parse(json));
}

/**
 * Whether a process is alive: `late` once its heartbeat is more than a few
 * intervals overdue (a blocked event loop shows so before it is declared
 * dead), `dead` past its own dead-after time, `cleaned` once a cleaner moved
 * its requests away.
 */
export type ProcessState = 'alive' | 'late' | 'dead' | 'cleaned';

/** Intervals a heartbeat may be overdue before the process shows as late. */
export const LATE_AFTER_HEARTBEATS = 2.5;

export function processState(heartbeatAgeMillis: number, record: Pick<ProcessRecord, 'heartbeatIntervalMillis' | 'deadAfterMillis'>, cleaned: boolean): ProcessState {
  if (cleaned) return 'cleaned';
  if (heartbeatAgeMillis > record.deadAfterMillis) return 'dead';
  return heartbeatAgeMillis > LATE_AFTER_HEARTBEATS * record.heartbeatIntervalMillis ? 'late' : 'alive';
}

/** A process as a reader sees it: its record, how old its heartbeat is, and what that means. */
export interface ProcessFigures extends ProcessRecord {
  /** The exporter's id: `host:pid:random`. */
  id: string;
  heartbeatAgeMillis: number;
  state: ProcessState;
}

const PROCESS_STATES: ReadonlyArray<ProcessState> = ['alive', 'late', 'dead', 'cleaned'];

/**
 * A process as JSON for scripts and the tracker endpoint: its record's wire
 * fields, plus `id`, `seen`, `heartbeat_age_ms`, `state`, and the figures
 * most asked for at the top: `active` (requests in flight), `rps` and
 * `errors` (over the last 10 s).
 */
export function processFiguresToWire(figures: ProcessFigures): Record<string, unknown> {
  return {
    id: figures.id,
    ...processRecordToWire(figures),
    active: figures.inFlight,
    rps: rounded(figures.traffic['10s'].rps, RATE_DECIMALS),
    errors: figures.traffic['10s'].errors,
    seen: figures.seen ?? null,
    heartbeat_age_ms: figures.heartbeatAgeMillis,
    state: figures.state,
  };
}

export function processFiguresFromWire(value: unknown): ProcessFigures {
  const record = processRecordFromWire(value);
  const wire = value as Record<string, unknown>;
  const state = PROCESS_STATES.find((known) => known === wire.state) ?? 'alive';
  return Object.assign(record, { id: str(wire.id) ?? '', heartbeatAgeMillis: num(wire.heartbeat_age_ms) ?? 0, state });
}
