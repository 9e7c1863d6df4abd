import {
  counterIncrements,
  ONE_SECOND_HISTORY_SECONDS,
  SecondCounts,
  TEN_SECOND_HISTORY_SECONDS,
  TrackingTableKeys,
} from '@otel-top/model';
import type { PublishMode } from './exporter-options';
import { WRITE_BATCH_SCRIPT } from './tracker-scripts';
import type { RedisClient } from './types';

/** Seconds a counts hash outlives the history readers use, for readers a little behind. */
const COUNTS_SLACK_SECONDS = 5;

/** Everything one batch writes, as WRITE_BATCH_SCRIPT takes it. */
export interface WriteBatchRequest {
  exporterId: string;
  /** Above every earlier batch's; a retry sends the same, so Redis applies a batch at most once. */
  seq: number;
  deadAfterMillis: number;
  maxCompletedTasks: number;
  publishTaskUpdates: PublishMode;
  /** Whether to publish the batch's one message on otel-top's updates channel. */
  publishBatch: PublishMode;
  hostName: string;
  pid: number;
  /** Processor id, start (ms since the epoch), then task JSON, for every task written to `processors`. */
  active: string[];
  /** Processor id (or '' if it never was active), then task JSON (or '' if only the removal is left), per end. */
  ends: string[];
  /** Seconds of live counters that are over. */
  counters: SecondCounts[];
  /** The process's health record (encodeProcessRecord), or '' when it is not due. */
  processRecord: string;
  /** Take or renew the cleaner's lease for this long (ms); 0 for an exporter that does not clean. */
  cleanerLeaseMillis: number;
}

/** Whether Redis knew this exporter when the batch arrived. */
type Registration = 'known' | 'unknown' | 'cleaned';

export interface WriteBatchReply {
  /** false: an earlier send of this batch was applied already. */
  applied: boolean;
  /** `unknown`: Redis lost its data (or this is the first batch); `cleaned`: a cleaner took this exporter for dead. */
  registration: Registration;
  /** Ends not pushed because a cleaner had moved the task already. */
  superseded: number;
  /** task_updates subscribers as Redis reported them; undefined when not asked. */
  taskUpdateSubscribers: number | undefined;
  /** Whether this exporter holds the cleaner's lease now. */
  cleaner: boolean;
}

const REGISTRATIONS: ReadonlyArray<Registration> = ['known', 'unknown', 'cleaned'];

/** The counters as the script reads them: `#second`, then field and increment lines. */
function counterLines(counters: SecondCounts[]): string {
  const lines: string[] = [];
  for (const counts of counters) {
    lines.push(`#${counts.second}`);
    for (const [field, increment] of counterIncrements(counts)) lines.push(field, String(increment));
  }
  return lines.join('\n');
}

/** Runs WRITE_BATCH_SCRIPT with typed arguments and reply. */
export async function writeBatch(client: RedisClient, keys: TrackingTableKeys, request: WriteBatchRequest): Promise<WriteBatchReply> {
  const scriptKeys = [
    keys.processors,
    keys.pastTasks,
    keys.exporters,
    keys.ownedTasks(request.exporterId),
    keys.processes,
    keys.deadlines,
    keys.activeByStart,
    keys.cleanerLease,
  ];
  for (const { second } of request.counters) {
    scriptKeys.push(keys.countsPerSecond(second), keys.countsPerTenSeconds(second - (second % 10)));
  }
  const reply = await WRITE_BATCH_SCRIPT.run(client, scriptKeys, [
    keys.taskUpdates,
    request.exporterId,
    request.seq,
    request.deadAfterMillis,
    request.maxCompletedTasks,
    request.publishTaskUpdates,
    request.hostName,
    request.pid,
    request.active.join('\n'),
    request.ends.join('\n'),
    keys.updates,
    request.publishBatch,
    counterLines(request.counters),
    ONE_SECOND_HISTORY_SECONDS + COUNTS_SLACK_SECONDS,
    TEN_SECOND_HISTORY_SECONDS + COUNTS_SLACK_SECONDS,
    request.processRecord,
    request.cleanerLeaseMillis,
  ]);
  const [applied, state, superseded, subscribers, cleaner] = (Array.isArray(reply) ? reply : []).map(Number);
  return {
    applied: applied === 1,
    registration: REGISTRATIONS[state] ?? 'known',
    superseded: Number.isFinite(superseded) ? superseded : 0,
    taskUpdateSubscribers: subscribers >= 0 ? subscribers : undefined,
    cleaner: cleaner === 1,
  };
}
