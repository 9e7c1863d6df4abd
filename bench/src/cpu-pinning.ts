import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

/**
 * Pins every thread of a process to one CPU core with `taskset` (util-linux).
 * On a 2-core machine, a server sharing both cores with its load generator
 * and Redis measured up to 30% apart from one run to the next; with the server
 * alone on one core, what is compared is the server's own capacity.
 * Returns false, changing nothing, where taskset is missing or refuses.
 */
export function pinToCore(pid: number, core: number): boolean {
  if (core >= cpus().length) return false;
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
  return result.status === 0;
}
