/**
 * `npm run bench -- [group ...]`: runs the named benchmark groups (all when none is named) and prints one table
 * with this machine's figures, ratios against baselines measured in the same run, and the issues' targets.
 */
import os from 'os';
import type { BenchRow } from './bench-row';
import { benchCaptureNode } from './capture-node';
import { benchCaptureParser } from './capture-parser';
import { benchDataset } from './dataset';
import { benchDeploy } from './deploy';
import { benchDsp } from './dsp';
import { benchInfer } from './infer';
import { benchInt8 } from './int8';
import { benchKernels } from './kernels';
import { benchSim } from './sim';
import { benchTrain } from './train';

const GROUPS: Record<string, Array<() => Promise<BenchRow[]>>> = {
  capture: [benchCaptureParser, benchCaptureNode],
  dataset: [benchDataset],
  features: [benchDsp],
  int8: [benchInt8],
  sim: [benchSim],
  infer: [benchInfer],
  kernels: [benchKernels],
  train: [benchTrain],
  deploy: [benchDeploy],
};

function targetText(row: BenchRow): string {
  const t = row.target;
  if (!t) return '';
  const checks: string[] = [];
  if (t.atLeast !== undefined) checks.push(`${row.value >= t.atLeast ? 'met' : 'MISSED'} (≥ ${t.atLeast})`);
  if (t.below !== undefined) checks.push(`${row.value < t.below ? 'met' : 'MISSED'} (< ${t.below})`);
  return checks.join(' ');
}

function formatNumber(v: number): string {
  return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);
}

export async function runBench(names: string[]): Promise<BenchRow[]> {
  const unknown = names.filter((n) => !(n in GROUPS));
  if (unknown.length > 0) throw new Error(`unknown benchmark group '${unknown[0]}': known groups are ${Object.keys(GROUPS).join(', ')}`);
  const chosen = names.length > 0 ? names : Object.keys(GROUPS);
  const rows: BenchRow[] = [];
  for (const name of chosen) for (const bench of GROUPS[name]) rows.push(...(await bench()));
  return rows;
}

function printTable(rows: BenchRow[]): void {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}\n\n`);
  const header = ['figure', 'value', 'unit', 'baseline', 'ratio', 'target'];
  const body = rows.map((r) => [
    r.name,
    formatNumber(r.value),
    r.unit,
    r.baseline !== undefined ? formatNumber(r.baseline) : '',
    r.baseline ? `${(r.value / r.baseline).toFixed(2)}×` : '',
    targetText(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |\n`;
  process.stdout.write(line(header));
  process.stdout.write(line(widths.map((w) => '-'.repeat(w))));
  for (const b of body) process.stdout.write(line(b));
  const notes = rows.filter((r) => r.note);
  if (notes.length > 0) process.stdout.write('\nnotes:\n' + notes.map((r) => `- ${r.name}: ${r.note}\n`).join(''));
}

if (require.main === module) {
  runBench(process.argv.slice(2))
    .then((rows) => { printTable(rows); process.exit(0); })
    .catch((e: Error) => { process.stderr.write(`bench: ${e.message}\n`); process.exit(1); });
}
