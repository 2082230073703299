/**
 * Data and a small model for the deploy tests: a three-class synthetic accelerometer stream
 * (values printed with 3 decimals, like the capture sketch), and an int8 classifier over
 * time statistics of 32-sample windows, small enough for an Uno. Weights are seeded random (the
 * tests hold the device equal to the simulator, not to a trained accuracy); quantization ranges
 * are calibrated on the data so the scores vary from window to window.
 */
import { computeFeatures, FeatureConfig, planFeatures } from '../../src/dsp/feature-pipeline';
import { fitNormalization } from '../../src/dsp/normalization';
import { Artifact, Layer, withHash } from '../../src/model/artifact';
import { encodeInt8 } from '../../src/model/weight-encoding';
import { mulberry32 } from '../../src/random/mulberry32';
import { trainModel, WindowInput } from '../../src/train/train-model';

export const AXES = ['ax', 'ay', 'az'];
export const RATE = 50;
export const WINDOW = 32;

export const KINDS = ['rest', 'shake', 'tilt'];

/** `count` samples with their class: segments of 40-90 samples of rest, shake or tilt, 3 decimals, seeded. */
export function syntheticLabelled(seed: number, count: number): { samples: number[][]; kinds: number[] } {
  const r = mulberry32(seed);
  const samples: number[][] = [];
  const kinds: number[] = [];
  let kind = 0;
  let left = 0;
  for (let t = 0; t < count; t++) {
    if (left === 0) {
      kind = Math.floor(r() * 3);
      left = 40 + Math.floor(r() * 50);
    }
    left--;
    const noise = (): number => (r() - 0.5) * 0.04;
    const s = t / RATE;
    let v: number[];
    if (kind === 0) v = [noise(), noise(), 1 + noise()];
    else if (kind === 1) v = [0.8 * Math.sin(2 * Math.PI * 6 * s) + noise(), 0.3 * Math.sin(2 * Math.PI * 4 * s) + noise(), 1 + noise()];
    else v = [0.7 + noise(), 0.1 * Math.sin(2 * Math.PI * s) + noise(), 0.7 + noise()];
    samples.push(v.map((x) => Math.round(x * 1000) / 1000));
    kinds.push(kind);
  }
  return { samples, kinds };
}

/** `count` samples of `syntheticLabelled`. */
export function syntheticStream(seed: number, count: number): number[][] {
  return syntheticLabelled(seed, count).samples;
}

/**
 * A classifier trained (src/train, pure-JS backend) on windows of the synthetic stream that lie
 * inside one segment: time statistics of 32 x 3 samples, as `tinyml train` makes it for the Uno.
 */
export async function trainedTestModel(): Promise<Artifact> {
  const { samples, kinds } = syntheticLabelled(21, 6000);
  const windows: WindowInput[] = [];
  for (let i = 0; i + WINDOW <= samples.length; i += 8) {
    if (kinds[i] !== kinds[i + WINDOW - 1]) continue;
    windows.push({ data: samples.slice(i, i + WINDOW), label: KINDS[kinds[i]], group: String(Math.floor(i / 1200)) });
  }
  const res = await trainModel({ name: 'trained_gestures', windows, axes: AXES, rate: RATE, features: ['stats'], board: 'uno', epochs: 30, backend: 'cpu', seed: 3 });
  return res.artifact;
}

export const FEATURES: FeatureConfig = { stats: { features: ['mean', 'std', 'rms', 'min', 'max', 'ptp'] } };

function windowsOf(stream: number[][], stride: number): number[][][] {
  const w: number[][][] = [];
  for (let i = 0; i + WINDOW <= stream.length; i += stride) w.push(stream.slice(i, i + WINDOW));
  return w;
}

