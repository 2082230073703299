/**
 * Acceptance on the shared real recordings (run by `npm run test:data`):
 * gestures, leave one recorder out; fan vibration anomaly detection trained on normal data only.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { sharedDataDir, SHARED_DATA_TAG } from '../support/shared-data';
import { recordsFromLongCsv } from '../../src/dataset/import-long-csv';
import { DatasetStore } from '../../src/dataset/store';
import { trainModel, type WindowInput } from '../../src/train/train-model';
import { McuSimulator } from '../../src/mcu/simulate';
import { runModel } from '../../src/mcu/interpreter';
import { quantizeInput } from '../../src/mcu/quantize-io';
import { anomalyScore } from '../../src/train/anomaly-score';
import { rocAuc } from '../../src/train/metrics';

describe(`train on the shared recordings ${SHARED_DATA_TAG}`, function () {
  this.timeout(600_000);

  it('gestures, leave one recorder out: float ≥ 90% on the unseen recorder\'s punch and flex on average, int8 within 1 point, fits the Uno', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-gest-'));
    const text = fs.readFileSync(path.join(sharedDataDir(), 'gestures', 'gestures.csv'), 'utf8');
    const imported = recordsFromLongCsv(text, { label: 'gesture', segment: ['recorder_id', 'rep_id', 'gesture'], axes: ['aX_g', 'aY_g', 'aZ_g', 'gX_dps', 'gY_dps', 'gZ_dps'], rate: 119 });
    const store = await DatasetStore.open(base, 'gestures', { sync: false });
    await store.append(imported.records);
    await store.close();
    const recorders = ['R01', 'R03', 'R05', 'R06', 'R07'];
    const floatAcc: number[] = [];
    const int8Acc: number[] = [];
    for (const r of recorders) {
      const { artifact } = await trainModel({ name: 'gestures', dataset: { baseDir: base, name: 'gestures' }, labels: ['flex', 'punch'], holdoutGroup: r, board: 'uno', seed: 1, backend: 'cpu' });
      floatAcc.push(artifact.metrics!.float!.accuracy);
      int8Acc.push(artifact.metrics!.int8!.accuracy);
      assert.strictEqual(artifact.cost?.uno?.fits, true, `${r}: ${JSON.stringify(artifact.cost)}`);
      assert.ok(new McuSimulator(artifact, 'uno').cost.fits, `${r}: the simulated Uno (with feature buffers) accepts the model`);
    }
    const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
    const report = recorders.map((r, i) => `${r} ${(100 * floatAcc[i]).toFixed(1)}/${(100 * int8Acc[i]).toFixed(1)}`).join(', ');
    assert.ok(mean(floatAcc) >= 0.9, `float accuracy ${(100 * mean(floatAcc)).toFixed(1)}% (${report})`);
    assert.ok(mean(int8Acc) >= mean(floatAcc) - 0.01, `int8 ${(100 * mean(int8Acc)).toFixed(1)}% vs float ${(100 * mean(floatAcc)).toFixed(1)}% (${report})`);
    process.stderr.write(`      gestures float/int8 % per held-out recorder: ${report}\n`);
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('fan vibration, trained on normal (0_weight) data only: AUC ≥ 0.9 for coin-on-blade vs normal at the same speed', async () => {
    const dir = path.join(sharedDataDir(), 'fan-vibration');
    const load = (file: string): number[][][] => {
      const imp = recordsFromLongCsv(fs.readFileSync(path.join(dir, file), 'utf8'), { segment: ['sample_id'], axes: ['ax_g', 'ay_g', 'az_g'], rate: 200 });
      return imp.records.map((rec) => rec.data);
    };
    const speeds = ['low', 'med', 'high'];
    const train: WindowInput[] = [];
    const heldNormal = new Map<string, number[][][]>();
    for (const s of speeds) {
      const normal = load(`fan_0_${s}_0_weight.csv`);
      // First 70% of each normal recording trains, the last 30% (later in time) tests.
      const cut = Math.floor(normal.length * 0.7);
      train.push(...normal.slice(0, cut).map((data) => ({ data, group: s })));
      heldNormal.set(s, normal.slice(cut));
    }
    const { artifact } = await trainModel({ name: 'fan', kind: 'anomaly', windows: train, axes: ['ax', 'ay', 'az'], rate: 200, seed: 1, backend: 'cpu' });
    const sim = new McuSimulator(artifact, 'esp32');
    const score = (w: number[][]): number => {
      const q = quantizeInput(artifact, sim.features(w));
      return anomalyScore(artifact, q, runModel(artifact, q).output);
    };
    const aucs = speeds.map((s) => rocAuc(heldNormal.get(s)!.map(score), load(`fan_0_${s}_1_weight.csv`).map(score)));
    const text = speeds.map((s, i) => `${s} ${aucs[i].toFixed(3)}`).join(', ');
    for (const a of aucs) assert.ok(a >= 0.9, `int8 AUC per speed: ${text}`);
    process.stderr.write(`      fan int8 AUC per speed: ${text}\n`);
  });
});
