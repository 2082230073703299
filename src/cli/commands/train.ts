/**
 * `tinyml train DATASET --out MODEL [--kind classifier|anomaly] [--arch dense|cnn] [--window-ms N]
 *  [--stride-ms N] [--features raw,stats,spectral] [--board NAME] [--seed N] [--holdout-segment VALUE]
 *  [--normal-label LABEL] [--epochs N] [--data-dir DIR] [--json]`
 *
 * Trains, quantizes to int8 and writes the model artifact to MODEL (a .json file; the model is
 * named after the file). Progress goes to stderr, the summary (or --json) to stdout.
 */
import fs from 'fs';
import path from 'path';
import { UsageError } from '../main';
import { defaultDataDir } from './import';
import { isBoardId } from '../../boards/profiles';
import { DatasetError } from '../../dataset/store';
import { trainModel, type TrainRequest } from '../../train/train-model';
import { TrainInputError } from '../../train/training-windows';
import type { FeatureBlock } from '../../train/auto-config';

const USAGE = 'usage: tinyml train DATASET --out MODEL [--kind classifier|anomaly] [--arch dense|cnn] [--window-ms N] [--stride-ms N] [--features raw,stats,spectral] [--board NAME] [--seed N] [--holdout-segment VALUE] [--normal-label LABEL] [--epochs N] [--data-dir DIR] [--json]';
const VALUED = ['--out', '--kind', '--arch', '--window-ms', '--stride-ms', '--features', '--board', '--seed', '--holdout-segment', '--normal-label', '--epochs', '--data-dir'];

function positive(name: string, v: string | undefined, integer = false): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new UsageError(`train: ${name} must be a positive ${integer ? 'integer' : 'number'}, got '${v}'`);
  return n;
}

export function parseTrainArgs(args: string[], env: NodeJS.ProcessEnv = process.env): { request: TrainRequest; out: string; json: boolean } {
  const values = new Map<string, string>();
  const positional: string[] = [];
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const key = eq > 0 ? a.slice(0, eq) : a;
    if (VALUED.includes(key)) {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined || v === '') throw new UsageError(`train: ${key} needs a value`);
      values.set(key, v);
    } else if (a === '--json') json = true;
    else if (a.startsWith('-')) throw new UsageError(`train: unknown option ${a}; ${USAGE}`);
    else positional.push(a);
  }
  if (positional.length !== 1) throw new UsageError(USAGE);
  const out = values.get('--out');
  if (!out) throw new UsageError('train: --out MODEL (the model file to write, e.g. gestures.json) is required');
  const name = path.basename(out).replace(/\.json$/i, '').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'model';
  const kind = values.get('--kind') ?? 'classifier';
  if (kind !== 'classifier' && kind !== 'anomaly') throw new UsageError(`train: --kind must be classifier or anomaly, got '${kind}'`);
  const arch = values.get('--arch') ?? 'dense';
  if (arch !== 'dense' && arch !== 'cnn') throw new UsageError(`train: --arch must be dense or cnn, got '${arch}'`);
  const board = values.get('--board');
  if (board !== undefined && !isBoardId(board)) throw new UsageError(`train: unknown board '${board}' (see tinyml boards)`);
  let features: FeatureBlock[] | undefined;
  if (values.has('--features')) {
    features = values.get('--features')!.split(',').map((s) => s.trim()).filter(Boolean) as FeatureBlock[];
    const bad = features.filter((b) => !['raw', 'stats', 'spectral'].includes(b));
    if (bad.length || !features.length) throw new UsageError(`train: --features takes raw, stats and/or spectral, got '${values.get('--features')}'`);
  }
  const seed = values.has('--seed') ? Number(values.get('--seed')) : 1;
  if (!Number.isInteger(seed)) throw new UsageError(`train: --seed must be an integer, got '${values.get('--seed')}'`);
  const request: TrainRequest = {
    name, kind, arch, seed, features, board,
    dataset: { baseDir: values.has('--data-dir') ? path.resolve(values.get('--data-dir')!) : defaultDataDir(env), name: positional[0] },
    windowMs: positive('--window-ms', values.get('--window-ms')),
    strideMs: positive('--stride-ms', values.get('--stride-ms')),
    epochs: positive('--epochs', values.get('--epochs'), true),
    holdoutGroup: values.get('--holdout-segment'),
    normalLabel: values.get('--normal-label'),
  };
  return { request, out, json };
}

const pct = (v: unknown): string => (typeof v === 'number' ? `${(100 * v).toFixed(1)}%` : 'n/a');

export async function trainCommand(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream = process.stderr): Promise<void> {
  const { request, out: file, json } = parseTrainArgs(args);
  let result;
  try {
    result = await trainModel(request, {
      onProgress: (p) => {
        if (p.phase === 'training' && p.epoch !== undefined) err.write(`epoch ${p.epoch}/${p.epochs} loss ${p.loss!.toFixed(3)} acc ${p.accuracy!.toFixed(3)}${p.valLoss !== undefined ? ` val_loss ${p.valLoss.toFixed(3)} val_acc ${p.valAccuracy!.toFixed(3)}` : ''}\n`);
        else if (p.phase !== 'training') err.write(`${p.phase}\n`);
      },
    });
  } catch (e) {
    if (e instanceof TrainInputError || e instanceof DatasetError) throw new UsageError(`train: ${e.message}`);
    throw e;
  }
  const a = result.artifact;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(a, null, 1) + '\n');
  for (const w of result.warnings) err.write(`warning: ${w}\n`);
  const m = a.metrics ?? {};
  const cost = request.board ? a.cost?.[request.board] : undefined;
  if (json) {
    out.write(JSON.stringify({ model: file, name: a.name, hash: a.hash, kind: a.kind, labels: a.labels, metrics: m, cost: a.cost ?? null, training: a.training ?? null, warnings: result.warnings }) + '\n');
    return;
  }
  const auc = (k: 'float' | 'int8'): string => {
    const v = m[k]?.auc;
    return typeof v === 'number' ? ` AUC ${v.toFixed(3)}` : '';
  };
  out.write(`wrote ${file} (${a.kind}, ${a.layers.length} layers, hash ${a.hash.slice(0, 12)})\n`);
  out.write(`accuracy on ${String(a.training?.metricsOn)} windows: float ${pct(m.float?.accuracy)}${auc('float')}, int8 ${pct(m.int8?.accuracy)}${auc('int8')}\n`);
  if (cost) out.write(`${request.board}: RAM ${String(cost.ramBytes)} B, flash ${String(cost.flashBytes)} B, ${cost.fits ? 'fits' : 'does NOT fit'}\n`);
}