/** A valid artifact: stats features (18) -> dense 12 relu -> dense 3 -> softmax. */
export function deployTestModel(options: { seed?: number; hidden?: number; name?: string } = {}): Artifact {
  const seed = options.seed ?? 7;
  const hidden = options.hidden ?? 12;
  const r = mulberry32(seed);
  const plan = planFeatures(FEATURES, { windowLength: WINDOW, axes: AXES, rate: RATE });
  const vectors = windowsOf(syntheticStream(seed + 1, 2000), 8).map((w) => computeFeatures(plan, w));
  const norm = fitNormalization(vectors);
  const nIn = plan.names.length;
  const scale = norm.std.map((s) => Math.fround(1 / s));
  const inQ = { scale: Math.fround(4 / 127), zeroPoint: 0 };
  const normalized = vectors.map((v) => v.map((x, j) => Math.max(-4, Math.min(4, (x - norm.mean[j]) * scale[j]))));

  const dense = (inputs: number[][], nInput: number, units: number, inScale: number, relu: boolean): { layerW: Int8Array; wScales: number[]; outputs: number[][]; outQ: { scale: number; zeroPoint: number } } => {
    const w = new Int8Array(units * nInput);
    for (let i = 0; i < w.length; i++) w[i] = Math.round((r() * 2 - 1) * 127);
    const wScales = Array.from({ length: units }, () => Math.fround(0.3 / 127));
    const outputs = inputs.map((x) => Array.from({ length: units }, (_, u) => {
      let acc = 0;
      for (let i = 0; i < nInput; i++) acc += w[u * nInput + i] * wScales[u] * x[i];
      return relu ? Math.max(0, acc) : acc;
    }));
    const max = Math.max(1e-3, ...outputs.flat().map(Math.abs));
    const outQ = relu ? { scale: Math.fround(max / 255), zeroPoint: -128 } : { scale: Math.fround(max / 127), zeroPoint: 0 };
    void inScale;
    return { layerW: w, wScales, outputs, outQ };
  };
  const d1 = dense(normalized, nIn, hidden, inQ.scale, true);
  const d2 = dense(d1.outputs, hidden, 3, d1.outQ.scale, false);
  const smOut = { scale: 1 / 256, zeroPoint: -128 };
  const layers: Layer[] = [
    { op: 'fully_connected', inputShape: [nIn], outputShape: [hidden], input: inQ, output: d1.outQ, units: hidden, activation: 'relu',
      weights: encodeInt8(d1.layerW), weightScales: d1.wScales, bias: Array.from({ length: hidden }, () => Math.round((r() - 0.5) * 200)) },
    { op: 'fully_connected', inputShape: [hidden], outputShape: [3], input: d1.outQ, output: d2.outQ, units: 3, activation: 'none',
      weights: encodeInt8(d2.layerW), weightScales: d2.wScales, bias: [0, 0, 0] },
    { op: 'softmax', inputShape: [3], outputShape: [3], input: d2.outQ, output: smOut, beta: 1 },
  ];
  return withHash({
    format: 'tinyml-model', version: 1, name: options.name ?? 'deploy_test', kind: 'classifier', labels: ['rest', 'shake', 'tilt wave'],
    input: { window: { length: WINDOW, axes: AXES, rateHz: RATE }, features: FEATURES as Artifact['input']['features'], normalization: { mean: norm.mean, scale }, shape: [nIn], quantization: inQ },
    output: { shape: [3], quantization: smOut },
    layers,
  });
}

/** A model whose weights cannot fit an Uno's flash (~40 KB of weights). */
export function oversizedModel(): Artifact {
  const base = deployTestModel({ name: 'too_big' });
  const plan = planFeatures(FEATURES, { windowLength: WINDOW, axes: AXES, rate: RATE });
  const nIn = plan.names.length;
  const hidden = 1000;
  const r = mulberry32(3);
  const w1 = new Int8Array(hidden * nIn).map(() => Math.round((r() * 2 - 1) * 100));
  const w2 = new Int8Array(3 * hidden).map(() => Math.round((r() * 2 - 1) * 100));
  const h = { scale: Math.fround(0.05), zeroPoint: -128 };
  const o = { scale: Math.fround(0.1), zeroPoint: 0 };
  const { hash: _h, ...rest } = base;
  void _h;
  return withHash({
    ...rest,
    layers: [
      { op: 'fully_connected', inputShape: [nIn], outputShape: [hidden], input: base.input.quantization, output: h, units: hidden, activation: 'relu',
        weights: encodeInt8(w1), weightScales: [Math.fround(0.002)], bias: new Array(hidden).fill(0) },
      { op: 'fully_connected', inputShape: [hidden], outputShape: [3], input: h, output: o, units: 3, activation: 'none',
        weights: encodeInt8(w2), weightScales: [Math.fround(0.002)], bias: [0, 0, 0] },
      { op: 'softmax', inputShape: [3], outputShape: [3], input: o, output: { scale: 1 / 256, zeroPoint: -128 }, beta: 1 },
    ],
  });
}
