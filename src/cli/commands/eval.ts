/**
 * `tinyml eval MODEL DATASET [--board NAME] [--json] [--dump DIR] [--data-dir DIR] [--normal-label LABEL]`:
 * runs the int8 model through the simulated MCU (src/mcu/simulate.ts, the node's code) on every
 * window of DATASET.
 *
 * DATASET is a dataset in the store (DIR/DATASET, DIR being --data-dir, else $TINYML_DATA, else
 * ./tinyml-data, as for `tinyml import` and `train`): its recordings are cut into windows exactly as
 * training cut them (src/train/training-windows.ts, the model's window length and stride), and each
 * window goes through the model's feature pipeline and normalization. A path ending in `.json` (or
 * containing a '/') is instead a JSON file {"inputs": number[][] | number[][][], "labels"?: string[]}
 * of feature vectors or windows.
 */
import fs from 'fs';
import path from 'path';
import { UsageError } from '../main';
import { defaultDataDir } from './import';
import { ArtifactError, parseArtifact, Artifact } from '../../model/artifact';
import { McuSimulator, SimulationError, type SimulationResult } from '../../mcu/simulate';
import { normalizeFeatures } from '../../mcu/quantize-io';
import { DatasetStore, DatasetError } from '../../dataset/store';
import { datasetNameProblem } from '../../dataset/dataset-name';
import { commonShape, windowRecords, TrainInputError, type RecordLike } from '../../train/training-windows';
import { anomalyInfo, anomalyScore } from '../../train/anomaly-score';
import { rocAuc } from '../../train/metrics';

interface Options { model: string; dataset: string; board: string; json: boolean; dump?: string; dataDir?: string; normalLabel?: string }

const USAGE = 'usage: tinyml eval MODEL DATASET [--board NAME] [--json] [--dump DIR] [--data-dir DIR] [--normal-label LABEL]';
const VALUED = ['--board', '--dump', '--data-dir', '--normal-label'];

function parseArgs(args: string[]): Options {
  const positional: string[] = [];
  const o: Partial<Options> = { board: 'uno', json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const key = eq > 0 ? a.slice(0, eq) : a;
    if (key === '--json') o.json = true;
    else if (VALUED.includes(key)) {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined || v === '') throw new UsageError(`eval: ${key} needs a value; ${USAGE}`);
      if (key === '--board') o.board = v;
      else if (key === '--dump') o.dump = v;
      else if (key === '--data-dir') o.dataDir = v;
      else o.normalLabel = v;
    } else if (a.startsWith('--')) throw new UsageError(`eval: unknown option ${a}; ${USAGE}`);
    else positional.push(a);
  }
  if (positional.length !== 2) throw new UsageError(USAGE);
  return { ...o, model: positional[0], dataset: positional[1] } as Options;
}

export function loadModel(file: string): Artifact {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read model '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return parseArtifact(text);
  } catch (e) {
    if (e instanceof ArtifactError) throw new UsageError(`model '${file}' is not a valid model artifact: ${e.message}`);
    throw e;
  }
}

interface EvalInputs { inputs: unknown[]; labels: (string | undefined)[]; warnings: string[] }

