import { DEFAULT_MAX_COUNTED_NAMES, maxCompletedTasks, positiveInteger } from '@otel-top/model';
import type { RedisTaskExporterConfig } from './types';

/**
 * Every default of RedisTaskExporter, in one place. The README's option
 * tables are checked against this object by a test.
 */
export const EXPORTER_DEFAULTS = {
  flushIntervalMillis: 100,
  activeAfterMillis: 100,
  completedListRefreshMillis: 1_000,
  maxQueueSize: 20_000,
  maxQueueBytes: 16 * 1024 * 1024,
  maxTaskBytes: 16_384,
  publishUpdates: 'auto',
  reportIntervalMillis: 60_000,
  heartbeatIntervalMillis: 1_000,
  deadAfterMillis: 10_000,
  cleanGhosts: true,
  commandTimeoutMillis: 5_000,
  countersIntervalMillis: 1_000,
  maxCountedNames: DEFAULT_MAX_COUNTED_NAMES,
  maxRewritesPerFlush: 100,
} as const;

/** The smallest task size cap: what the readers' columns need always fits. */
const MIN_TASK_BYTES = 4096;

/** How the exporter publishes each change on `task_updates`: always, never, or while Redis reports a subscriber. */
export type PublishMode = '1' | '0' | 'auto';

/** RedisTaskExporterConfig with every setting checked and defaulted; connection settings stay in the config. */
export interface ExporterOptions {
  maxCompletedTasks: number;
  flushIntervalMillis: number;
  /** 0: every start goes with the next flush. */
  activeAfterMillis: number;
  /** 0: no list budget. */
  completedListRefreshMillis: number;
  maxQueueSize: number;
  maxQueueBytes: number;
  /** Set by the user: a fixed batch size rather than one from the byte target. */
  maxBatchSize: number | undefined;
  maxTaskBytes: number;
  publishUpdates: boolean | 'auto';
  reportIntervalMillis: number;
  heartbeatIntervalMillis: number;
  deadAfterMillis: number;
  cleanGhosts: boolean;
  commandTimeoutMillis: number;
  countersIntervalMillis: number;
  maxCountedNames: number;
  maxRewritesPerFlush: number;
}

function millisOrZero(value: number | undefined, name: string, fallback: number): number {
  return value === 0 ? 0 : positiveInteger(value, name, fallback);
}

/** Checks and defaults the settings; a bad one is a TypeError naming it. */
export function resolveExporterOptions(config: RedisTaskExporterConfig): ExporterOptions {
  const d = EXPORTER_DEFAULTS;
  const heartbeatIntervalMillis = positiveInteger(config.heartbeatIntervalMillis, 'heartbeatIntervalMillis', d.heartbeatIntervalMillis);
  return {
    maxCompletedTasks: maxCompletedTasks(config.maxCompletedTasks),
    flushIntervalMillis: positiveInteger(config.flushIntervalMillis, 'flushIntervalMillis', d.flushIntervalMillis),
    activeAfterMillis: millisOrZero(config.activeAfterMillis, 'activeAfterMillis', d.activeAfterMillis),
    completedListRefreshMillis: millisOrZero(config.completedListRefreshMillis, 'completedListRefreshMillis', d.completedListRefreshMillis),
    maxQueueSize: positiveInteger(config.maxQueueSize, 'maxQueueSize', d.maxQueueSize),
    maxQueueBytes: positiveInteger(config.maxQueueBytes, 'maxQueueBytes', d.maxQueueBytes),
    maxBatchSize: config.maxBatchSize === undefined ? undefined : positiveInteger(config.maxBatchSize, 'maxBatchSize', 1),
    maxTaskBytes: Math.max(MIN_TASK_BYTES, positiveInteger(config.maxTaskBytes, 'maxTaskBytes', d.maxTaskBytes)),
    publishUpdates: config.publishUpdates ?? d.publishUpdates,
    reportIntervalMillis: positiveInteger(config.reportIntervalMillis, 'reportIntervalMillis', d.reportIntervalMillis),
    heartbeatIntervalMillis,
    // Dead only after two missed heartbeats at least.
    deadAfterMillis: Math.max(2 * heartbeatIntervalMillis, positiveInteger(config.deadAfterMillis, 'deadAfterMillis', d.deadAfterMillis)),
    cleanGhosts: config.cleanGhosts ?? d.cleanGhosts,
    commandTimeoutMillis: positiveInteger(config.commandTimeoutMillis, 'commandTimeoutMillis', d.commandTimeoutMillis),
    countersIntervalMillis: positiveInteger(config.countersIntervalMillis, 'countersIntervalMillis', d.countersIntervalMillis),
    maxCountedNames: positiveInteger(config.maxCountedNames, 'maxCountedNames', d.maxCountedNames),
    maxRewritesPerFlush: positiveInteger(config.maxRewritesPerFlush, 'maxRewritesPerFlush', d.maxRewritesPerFlush),
  };
}
