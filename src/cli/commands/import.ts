/**
 * `tinyml import FILE.csv [FILE.csv ...] --out DATASET [--label COL] [--segment COL[,COL...]] [--axes COL,...]
 *  [--rate HZ] [--time COL] [--time-unit s|ms|us] [--group COL] [--data-dir DIR] [--append] [--json]`
 *
 * Long-format CSV -> dataset of raw recordings (one record per recording); several files (e.g. an
 * Edge Impulse export, one `<label>.<id>.csv` per sample) go into one dataset. The dataset lives in
 * DIR/DATASET, DIR being --data-dir, else $TINYML_DATA, else ./tinyml-data.
 */
import fs from 'fs';
import path from 'path';
import { UsageError } from '../main';
import { DatasetStore, DatasetError, type NewRecord } from '../../dataset/store';
import { datasetNameProblem } from '../../dataset/dataset-name';
import { recordsFromLongCsv, type LongCsvImportOptions } from '../../dataset/import-long-csv';

const USAGE = 'usage: tinyml import FILE.csv [FILE.csv ...] --out DATASET [--label COL] [--segment COL[,COL...]] [--axes COL,...] [--rate HZ] [--time COL] [--time-unit s|ms|us] [--group COL] [--data-dir DIR] [--append] [--json]';
const VALUED = new Set(['--out', '--label', '--segment', '--axes', '--rate', '--time', '--time-unit', '--group', '--data-dir']);
const FLAGS = new Set(['--append', '--json']);
/** Records per write + fdatasync while importing. */
const BATCH = 256;

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.TINYML_DATA && env.TINYML_DATA !== '' ? env.TINYML_DATA : 'tinyml-data');
}

interface ParsedArgs {
  files: string[];
  values: Map<string, string>;
  flags: Set<string>;
}

function parseArgs(args: string[]): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const key = eq > 0 ? a.slice(0, eq) : a;
    if (VALUED.has(key)) {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined || v === '') throw new UsageError(`import: ${key} needs a value`);
      values.set(key, v);
    } else if (FLAGS.has(key)) {
      flags.add(key);
    } else if (a.startsWith('-')) {
      throw new UsageError(`import: unknown option ${a}; ${USAGE}`);
    } else {
      files.push(a);
    }
  }
  if (files.length === 0) throw new UsageError(USAGE);
  return { files, values, flags };
}

const list = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter((s) => s !== ''));

export async function importCommand(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream = process.stderr): Promise<void> {
  const { files, values, flags } = parseArgs(args);
  const name = values.get('--out');
  if (name === undefined) throw new UsageError('import: --out DATASET is required');
  const nameProblem = datasetNameProblem(name);
  if (nameProblem) throw new UsageError(`import: ${nameProblem}`);
  const opts: LongCsvImportOptions = { label: values.get('--label'), segment: list(values.get('--segment')), axes: list(values.get('--axes')), time: values.get('--time'), group: values.get('--group') };
  const rateText = values.get('--rate');
  if (rateText !== undefined) {
    const rate = Number(rateText);
    if (!Number.isFinite(rate) || rate <= 0) throw new UsageError(`import: --rate must be a positive number of Hz, got '${rateText}'`);
    opts.rate = rate;
  }
  const unit = values.get('--time-unit');
  if (unit !== undefined) {
    if (unit !== 's' && unit !== 'ms' && unit !== 'us') throw new UsageError(`import: --time-unit must be s, ms or us, got '${unit}'`);
    opts.timeUnit = unit;
  }

  // Every file is read and parsed before anything is written: a bad file leaves the dataset untouched.
  const records: NewRecord[] = [];
  const warnings: string[] = [];
  const axes: string[] = [];
  const columns: string[] = [];
  const rates = new Set<number | null>();
  for (const file of files) {
    let text: string;
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch (e) {
      throw new UsageError(`import: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let imported;
    try {
      imported = recordsFromLongCsv(text, { ...opts, defaultGroup: path.basename(file).replace(/\.[^.]*$/, ''), fileName: path.basename(file) });
    } catch (e) {
      throw new UsageError(`import: ${file}: ${(e as Error).message}`);
    }
    records.push(...imported.records);
    for (const w of imported.warnings) warnings.push(files.length > 1 ? `${path.basename(file)}: ${w}` : w);
    for (const a of imported.axes) if (!axes.includes(a)) axes.push(a);
    for (const c of imported.columns) if (!columns.includes(c)) columns.push(c);
    rates.add(imported.rate);
  }
  const rate = rates.size === 1 ? [...rates][0] : null;
  if (rates.size > 1) warnings.push(`the files have different sample rates (${[...rates].map((r) => (r === null ? 'unknown' : `${+r.toFixed(3)} Hz`)).join(', ')}): each recording keeps its own`);

  const base = values.get('--data-dir') !== undefined ? path.resolve(values.get('--data-dir') as string) : defaultDataDir();
  let store: DatasetStore;
  try {
    store = await DatasetStore.open(base, name);
  } catch (e) {
    throw new UsageError(`import: ${(e as Error).message}`);
  }
  try {
    if (store.count > 0 && !flags.has('--append')) {
      throw new UsageError(`import: dataset "${name}" in ${base} already has ${store.count} records: add --append, or choose another --out`);
    }
    for (let i = 0; i < records.length; i += BATCH) {
      await store.append(records.slice(i, i + BATCH));
      if (records.length > BATCH) err.write(`tinyml: imported ${Math.min(i + BATCH, records.length)}/${records.length} recordings\n`);
    }
  } catch (e) {
    if (e instanceof DatasetError) throw new UsageError(`import: ${e.message}`);
    throw e;
  } finally {
    await store.close();
  }
  for (const w of warnings) err.write(`tinyml: warning: ${w}\n`);
  const counts = store.counts();
  const summary = {
    dataset: name,
    dir: store.dir,
    files: files.length,
    recordings: records.length,
    records: store.count,
    axes,
    columns,
    rate,
    counts,
  };
  if (flags.has('--json')) {
    out.write(JSON.stringify(summary) + '\n');
    return;
  }
  const per = Object.entries(counts).map(([l, n]) => `${l === '' ? '(unlabelled)' : l} ${n}`).join(', ');
  const from = files.length > 1 ? ` from ${files.length} files` : '';
  out.write(`imported ${records.length} recordings${from} into ${store.dir} (axes ${axes.join(',')}; rate ${rate === null ? 'unknown' : `${+rate.toFixed(3)} Hz`}): ${per}\n`);
}
