/**
 * The exporters' own bookkeeping beside the tracking table: a hash of
 * exporter records (heartbeat, batch sequence) and, per exporter, the set of
 * processor ids it has in `processors`. Same prefix as the table, so a hash
 * tag keeps them in its Cluster slot. The Python reader never looks at them.
 */
export interface ExporterKeys {
  /** HASH: exporter id -> JSON {seen, dead_after, seq, host, pid} or a tombstone {cleaned_at, ...}. */
  readonly exporters: string;
  /** SET: the processor ids this exporter has active. */
  ownedTasks(exporterId: string): string;
}

export function exporterKeys(keyPrefix = ''): ExporterKeys {
  return {
    exporters: `${keyPrefix}otel_top:exporters`,
    ownedTasks: (exporterId) => `${keyPrefix}otel_top:tasks:${exporterId}`,
  };
}
