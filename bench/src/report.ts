import { cpus } from 'node:os';
import { BenchOptions, Figure, SCENARIO_IDS, ScenarioResult } from './types';

export interface BenchReport {
  date: string;
  node: string;
  platform: string;
  cpuModel: string;
  cores: number;
  mode: 'quick' | 'full';
  command: string;
  durationSeconds: number;
  scenarios: ScenarioResult[];
}

export function describeRun(options: BenchOptions, started: number, scenarios: ScenarioResult[]): BenchReport {
  const flags = [options.quick ? '--quick' : '', options.profile ? '--profile' : ''].filter((flag) => flag !== '');
  if (options.scenarios.length < SCENARIO_IDS.length) flags.push(`--only=${options.scenarios.join(',')}`);
  return {
    date: new Date(started).toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    mode: options.quick ? 'quick' : 'full',
    command: `npm run bench${flags.length === 0 ? '' : ` -- ${flags.join(' ')}`}`,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    scenarios,
  };
}

function formatValue(figure: Figure): string {
  const value = figure.value;
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const text = Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : abs >= 1000 ? Math.round(value).toLocaleString('en-US') : abs >= 100 ? value.toFixed(0) : abs >= 1 ? value.toFixed(2) : value.toFixed(4);
  return figure.unit === '' ? text : `${text} ${figure.unit}`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
}

/** The human-readable report: one table per scenario, then the budgets. */
export function formatReport(report: BenchReport): string {
  const lines = [
    `otel-top benchmark, ${report.mode} run, ${report.date}`,
    `Node ${report.node}, ${report.platform}, ${report.cores} cores (${report.cpuModel}); took ${report.durationSeconds} s`,
    '',
  ];
  for (const scenario of report.scenarios) {
    lines.push(scenario.title);
    const rows = [['', 'metric', 'median', 'samples (run order)']];
    for (const figure of scenario.figures) {
      const samples = figure.samples === undefined || figure.samples.length < 2 ? '' : figure.samples.map((s) => (Math.abs(s) >= 100 ? s.toFixed(0) : s.toFixed(3))).join(' ');
      rows.push([figure.label, figure.metric, formatValue(figure), samples]);
    }
    lines.push(table(rows));
    for (const note of scenario.notes) lines.push(`  note: ${note}`);
    lines.push('');
  }
  const budgets = report.scenarios.flatMap((scenario) => scenario.budgets);
  if (budgets.length > 0) {
    lines.push('Budgets (docs/performance.md)');
    lines.push(table([['', 'budget', 'limit', 'measured'], ...budgets.map((b) => [b.pass ? 'PASS' : b.unresolved === true ? 'OPEN' : 'MISS', b.budget, b.limit, b.measured])]));
  }
  return lines.join('\n');
}
