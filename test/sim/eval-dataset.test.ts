/**
 * `tinyml eval MODEL DATASET` on a dataset of the store, end to end through the CLI: a generated
 * long CSV is imported, trained on, and evaluated; eval windows the recordings as training did, so
 * on the held-out recordings its numbers are the trainer's metrics. And the trainer's float section:
 * the simulator's float reference gives the trainer's float predictions.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PassThrough } from 'stream';
import { main } from '../../src/cli/main';
import { Artifact, elements, parseArtifact } from '../../src/model/artifact';
import { decodeFloat32 } from '../../src/model/float-section';
import { McuSimulator } from '../../src/mcu/simulate';
import { trainModel } from '../../src/train/train-model';
import { initBackend } from '../../src/train/tf-backend';
import { FloatModel } from '../../src/train/float-model';
import type { LayerSpec, ModelSpec } from '../../src/train/model-spec';
import { AXES, RATE, separableWindows, vibrationWindows } from '../support/train-data';
import type { WindowInput } from '../../src/train/train-model';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const o: string[] = [];
  const e: string[] = [];
  out.on('data', (d: Buffer) => o.push(d.toString()));
  err.on('data', (d: Buffer) => e.push(d.toString()));
  const code = await main(args, out, err);
  return { code, out: o.join(''), err: e.join('') };
}

/** Long CSV, one recording per window: recording,person,label,x,y. */
function writeCsv(file: string, windows: WindowInput[]): void {
  const rows = ['recording,person,label,x,y'];
  windows.forEach((w, n) => w.data.forEach((s) => rows.push(`r${n},${w.group},${w.label},${s[0]},${s[1]}`)));
  fs.writeFileSync(file, rows.join('\n') + '\n');
}

interface EvalJson {
  windows: number; accuracy_float: number | null; accuracy_int8: number | null; labels: string[]; confusion: number[][]; auc: number | null;
  board: { name: string; latency_ms: number; ram_bytes: number; flash_bytes: number; fits: boolean };
}

