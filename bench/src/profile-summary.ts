import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** The parts of a V8 .cpuprofile (node --cpu-prof) this summary reads. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

interface Row {
  key: string;
  selfMillis: number;
  totalMillis: number;
}

function frameKey(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const url = frame.url.replace(/^file:\/\//, '');
  const where = url === '' ? '' : ` ${relative(process.cwd(), url).replace(/^(\.\.\/)+/, '')}:${frame.lineNumber + 1}`;
  return `${frame.functionName || '(anonymous)'}${where}`;
}

/**
 * Self and total time per function of a V8 CPU profile, heaviest first:
 * `node bench/build/src/profile-summary.js FILE.cpuprofile [COUNT] [FILTER]`.
 * Total time counts a function once per sample however deep it recurses.
 */
export function summarize(profile: CpuProfile): { totalMillis: number; rows: Row[] } {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMillis = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const millis = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMillis += millis;
    let id: number | undefined = profile.samples[i];
    const leaf = byId.get(id);
    if (leaf === undefined) continue;
    const leafKey = frameKey(leaf.callFrame);
    self.set(leafKey, (self.get(leafKey) ?? 0) + millis);
    const seen = new Set<string>();
    for (let depth = 0; id !== undefined && depth < 1000; depth++) {
      const node = byId.get(id);
      if (node === undefined) break;
      const key = frameKey(node.callFrame);
      if (!seen.has(key)) {
        seen.add(key);
        total.set(key, (total.get(key) ?? 0) + millis);
      }
      id = parent.get(id);
    }
  }
  const rows = [...total.entries()].map(([key, totalTime]) => ({ key, selfMillis: self.get(key) ?? 0, totalMillis: totalTime }));
  return { totalMillis, rows };
}

function main(): void {
  const [file, countArg, filter] = process.argv.slice(2);
  if (file === undefined) {
    console.log('usage: node bench/build/src/profile-summary.js FILE.cpuprofile [COUNT] [FILTER]');
    process.exit(2);
  }
  const count = Number(countArg ?? 30);
  const { totalMillis, rows } = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const matching = filter === undefined ? rows : rows.filter((row) => row.key.includes(filter));
  const line = (row: Row): string =>
    `${row.selfMillis.toFixed(0).padStart(8)} ${((row.selfMillis / totalMillis) * 100).toFixed(1).padStart(5)}%` +
    `${row.totalMillis.toFixed(0).padStart(9)} ${((row.totalMillis / totalMillis) * 100).toFixed(1).padStart(5)}%  ${row.key}`;
  console.log(`${file}: ${totalMillis.toFixed(0)} ms sampled`);
  console.log('  self ms  self%  total ms total%  function');
  console.log('-- by self time');
  for (const row of [...matching].sort((a, b) => b.selfMillis - a.selfMillis).slice(0, count)) console.log(line(row));
  console.log('-- by total time');
  for (const row of [...matching].sort((a, b) => b.totalMillis - a.totalMillis).slice(0, count)) console.log(line(row));
}

if (require.main === module) main();
