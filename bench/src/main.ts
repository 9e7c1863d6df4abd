import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeRun, formatReport } from './report';
import { runChildSpans } from './scenarios/child-spans';
import { runExporterThroughput } from './scenarios/exporter-throughput';
import { runFleet } from './scenarios/fleet';
import { runMemory } from './scenarios/memory';
import { runReader } from './scenarios/reader';
import { runRedisCost } from './scenarios/redis-cost';
import { runScaling } from './scenarios/scaling';
import { runServerOverhead } from './scenarios/server-overhead';
import { BenchContext, BenchOptions, SCENARIO_IDS, ScenarioId, ScenarioResult } from './types';

const SCENARIOS: Record<ScenarioId, (context: BenchContext) => Promise<ScenarioResult>> = {
  hello: (context) => runServerOverhead(context, 'hello'),
  overhead: (context) => runServerOverhead(context, 'express'),
  children: runChildSpans,
  redis: runRedisCost,
  throughput: runExporterThroughput,
  reader: runReader,
  memory: runMemory,
  scaling: runScaling,
  fleet: runFleet,
};

const USAGE = `usage: npm run bench -- [--quick] [--only=${SCENARIO_IDS.join(',')}] [--profile]
  --quick    a couple of minutes instead of about twenty (also: env BENCH_QUICK=1)
  --only     run just these scenarios, comma-separated
  --profile  write V8 CPU profiles of the servers and workers to bench-results/profiles`;

function parseOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const only = values.only?.split(',').map((id) => id.trim()).filter((id) => id !== '') ?? [...SCENARIO_IDS];
  const unknown = only.filter((id) => !(SCENARIO_IDS as ReadonlyArray<string>).includes(id));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}\n${USAGE}`);
  return {
    quick: values.quick || process.env.BENCH_QUICK === '1',
    scenarios: SCENARIO_IDS.filter((id) => only.includes(id)),
    profile: values.profile,
    resultsDir: resolve(__dirname, '..', '..', '..', 'bench-results'),
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const started = Date.now();
  mkdirSync(options.resultsDir, { recursive: true });
  const context: BenchContext = {
    options,
    log: (line) => console.log(line),
    ...(options.profile ? { profileDir: join(options.resultsDir, 'profiles') } : {}),
  };
  if (context.profileDir !== undefined) mkdirSync(context.profileDir, { recursive: true });
  console.log(`otel-top benchmark (${options.quick ? 'quick' : 'full'}): ${options.scenarios.join(', ')}`);
  const results: ScenarioResult[] = [];
  for (const id of options.scenarios) {
    console.log(`\n== ${id}`);
    results.push(await SCENARIOS[id](context));
  }
  const report = describeRun(options, started, results);
  const text = formatReport(report);
  console.log(`\n${text}`);
  const stamp = report.date.replace(/[:.]/g, '-');
  const file = join(options.resultsDir, `bench-${report.mode}-${stamp}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, json);
  writeFileSync(join(options.resultsDir, 'latest.json'), json);
  writeFileSync(join(options.resultsDir, 'latest.txt'), `${text}\n`);
  console.log(`\nwritten: ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
