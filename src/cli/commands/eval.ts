/**
 * `tinyml eval MODEL DATASET [--board NAME] [--json] [--dump DIR]`: runs the int8 model through
 * the simulated MCU (src/mcu/simulate.ts, the node's code) on every input of DATASET.
 * DATASET for now: a JSON file {"inputs": number[][] | number[][][], "labels"?: string[]}
 * (feature vectors or windows), until eval reads the dataset store.
 */
import fs from 'fs';
import path from 'path';
import { UsageError } from '../main';
import { ArtifactError, parseArtifact, Artifact } from '../../model/artifact';
import { McuSimulator, SimulationError } from '../../mcu/simulate';

interface Options { model: string; dataset: string; board: string; json: boolean; dump?: string }

const USAGE = 'usage: tinyml eval MODEL DATASET [--board NAME] [--json] [--dump DIR]';

function parseArgs(args: string[]): Options {
  const positional: string[] = [];
  const o: Partial<Options> = { board: 'uno', json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') o.json = true;
    else if (a === '--board' || a === '--dump') {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value; ${USAGE}`);
      if (a === '--board') o.board = v; else o.dump = v;
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}; ${USAGE}`);
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

function loadDataset(file: string): { inputs: unknown[]; labels?: string[] } {
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
  return { inputs: o.inputs, labels: o.labels as string[] | undefined };
}

export async function evalCommand(args: string[], out: NodeJS.WritableStream): Promise<void> {
  const opts = parseArgs(args);
  const artifact = loadModel(opts.model);
  const data = loadDataset(opts.dataset);
  let sim: McuSimulator;
  try {
    sim = new McuSimulator(artifact, opts.board);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (opts.dump) fs.mkdirSync(opts.dump, { recursive: true });
  const labels = artifact.labels;
  const confusion = labels.map(() => labels.map(() => 0));
  let correct = 0;
  let labelled = 0;
  let correctFloat = 0;
  const hasFloat = artifact.float !== undefined;
  data.inputs.forEach((input, n) => {
    let r;
    try {
      r = sim.run(input, { requireFit: false, floatReference: hasFloat });
    } catch (e) {
      if (e instanceof SimulationError) throw new UsageError(`dataset input ${n}: ${e.message}`);
      throw e;
    }
    if (opts.dump) {
      fs.writeFileSync(path.join(opts.dump, `${n}.in.bin`), Buffer.from(Int8Array.from(r.input).buffer));
      fs.writeFileSync(path.join(opts.dump, `${n}.out.bin`), Buffer.from(Int8Array.from(r.raw).buffer));
    }
    const truth = data.labels?.[n];
    const actual = truth === undefined ? -1 : labels.indexOf(truth);
    if (actual >= 0 && r.label !== undefined) {
      const predicted = labels.indexOf(r.label);
      confusion[actual][predicted]++;
      labelled++;
      if (predicted === actual) correct++;
      if (r.float?.label === truth) correctFloat++;
    }
  });
  const c = sim.cost;
  const result = {
    windows: data.inputs.length,
    accuracy_float: hasFloat && labelled ? correctFloat / labelled : null,
    accuracy_int8: labelled ? correct / labelled : null,
    labels,
    confusion,
    auc: null,
    board: { name: c.board, latency_ms: Number(c.latencyMs.value.toFixed(3)), ram_bytes: c.ramBytes.value, flash_bytes: c.flashBytes.value, fits: c.fits },
  };
  if (opts.json) {
    out.write(JSON.stringify(result) + '\n');
    return;
  }
  out.write(`${result.windows} inputs, int8 accuracy ${result.accuracy_int8 === null ? 'n/a (no labels)' : `${(100 * result.accuracy_int8).toFixed(1)}%`} ${result.accuracy_float === null ? '(float: not available, the artifact holds int8 weights only)' : `, float ${(100 * result.accuracy_float).toFixed(1)}%`}\n`);
  out.write(`${c.boardLabel}: ${c.latencyMs.value.toFixed(2)} ms ±${100 * c.latencyMs.uncertainty}%, RAM ${c.ramBytes.value} B of ${c.ramLimit}, flash ${c.flashBytes.value} B of ${c.flashLimit}: ${c.fits ? 'fits' : `does NOT fit (${c.problems.join('; ')})`}\n`);
}
