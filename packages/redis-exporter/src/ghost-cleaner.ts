import { formatWireTime, TrackingTableKeys } from '@otel-top/model';
import { CLEAN_EXPORTER_SCRIPT } from './tracker-scripts';
import type { RedisClient } from './types';

interface ExporterRecord {
  seen?: unknown;
  dead_after?: unknown;
  cleaned_at?: unknown;
}

/** An exporter that looks dead by Redis's clock; the script checks again atomically before moving anything. */
interface Candidate {
  id: string;
  seen: number;
}

const TOMBSTONE_MILLIS = 3_600_000;
const DEFAULT_DEAD_AFTER_MILLIS = 10_000;

/**
 * Finds exporters whose heartbeat stopped (their process died without
 * shutdown) and moves their active tasks to `past_tasks` as ended without a
 * recorded result. Any live exporter and any reader can run it; the Lua script
 * makes a second cleaner a no-op. Tasks of writers without a heartbeat (the
 * Python Top Framework) are never touched.
 */
export class GhostCleaner {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: TrackingTableKeys,
    private readonly maxCompletedTasks: number,
  ) {}

  /** One round trip to look; one more per dead exporter found. Resolves to the number of tasks moved. */
  async clean(publish = false): Promise<number> {
    const [time, records] = await Promise.all([this.client.time(), this.client.hgetall(this.keys.exporters)]);
    const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
    let moved = 0;
    for (const candidate of GhostCleaner.candidates(records, now)) {
      moved += await this.cleanExporter(candidate, publish);
    }
    return moved;
  }

  /** Exporters dead for longer than their own dead_after, and tombstones old enough to remove. */
  static candidates(records: Record<string, string>, now: number): Candidate[] {
    const candidates: Candidate[] = [];
    for (const id in records) {
      let record: ExporterRecord;
      try {
        record = JSON.parse(records[id]) as ExporterRecord;
      } catch {
        continue; // not ours to judge
      }
      if (typeof record !== 'object' || record === null || typeof record.seen !== 'number') continue;
      if (typeof record.cleaned_at === 'number') {
        if (now - record.cleaned_at > TOMBSTONE_MILLIS) candidates.push({ id, seen: record.seen });
        continue;
      }
      const deadAfter = typeof record.dead_after === 'number' ? record.dead_after : DEFAULT_DEAD_AFTER_MILLIS;
      if (now - record.seen > deadAfter) candidates.push({ id, seen: record.seen });
    }
    return candidates;
  }

  private async cleanExporter(candidate: Candidate, publish: boolean): Promise<number> {
    const result = await CLEAN_EXPORTER_SCRIPT.run(
      this.client,
      [this.keys.processors, this.keys.pastTasks, this.keys.exporters, this.keys.ownedTasks(candidate.id), this.keys.processes],
      [
        this.keys.taskUpdates,
        candidate.id,
        String(candidate.seen),
        formatWireTime(new Date(candidate.seen)),
        this.maxCompletedTasks,
        publish ? '1' : '0',
        this.keys.updates,
        this.client.isCluster ? '1' : 'auto',
      ],
    );
    return Math.max(0, Number(result));
  }
}
