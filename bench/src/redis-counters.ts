import type { Redis } from 'ioredis';

/** Redis's own counters at one moment (INFO stats, cpu, commandstats). */
export interface RedisSnapshot {
  calls: Map<string, number>;
  readsProcessed: number;
  writesProcessed: number;
  cpuSeconds: number;
}

/** What Redis did between two snapshots. */
export interface RedisWork {
  /** Calls per command, without the benchmark's own INFO. */
  calls: Record<string, number>;
  /** Calls of commands that touch the tracking table (everything but MULTI, EXEC and connection housekeeping). */
  dataCommands: number;
  /** EXEC calls: transactions. */
  transactions: number;
  /** Read events on client connections (a large batch needs several). */
  readEvents: number;
  writeEvents: number;
  /** used_cpu_user + used_cpu_sys. */
  cpuSeconds: number;
}

/** Not tracking work: transaction brackets and what clients say when they connect or the benchmark asks. */
const NOT_DATA = new Set(['multi', 'exec', 'info', 'select', 'hello', 'ping', 'quit', 'client|setname', 'client|setinfo', 'subscribe', 'unsubscribe']);

function field(info: string, name: string): number {
  const match = new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info);
  if (match === null) throw new Error(`INFO has no ${name}`);
  return Number(match[1]);
}

/** Reads Redis's counters through a client of the benchmark's own. */
export class RedisCounters {
  constructor(private readonly client: Redis) {}

  async snapshot(): Promise<RedisSnapshot> {
    const info = await this.client.info('stats', 'cpu', 'commandstats');
    const calls = new Map<string, number>();
    for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1], Number(match[2]));
    return {
      calls,
      readsProcessed: field(info, 'total_reads_processed'),
      writesProcessed: field(info, 'total_writes_processed'),
      cpuSeconds: field(info, 'used_cpu_user') + field(info, 'used_cpu_sys'),
    };
  }

  /** The work between `before` and `after`, less the one INFO that took `after`. */
  static between(before: RedisSnapshot, after: RedisSnapshot): RedisWork {
    const calls: Record<string, number> = {};
    let dataCommands = 0;
    for (const [name, count] of after.calls) {
      const delta = count - (before.calls.get(name) ?? 0) - (name === 'info' ? 1 : 0);
      if (delta <= 0) continue;
      calls[name] = delta;
      if (!NOT_DATA.has(name)) dataCommands += delta;
    }
    return {
      calls,
      dataCommands,
      transactions: calls.exec ?? 0,
      readEvents: after.readsProcessed - before.readsProcessed - 1,
      writeEvents: after.writesProcessed - before.writesProcessed - 1,
      cpuSeconds: after.cpuSeconds - before.cpuSeconds,
    };
  }
}
