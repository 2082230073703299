/**
 * A small valid classifier artifact with float/int8 metrics and per-board cost, as the train node
 * writes it into the model store: for the sidebar's tests (unit and browser).
 */
import fs from 'fs';
import path from 'path';
import { Artifact, elements, withHash } from '../../src/model/artifact';
import { estimateCost } from '../../src/boards/cost-model';
import { randomModel } from '../support/int8-models';

/** The first random model whose output is a vector of labels.length values, made a classifier. */
export function classifierArtifact(name: string, labels: string[], firstSeed = 1): Artifact {
  for (let seed = firstSeed; seed < firstSeed + 20000; seed++) {
    const m = randomModel(seed);
    if (m.output.shape.length !== 1 || elements(m.output.shape) !== labels.length) continue;
    const { hash: _unused, ...rest } = m;
    void _unused;
    return withHash({ ...rest, name, kind: 'classifier', labels });
  }
  throw new Error(`no random model with ${labels.length} outputs from seed ${firstSeed}`);
}

/** Adds metrics and the cost model's figures for a few boards (the fields the sidebar reads). */
export function withMetricsAndCost(a: Artifact, confusion: { float: number[][]; int8: number[][] }, boards = ['uno', 'nano33ble', 'esp32']): Artifact {
  const acc = (m: number[][]): number => m.reduce((s, r, i) => s + r[i], 0) / Math.max(1, m.flat().reduce((s, v) => s + v, 0));
  const cost: NonNullable<Artifact['cost']> = {};
  for (const b of boards) {
    const c = estimateCost(a, b);
    cost[b] = { latencyMs: c.latencyMs.value, ramBytes: c.ramBytes.value, flashBytes: c.flashBytes.value, fits: c.fits, ramLimit: c.ramLimit, flashLimit: c.flashLimit };
  }
  return {
    ...a,
    metrics: { float: { accuracy: acc(confusion.float), confusion: confusion.float }, int8: { accuracy: acc(confusion.int8), confusion: confusion.int8 } },
    cost,
  };
}

export function writeModel(modelsDir: string, file: string, a: Artifact): string {
  fs.mkdirSync(modelsDir, { recursive: true });
  const full = path.join(modelsDir, file);
  fs.writeFileSync(full, JSON.stringify(a));
  return full;
}
