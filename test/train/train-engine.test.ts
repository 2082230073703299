import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { trainModel } from '../../src/train/train-model';
import { validateArtifact, type Artifact } from '../../src/model/artifact';
import { McuSimulator } from '../../src/mcu/simulate';
import { runModel } from '../../src/mcu/interpreter';
import { quantizeInput } from '../../src/mcu/quantize-io';
import { anomalyScore, anomalyInfo } from '../../src/train/anomaly-score';
import { saveModel, modelVersions, loadStoredModel, modelFileInStore } from '../../src/train/model-store';
import { rocAuc } from '../../src/train/metrics';
import { AXES, RATE, separableWindows, vibrationWindows } from '../support/train-data';

/** The artifact without the fields that record when and how long (they differ run to run). */
function timeless(a: Artifact): string {
  const t = { ...(a.training ?? {}) };
  delete t.trainedAt;
  delete t.durationMs;
  return JSON.stringify({ ...a, training: t });
}

describe('train engine', function () {
  this.timeout(120_000);

  for (const arch of ['dense', 'cnn'] as const) {
    it(`${arch}: separable generated data gives 100% float and int8 accuracy, and a valid artifact`, async () => {
      const { artifact } = await trainModel({ name: `sep_${arch}`, windows: separableWindows(120), axes: AXES, rate: RATE, arch, backend: 'cpu', epochs: 40 });
      validateArtifact(JSON.parse(JSON.stringify(artifact)));
      assert.deepStrictEqual(artifact.labels, ['a', 'b', 'c']);
      assert.strictEqual(artifact.metrics?.float?.accuracy, 1);
      assert.strictEqual(artifact.metrics?.int8?.accuracy, 1);
      assert.ok(artifact.layers.some((l) => l.op === (arch === 'cnn' ? 'conv1d' : 'fully_connected')));
      assert.strictEqual(artifact.training?.backend, 'cpu');
    });
  }

  it('int8 metrics equal running the exported artifact through the simulated MCU', async () => {
    const windows = separableWindows(90, 3).map((w, i) => ({ ...w, data: w.data.map((row) => row.map((v) => v + (i % 2 ? 0.3 : -0.3))) }));
    const { artifact } = await trainModel({ name: 'held', windows, axes: AXES, rate: RATE, holdoutGroup: 'g3', backend: 'cpu', epochs: 15 });
    const file = JSON.parse(JSON.stringify(artifact)) as unknown;
    const sim = new McuSimulator(validateArtifact(file), 'esp32');
    const confusion = artifact.labels.map(() => artifact.labels.map(() => 0));
    windows.filter((w) => w.group === 'g3').forEach((w) => {
      const r = sim.run(w.data, { requireFit: false });
      confusion[artifact.labels.indexOf(w.label!)][artifact.labels.indexOf(r.label!)]++;
    });
    assert.deepStrictEqual(artifact.metrics?.int8?.confusion, confusion);
    assert.strictEqual(artifact.training?.metricsOn, 'holdout');
  });

  it('the same data, options and seed give the same model (byte-identical apart from timestamps)', async () => {
    const req = { name: 'det', windows: separableWindows(60, 5), axes: AXES, rate: RATE, arch: 'cnn' as const, backend: 'cpu' as const, epochs: 6, seed: 42 };
    const a = await trainModel(req);
    const b = await trainModel(req);
    assert.strictEqual(timeless(a.artifact), timeless(b.artifact));
    const c = await trainModel({ ...req, seed: 43 });
    assert.notStrictEqual(c.artifact.hash, a.artifact.hash, 'another seed gives other weights');
  });

  it('anomaly (k-means distance) trained on normal data only separates anomalies, in int8, by the stated formula', async () => {
    const normal = vibrationWindows(90, false);
    const anomalies = vibrationWindows(30, true, 9);
    const { artifact } = await trainModel({ name: 'vib', kind: 'anomaly', windows: [...normal, ...anomalies], normalLabel: 'normal', axes: AXES, rate: RATE, backend: 'cpu' });
    const info = anomalyInfo(artifact);
    assert.ok(info, 'the threshold is stated in the model');
    assert.ok((artifact.metrics?.int8?.auc as number) >= 0.95, `int8 AUC ${String(artifact.metrics?.int8?.auc)}`);
    // Recompute the scores from the artifact alone, as the MCU would.
    const sim = new McuSimulator(artifact, 'esp32');
    const score = (w: { data: number[][] }): number => {
      const q = quantizeInput(artifact, sim.features(w.data));
      return anomalyScore(artifact, q, runModel(artifact, q).output);
    };
    const fresh = vibrationWindows(40, false, 77).map(score);
    const bad = vibrationWindows(40, true, 78).map(score);
    assert.ok(rocAuc(fresh, bad) >= 0.95);
    assert.ok(bad.filter((s) => s > info.threshold).length >= 36, 'most new anomalies are above the threshold');
    assert.ok(fresh.filter((s) => s > info.threshold).length <= 6, 'few new normal windows are above the threshold');
  });

  it('with a board, the chosen model and its features fit it, and the cost is recorded', async () => {
    const { artifact } = await trainModel({ name: 'uno', windows: separableWindows(60, 6), axes: AXES, rate: RATE, board: 'uno', backend: 'cpu', epochs: 5 });
    assert.strictEqual(artifact.cost?.uno?.fits, true);
    assert.ok((artifact.cost?.uno?.ramBytes ?? 0) <= 2048);
  });

  it('errors name the problem: one label, unknown holdout group, unknown board', async () => {
    const one = separableWindows(30).map((w) => ({ ...w, label: 'x' }));
    await assert.rejects(trainModel({ name: 'e', windows: one, axes: AXES, rate: RATE, backend: 'cpu' }), /at least 2 labels/);
    await assert.rejects(trainModel({ name: 'e', windows: separableWindows(30), axes: AXES, rate: RATE, holdoutGroup: 'nope', backend: 'cpu' }), /holdout group "nope"/);
    await assert.rejects(trainModel({ name: 'e', windows: separableWindows(30), axes: AXES, rate: RATE, board: 'toaster', backend: 'cpu' }), /unknown board 'toaster'/);
    await assert.rejects(trainModel({ name: 'e', windows: separableWindows(30), axes: AXES, backend: 'cpu' }), /sample rate/);
  });

  it('the model store gives each save the next version and never overwrites', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-models-'));
    const { artifact } = await trainModel({ name: 'store', windows: separableWindows(30), axes: AXES, rate: RATE, backend: 'cpu', epochs: 2 });
    const saved = await Promise.all([saveModel(dir, artifact), saveModel(dir, artifact), saveModel(dir, artifact)]);
    assert.deepStrictEqual(saved.map((s) => s.version).sort(), [1, 2, 3]);
    assert.deepStrictEqual(modelVersions(dir, 'store'), [1, 2, 3]);
    assert.strictEqual(loadStoredModel(dir, 'store').training?.version, 3);
    assert.strictEqual(loadStoredModel(dir, 'store', 1).hash, artifact.hash);
  });

  it('a node\'s model reference resolves inside the store and never outside it', () => {
    const base = path.join(os.tmpdir(), 'tml-store');
    assert.strictEqual(modelFileInStore(base, 'gest@3'), path.join(base, 'gest@3.json'));
    assert.strictEqual(modelFileInStore(base, 'sub/x.json'), path.join(base, 'sub', 'x.json'));
    for (const bad of ['../gest', '/etc/passwd', 'a/../../b', '..']) {
      assert.throws(() => modelFileInStore(base, bad), /must be a file inside/, bad);
    }
  });
});