function loadJsonInputs(file: string): EvalInputs {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read dataset '${file}' (a JSON file {"inputs": [...], "labels": [...]}): ${(e as Error).message}`);
  }
  const o = json as { inputs?: unknown; labels?: unknown };
  if (!o || !Array.isArray(o.inputs)) throw new UsageError(`dataset '${file}': expected {"inputs": [...]} with one feature vector or window per entry`);
  if (o.labels !== undefined && (!Array.isArray(o.labels) || o.labels.length !== o.inputs.length || !o.labels.every((l) => typeof l === 'string'))) {
    throw new UsageError(`dataset '${file}': "labels" must be one string per input (${o.inputs.length})`);
  }
  const labels = (o.labels as string[] | undefined) ?? [];
  return { inputs: o.inputs, labels: o.inputs.map((_, i) => labels[i]), warnings: [] };
}

/** The windows training would cut from the dataset's records, with the model's window length and stride. */
export async function datasetWindows(artifact: Artifact, baseDir: string, name: string): Promise<EvalInputs> {
  const problem = datasetNameProblem(name);
  if (problem) throw new UsageError(`eval: ${problem} (or give a JSON file ending in .json)`);
  let records: RecordLike[];
  try {
    const store = await DatasetStore.open(baseDir, name, { readOnly: true });
    try {
      records = await store.readAll();
    } finally {
      await store.close();
    }
  } catch (e) {
    if (e instanceof DatasetError) throw new UsageError(`eval: ${e.message}`);
    throw e;
  }
  const w = artifact.input.window;
  try {
    const shape = commonShape(records, { axes: w.axes, rate: w.rateHz });
    if (shape.axes.join(',') !== w.axes.join(',')) throw new UsageError(`eval: dataset "${name}" has axes ${shape.axes.join(',')}, model "${artifact.name}" takes ${w.axes.join(',')}`);
    if (Math.abs(shape.rate - w.rateHz) > w.rateHz * 0.02) throw new UsageError(`eval: dataset "${name}" was sampled at ${shape.rate} Hz, model "${artifact.name}" was trained at ${w.rateHz} Hz`);
    // The stride training used (recorded in the model), else half a window (training's default).
    const trainedStride = artifact.training?.windowStride;
    const stride = typeof trainedStride === 'number' && Number.isInteger(trainedStride) && trainedStride >= 1 ? trainedStride : Math.max(1, Math.round(w.length / 2));
    const set = windowRecords(records, shape, w.length, stride);
    return { inputs: set.windows.map((x) => x.data), labels: set.windows.map((x) => x.label), warnings: set.warnings };
  } catch (e) {
    if (e instanceof TrainInputError) throw new UsageError(`eval: dataset "${name}": ${e.message}`);
    throw e;
  }
}

export interface EvalResult {
  windows: number;
  accuracy_float: number | null;
  accuracy_int8: number | null;
  labels: string[];
  /** confusion[actual][predicted] over the windows whose label the model knows. */
  confusion: number[][];
  auc: number | null;
  board: { name: string; latency_ms: number; ram_bytes: number; flash_bytes: number; fits: boolean };
}

/** Float score of a k-means anomaly model from its float reference output (the trainer's float formula). */
function floatAnomalyScore(artifact: Artifact, features: number[], outputs: readonly number[]): number {
  let x2 = 0;
  for (const v of normalizeFeatures(artifact, features)) x2 += v * v;
  return x2 - 2 * Math.max(...outputs);
}

export async function evalCommand(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream = process.stderr): Promise<void> {
  const opts = parseArgs(args);
  const artifact = loadModel(opts.model);
  const isFile = /\.json$/i.test(opts.dataset) || opts.dataset.includes('/') || opts.dataset.includes(path.sep);
  const baseDir = opts.dataDir !== undefined ? path.resolve(opts.dataDir) : defaultDataDir();
  const data = isFile ? loadJsonInputs(opts.dataset) : await datasetWindows(artifact, baseDir, opts.dataset);
  for (const w of data.warnings) err.write(`tinyml: warning: ${w}\n`);
  let sim: McuSimulator;
  try {
    sim = new McuSimulator(artifact, opts.board);
  } catch (e) {
    throw new UsageError(`eval: ${(e as Error).message}`);
  }
  if (opts.dump) fs.mkdirSync(opts.dump, { recursive: true });
  const hasFloat = artifact.float !== undefined;
  const anomaly = artifact.kind === 'anomaly';
  const info = anomaly ? anomalyInfo(artifact) : null;
  const trainedNormal = artifact.training?.normalLabel;
  const normalLabel = opts.normalLabel ?? (typeof trainedNormal === 'string' ? trainedNormal : 'normal');
  // An anomaly model is judged as a two-class problem: normal (the normal label) against every other label.
  const labels = anomaly ? ['normal', 'anomaly'] : artifact.labels;
  const confusion = labels.map(() => labels.map(() => 0));
  let correct = 0;
  let labelled = 0;
  let correctFloat = 0;
  const scores: [number[], number[]] = [[], []];
  data.inputs.forEach((input, n) => {
    let r: SimulationResult;
    let features: number[];
    try {
      features = sim.features(input);
      r = sim.run(features, { requireFit: false, floatReference: hasFloat });
    } catch (e) {
      if (e instanceof SimulationError) throw new UsageError(`eval: ${isFile ? 'dataset input' : 'window'} ${n}: ${e.message}`);
      throw e;
    }
    if (opts.dump) {
      fs.writeFileSync(path.join(opts.dump, `${n}.in.bin`), Buffer.from(Int8Array.from(r.input).buffer));
      fs.writeFileSync(path.join(opts.dump, `${n}.out.bin`), Buffer.from(Int8Array.from(r.raw).buffer));
    }
    const truth = data.labels[n];
    if (truth === undefined) return;
    if (anomaly) {
      const actual = truth === normalLabel ? 0 : 1;
      const score = anomalyScore(artifact, Int8Array.from(r.input), Int8Array.from(r.raw));
      scores[actual].push(score);
      if (!info) return;
      const predicted = score > info.threshold ? 1 : 0;
      confusion[actual][predicted]++;
      labelled++;
      if (predicted === actual) correct++;
      // The float model judged at the model's (int8) threshold.
      if (r.float && (floatAnomalyScore(artifact, features, r.float.scores) > info.threshold ? 1 : 0) === actual) correctFloat++;
      return;
    }
    const actual = labels.indexOf(truth);
    if (actual < 0 || r.label === undefined) return;
    const predicted = labels.indexOf(r.label);
    confusion[actual][predicted]++;
    labelled++;
    if (predicted === actual) correct++;
    if (r.float?.label === truth) correctFloat++;
  });
  const c = sim.cost;
  const auc = anomaly && scores[0].length && scores[1].length ? rocAuc(scores[0], scores[1]) : null;
  const result: EvalResult = {
    windows: data.inputs.length,
    accuracy_float: hasFloat && labelled ? correctFloat / labelled : null,
    accuracy_int8: labelled ? correct / labelled : null,
    labels,
    confusion,
    auc,
    board: { name: c.board, latency_ms: Number(c.latencyMs.value.toFixed(3)), ram_bytes: c.ramBytes.value, flash_bytes: c.flashBytes.value, fits: c.fits },
  };
  if (opts.json) {
    out.write(JSON.stringify(result) + '\n');
    return;
  }
  const pct = (v: number | null): string => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`);
  const what = isFile ? 'inputs' : 'windows';
  const floatText = result.accuracy_float !== null ? `, float ${pct(result.accuracy_float)}` : hasFloat ? '' : ' (float: not available, the artifact holds int8 weights only)';
  out.write(`${result.windows} ${what}, ${labelled} labelled: int8 accuracy ${result.accuracy_int8 === null ? 'n/a (no labels the model knows)' : pct(result.accuracy_int8)}${floatText}${auc !== null ? `, AUC ${auc.toFixed(3)} (${normalLabel} against the other labels)` : ''}\n`);
  if (labelled) {
    out.write(`confusion (rows actual, columns predicted: ${labels.join(', ')}):\n`);
    for (let i = 0; i < labels.length; i++) out.write(`  ${labels[i].padEnd(12)} ${confusion[i].map((v) => String(v).padStart(5)).join(' ')}\n`);
  }
  out.write(`${c.boardLabel}: ${c.latencyMs.value.toFixed(2)} ms ±${100 * c.latencyMs.uncertainty}%, RAM ${c.ramBytes.value} B of ${c.ramLimit}, flash ${c.flashBytes.value} B of ${c.flashLimit}: ${c.fits ? 'fits' : `does NOT fit (${c.problems.join('; ')})`}\n`);
}