describe('tinyml eval on a dataset (import -> train -> eval)', function () {
  this.timeout(180_000);
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-eval-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('classifier: eval on the held-out recordings equals the trainer\'s holdout metrics; --dump writes the tensors', async () => {
    const all = separableWindows(60, 5);
    writeCsv(path.join(dir, 'all.csv'), all);
    writeCsv(path.join(dir, 'g3.csv'), all.filter((w) => w.group === 'g3'));
    for (const [csv, name] of [['all.csv', 'sep'], ['g3.csv', 'sep-g3']]) {
      const r = await cli(['import', path.join(dir, csv), '--out', name, '--segment', 'recording', '--label', 'label', '--group', 'person', '--rate', String(RATE), '--data-dir', dir]);
      assert.strictEqual(r.code, 0, r.err);
    }
    const modelFile = path.join(dir, 'sep.json');
    const t = await cli(['train', 'sep', '--out', modelFile, '--holdout-segment', 'g3', '--board', 'uno', '--data-dir', dir, '--json']);
    assert.strictEqual(t.code, 0, t.err);
    const artifact = parseArtifact(fs.readFileSync(modelFile, 'utf8'));
    assert.ok(artifact.float, 'the trainer stores the float weights');
    const m = artifact.metrics!;

    const dump = path.join(dir, 'dump');
    const r = await cli(['eval', modelFile, 'sep-g3', '--board', 'uno', '--json', '--dump', dump, '--data-dir', dir]);
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(r.out.trim().split('\n').length, 1, 'one JSON object');
    const j = JSON.parse(r.out) as EvalJson;
    assert.strictEqual(j.windows, artifact.training!.testWindows);
    assert.strictEqual(j.windows, 15);
    assert.deepStrictEqual(j.labels, artifact.labels);
    assert.strictEqual(j.accuracy_int8, m.int8!.accuracy);
    assert.deepStrictEqual(j.confusion, m.int8!.confusion);
    assert.strictEqual(j.accuracy_float, m.float!.accuracy);
    assert.strictEqual(j.auc, null);
    assert.strictEqual(j.board.name, 'uno');
    const cost = artifact.cost!.uno;
    assert.deepStrictEqual([j.board.ram_bytes, j.board.flash_bytes, j.board.fits], [cost.ramBytes, cost.flashBytes, cost.fits]);
    for (let n = 0; n < j.windows; n++) {
      assert.strictEqual(fs.statSync(path.join(dump, `${n}.in.bin`)).size, elements(artifact.input.shape));
      assert.strictEqual(fs.statSync(path.join(dump, `${n}.out.bin`)).size, elements(artifact.output.shape));
    }
    assert.ok(!fs.existsSync(path.join(dump, `${j.windows}.in.bin`)));

    // The whole dataset: every recording is one window, as in training.
    const whole = JSON.parse((await cli(['eval', modelFile, 'sep', '--json', '--data-dir', dir])).out) as EvalJson;
    assert.strictEqual(whole.windows, 60);
    assert.strictEqual(whole.confusion.flat().reduce((a, b) => a + b, 0), 60);

    // Human-readable output names the board and the accuracy.
    const text = await cli(['eval', modelFile, 'sep-g3', '--data-dir', dir]);
    assert.strictEqual(text.code, 0, text.err);
    assert.match(text.out, /^15 windows, 15 labelled: int8 accuracy \d+\.\d%, float \d+\.\d%/);
  });

  it('anomaly: int8 accuracy and AUC over the whole dataset equal the trainer\'s, judged against the normal label the model recorded', async () => {
    const healthy = vibrationWindows(36, false).map((w) => ({ ...w, label: 'healthy' }));
    writeCsv(path.join(dir, 'vib.csv'), [...healthy, ...vibrationWindows(12, true, 9)]);
    const imp = await cli(['import', path.join(dir, 'vib.csv'), '--out', 'vib', '--segment', 'recording', '--label', 'label', '--group', 'person', '--rate', String(RATE), '--data-dir', dir]);
    assert.strictEqual(imp.code, 0, imp.err);
    const modelFile = path.join(dir, 'vib.json');
    const t = await cli(['train', 'vib', '--out', modelFile, '--kind', 'anomaly', '--normal-label', 'healthy', '--data-dir', dir]);
    assert.strictEqual(t.code, 0, t.err);
    const artifact = parseArtifact(fs.readFileSync(modelFile, 'utf8'));
    assert.strictEqual(artifact.training?.normalLabel, 'healthy');
    // no --normal-label: eval takes the model's
    const r = await cli(['eval', modelFile, 'vib', '--json', '--data-dir', dir]);
    assert.strictEqual(r.code, 0, r.err);
    const j = JSON.parse(r.out) as EvalJson;
    assert.strictEqual(j.windows, 48);
    assert.deepStrictEqual(j.labels, ['normal', 'anomaly']);
    const int8 = artifact.metrics!.int8!;
    assert.strictEqual(j.accuracy_int8, int8.accuracy);
    assert.deepStrictEqual(j.confusion, int8.confusion);
    assert.strictEqual(j.auc, int8.auc);
    assert.ok(j.auc! > 0.9, `AUC ${j.auc}`);
    assert.strictEqual(typeof j.accuracy_float, 'number');
  });

  it('user errors exit 1 with one line naming the problem', async () => {
    const modelFile = path.join(dir, 'sep.json');
    const cases: [string[], RegExp][] = [
      [['eval', modelFile, 'nope', '--data-dir', dir], /^tinyml: eval: dataset "nope" does not exist in /],
      [['eval', modelFile, 'bad name!', '--data-dir', dir], /^tinyml: eval: invalid dataset name "bad name!"/],
      [['eval', modelFile, 'sep', '--data-dir'], /^tinyml: eval: --data-dir needs a value/],
      [['eval', modelFile, 'sep', '--frobnicate'], /^tinyml: eval: unknown option --frobnicate/],
    ];
    // A dataset with other axes than the model's.
    fs.writeFileSync(path.join(dir, 'xyz.csv'), 'recording,label,x,y,z\n' + Array.from({ length: 70 }, (_, i) => `r0,a,${i},${-i},0`).join('\n') + '\n');
    assert.strictEqual((await cli(['import', path.join(dir, 'xyz.csv'), '--out', 'xyz', '--segment', 'recording', '--label', 'label', '--rate', String(RATE), '--data-dir', dir])).code, 0);
    cases.push([['eval', modelFile, 'xyz', '--data-dir', dir], /^tinyml: eval: dataset "xyz" has axes x,y,z, model "sep" takes x,y$/]);
    for (const [args, re] of cases) {
      const r = await cli(args);
      assert.strictEqual(r.code, 1, `${args.join(' ')}: ${r.err}`);
      assert.strictEqual(r.err.trim().split('\n').length, 1, r.err);
      assert.match(r.err.trim(), re);
    }
  });
});

