import type { TrafficReport, TrafficWindowName } from '@otel-top/model';
import { ProcessLine, RUNNING_STATES } from './process-list.js';

/** Index of the 4xx class in RouteFigures.statusClasses. */
const CLIENT_ERROR_CLASS = 4;

/** What the header line says about the whole fleet. */
export interface FleetFigures {
  /** Hosts of the running processes. */
  readonly hosts: number;
  /** Running processes: alive or late by their heartbeat, or writing tasks without one. */
  readonly processes: number;
  /** Processes whose heartbeat stopped and whose requests are not yet cleaned up. */
  readonly deadProcesses: number;
  /** Active requests in the tracking table. */
  readonly active: number;
  /** The window of the figures below; undefined while no counters were read. */
  readonly window: TrafficWindowName | undefined;
  readonly requestsPerSecond: number | undefined;
  /** Share of requests that failed: 5xx or no response (0..1). */
  readonly errorShare: number | undefined;
  /** Share of requests answered 4xx (0..1). */
  readonly clientErrorShare: number | undefined;
  readonly p50: number | undefined;
  readonly p95: number | undefined;
  readonly p99: number | undefined;
  /** The worst event-loop delay p99 of the running processes (ms). */
  readonly worstLoopDelayMillis: number | undefined;
}

/**
 * The header's figures: processes and hosts from the heartbeats (and the
 * writers without one), traffic from the live counters, exact at any rate.
 */
export class FleetSummary {
  static of(processes: readonly ProcessLine[], active: number, traffic: TrafficReport | undefined): FleetFigures {
    const running = processes.filter((line) => RUNNING_STATES.has(line.state));
    const delays = running.map((line) => line.figures?.eventLoopDelayP99Millis).filter((value): value is number => value !== undefined);
    const total = traffic?.total;
    const clientErrors = total?.statusClasses[CLIENT_ERROR_CLASS] ?? 0;
    return {
      hosts: new Set(running.map((line) => line.host)).size,
      processes: running.length,
      deadProcesses: processes.filter((line) => line.state === 'dead').length,
      active,
      window: traffic?.window,
      requestsPerSecond: total?.rps,
      errorShare: total?.errorShare,
      clientErrorShare: total === undefined || total.count === 0 ? undefined : clientErrors / total.count,
      p50: total?.p50Millis,
      p95: total?.p95Millis,
      p99: total?.p99Millis,
      worstLoopDelayMillis: delays.length === 0 ? undefined : Math.max(...delays),
    };
  }
}
