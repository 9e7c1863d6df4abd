import { formatWireTime, TrackingTableKeys } from '@otel-top/model';
import { CLAIM_CLEANER_SCRIPT, CLEAN_EXPORTER_SCRIPT } from './tracker-scripts';
import type { RedisClient } from './types';

interface ExporterRecord {
  seen?: unknown;
}

/** An exporter past its deadline by Redis's clock; the script checks again atomically before moving anything. */
interface Candidate {
  id: string;
  seen: number;
}

/** Most exporters looked at in one round: a fleet that died at once is cleaned over a few rounds. */
const MAX_CANDIDATES = 200;
/** Dead exporters' scripts sent together. */
const CLEANED_AT_ONCE = 32;

/**
 * Finds exporters whose heartbeat stopped (their process died without
 * shutdown) and moves their active tasks to `past_tasks` as ended without a
 * recorded result. Only the holder of the cleaner's lease runs it, and it
 * reads only the exporters past their deadline (a sorted set), so cleaning
 * costs the fleet what one look at the dead costs, not one per exporter.
 * The Lua script makes any second cleaner a no-op. Tasks of writers without
 * a heartbeat (the Python Top Framework) are never touched.
 */
export class GhostCleaner {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: TrackingTableKeys,
    private readonly maxCompletedTasks: number,
  ) {}

  /** For a reader, which has no batches to take it with: true when `id` holds the cleaner's lease now. */
  async claimLease(id: string, leaseMillis: number): Promise<boolean> {
    return Number(await CLAIM_CLEANER_SCRIPT.run(this.client, [this.keys.cleanerLease], [id, leaseMillis])) === 1;
  }

  /** Three round trips to look, and one more per CLEANED_AT_ONCE exporters past their deadline. Resolves to the number of tasks moved. */
  async clean(publish = false): Promise<number> {
    const time = await this.client.time();
    const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
    const due = await this.client.zrangebyscore(this.keys.deadlines, '-inf', now, 'LIMIT', 0, MAX_CANDIDATES);
    if (due.length === 0) return 0;
    const records = await this.client.hmget(this.keys.exporters, ...due);
    // A few at a time (ioredis sends them in one write): one by one, a group that died together waited a round
    // trip per exporter through the cleaner's event loop; all at once, Redis would run them back to back, every
    // other client waiting. Each script is atomic on its own.
    const candidates = GhostCleaner.candidates(due, records);
    let moved = 0;
    for (let start = 0; start < candidates.length; start += CLEANED_AT_ONCE) {
      const counts = await Promise.all(candidates.slice(start, start + CLEANED_AT_ONCE).map((candidate) => this.cleanExporter(candidate, publish)));
      moved += counts.reduce((sum, count) => sum + count, 0);
    }
    return moved;
  }

  /** The exporters past their deadline with the `seen` their record holds (the script compares it). */
  static candidates(ids: string[], records: Array<string | null>): Candidate[] {
    const candidates: Candidate[] = [];
    ids.forEach((id, index) => {
      const raw = records[index];
      let record: ExporterRecord = {};
      try {
        record = raw === null ? {} : (JSON.parse(raw) as ExporterRecord);
      } catch {
        // not ours to judge; the script leaves it
      }
      // A deadline without a record is left for the script to drop.
      const seen = typeof record === 'object' && record !== null && typeof record.seen === 'number' ? record.seen : 0;
      candidates.push({ id, seen });
    });
    return candidates;
  }

  private async cleanExporter(candidate: Candidate, publish: boolean): Promise<number> {
    const keys = this.keys;
    const result = await CLEAN_EXPORTER_SCRIPT.run(
      this.client,
      [
        keys.processors,
        keys.pastTasks,
        keys.exporters,
        keys.ownedTasks(candidate.id),
        keys.processes,
        keys.deadlines,
        keys.activeByStart,
      ],
      [
        keys.taskUpdates,
        candidate.id,
        String(candidate.seen),
        formatWireTime(new Date(candidate.seen)),
        this.maxCompletedTasks,
        publish ? '1' : '0',
        keys.updates,
        this.client.isCluster ? '1' : 'auto',
      ],
    );
    return Math.max(0, Number(result));
  }
}