/** The artifact's float section back in the trainer's layouts (dense [in][out], conv [1][k][in][out]). */
function restoreFromFloatSection(artifact: Artifact): { spec: ModelSpec; values: Float32Array[] } {
  const layers: LayerSpec[] = [];
  const values: Float32Array[] = [];
  artifact.layers.forEach((l, i) => {
    const f = artifact.float!.layers[i];
    if (l.op === 'fully_connected') {
      const w = decodeFloat32(f!.weights)!;
      const nIn = w.length / l.units;
      const io = new Float32Array(w.length);
      for (let o = 0; o < l.units; o++) for (let a = 0; a < nIn; a++) io[a * l.units + o] = w[o * nIn + a];
      layers.push({ type: 'dense', units: l.units, activation: l.activation === 'relu' ? 'relu' : 'none' });
      values.push(io, decodeFloat32(f!.bias)!);
    } else if (l.op === 'conv1d') {
      const w = decodeFloat32(f!.weights)!;
      const [k, nIn, nOut] = [l.kernelSize, l.inputShape[1], l.filters];
      const khwo = new Float32Array(w.length);
      for (let o = 0; o < nOut; o++) for (let t = 0; t < k; t++) for (let c = 0; c < nIn; c++) khwo[(t * nIn + c) * nOut + o] = w[(o * k + t) * nIn + c];
      layers.push({ type: 'conv1d', filters: nOut, kernel: k, activation: l.activation === 'relu' ? 'relu' : 'none' });
      values.push(khwo, decodeFloat32(f!.bias)!);
    } else if (l.op === 'max_pool1d') layers.push({ type: 'maxpool1d', pool: l.poolSize });
    else if (l.op === 'reshape') layers.push({ type: 'flatten' });
    else if (l.op === 'softmax') layers.push({ type: 'softmax' });
    else throw new Error(`no trainer layer for ${l.op}`);
  });
  return { spec: { inputShape: artifact.input.shape, layers } as ModelSpec, values };
}

describe('trainer float section -> simulator float reference', function () {
  this.timeout(180_000);
  for (const arch of ['dense', 'cnn'] as const) {
    it(`${arch}: the float reference gives the trainer's float labels and scores on the test windows`, async () => {
      const windows = separableWindows(60, 7);
      const { artifact } = await trainModel({ name: `f_${arch}`, windows, axes: AXES, rate: RATE, arch, holdoutGroup: 'g3', backend: 'cpu', epochs: arch === 'cnn' ? 6 : 30, seed: 2 });
      assert.ok(artifact.float);
      assert.deepStrictEqual(artifact.float.layers.map((l) => l !== null), artifact.layers.map((l) => 'weights' in l));
      const test = windows.filter((w) => w.group === 'g3');
      const sim = new McuSimulator(artifact, 'esp32');
      const results = test.map((w) => sim.run(w.data, { requireFit: false, floatReference: true }));
      // The trainer's float predictions on these windows, as its metrics record them.
      const labels = artifact.labels;
      const confusion = labels.map(() => labels.map(() => 0));
      results.forEach((r, i) => confusion[labels.indexOf(test[i].label!)][labels.indexOf(r.float!.label!)]++);
      assert.deepStrictEqual(confusion, artifact.metrics!.float!.confusion);
      // Window by window: the trainer's own forward pass with the stored float weights.
      const { tf } = await initBackend('cpu');
      const { spec, values } = restoreFromFloatSection(artifact);
      const model = new FloatModel(tf, spec, 1);
      try {
        model.restore(values);
        const width = elements(artifact.input.shape);
        const x = new Float32Array(test.length * width);
        test.forEach((w, i) => {
          // The trainer clips normalized inputs at ±8 (train-model.ts INPUT_CLIP); generated data stays inside.
          const n = sim.features(w.data).map((v, k) => Math.fround(Math.fround(Math.fround(v) - artifact.input.normalization.mean[k]) * artifact.input.normalization.scale[k]));
          assert.ok(n.every((v) => Math.abs(v) <= 8), 'inputs inside the clip');
          x.set(n, i * width);
        });
        const y = tf.tidy(() => model.forward(tf.tensor(x, [test.length, ...artifact.input.shape]))[0].dataSync() as Float32Array);
        results.forEach((r, i) => {
          const expected = Array.from(y.subarray(i * labels.length, (i + 1) * labels.length));
          const worst = Math.max(...expected.map((v, k) => Math.abs(v - r.float!.scores[k])));
          assert.ok(worst < 1e-4, `window ${i}: float reference ${r.float!.scores} vs trainer ${expected}`);
          assert.strictEqual(r.float!.label, labels[expected.indexOf(Math.max(...expected))]);
        });
      } finally {
        model.dispose();
      }
    });
  }
});
