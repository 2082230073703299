/**
 * TypeScript features vs the C twin on the shared real recordings, after normalization and int8
 * input quantization: within one step on every window, identical on >= 99.9% of windows (host
 * gcc), and identical on a sample of 20 gesture windows run on an emulated ATmega328P.
 */
import assert from 'assert';
import { bufferBytes, computeFeatures, planFeatures, type FeatureConfig, type FeaturePlan } from '../../src/dsp/feature-pipeline';
import { float32Bits } from '../../src/dsp/float32';
import { quantizeVector } from '../../src/dsp/input-quantization';
import { fitNormalization, normalize } from '../../src/dsp/normalization';
import { runAvrFeatures } from '../support/dsp-avr';
import { buildHostFeatures, runHostFeatures, runHostMath, runHostNormalize } from '../support/dsp-host';
import { fanWindows, gestureWindows, harWindows, type SharedWindows } from '../support/dsp-shared-windows';
import { SHARED_DATA_TAG } from '../support/shared-data';

/** Gestures: fits the Uno's 2 KB (checked below), so the same plan runs on the emulated ATmega328P. */
const GESTURE_CONFIG: FeatureConfig = { filter: { type: 'lowpass', cutoffHz: 20, order: 2 }, stats: {}, spectral: { fftLength: 32, bandCount: 4 } };
const FAN_CONFIG: FeatureConfig = { filter: { type: 'highpass', cutoffHz: 2, order: 4 }, stats: {}, spectral: { fftLength: 128, bands: [0, 10, 20, 40, 60, 80, 100] } };
const HAR_CONFIG: FeatureConfig = { raw: { decimate: 4 }, stats: { features: ['mean', 'std', 'rms', 'skew', 'kurt', 'mcr'] }, spectral: { fftLength: 64 } };

interface Comparison {
  windows: number;
  exactFloat: number;
  exactInt8: number;
  maxStep: number;
}

/** Quantization of the model's input tensor: one scale / zero point from the normalized range (TFLite style). */
function inputQuantization(vectors: number[][]): { scale: number; zeroPoint: number } {
  let lo = 0;
  let hi = 0;
  for (const v of vectors) {
    for (const x of v) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  }
  const scale = Math.fround((hi - lo) / 255);
  return { scale, zeroPoint: Math.round(-128 - lo / scale) };
}

function compare(plan: FeaturePlan, data: SharedWindows): Comparison {
  const ts = data.windows.map((w) => computeFeatures(plan, w));
  const exe = buildHostFeatures(plan);
  const c = runHostFeatures(exe, plan, data.windows).map((v) => Array.from(v));
  const norm = fitNormalization(ts);
  const tsNorm = ts.map((v) => normalize(norm, v));
  const cNorm = runHostNormalize(exe, norm.mean, norm.std, c).map((v) => Array.from(v));
  const q = inputQuantization(tsNorm);
  const tsQ = tsNorm.map((v) => quantizeVector(v, q.scale, q.zeroPoint));
  // the C side quantizes with tml_quantize_input
  const cQflat = runHostMath(exe, Float32Array.from(cNorm.flat()), q.scale, q.zeroPoint).quantized;
  const F = plan.names.length;
  const r: Comparison = { windows: ts.length, exactFloat: 0, exactInt8: 0, maxStep: 0 };
  ts.forEach((v, i) => {
    if (v.every((x, j) => float32Bits(x) === float32Bits(c[i][j]))) r.exactFloat++;
    let same = true;
    for (let j = 0; j < F; j++) {
      const d = Math.abs(tsQ[i][j] - cQflat[i * F + j]);
      if (d) same = false;
      if (d > r.maxStep) {
        r.maxStep = d;
        if (d > 1) throw new Error(`${data.keys[i]}: feature ${plan.names[j]} differs by ${d} int8 steps`);
      }
    }
    if (same) r.exactInt8++;
  });
  return r;
}

describe(`feature parity on the shared real recordings (TypeScript vs C) ${SHARED_DATA_TAG}`, function () {
  this.timeout(600000);

  const cases: Array<[string, () => SharedWindows, FeatureConfig]> = [
    ['gestures (119 × 6 at 119 Hz)', gestureWindows, GESTURE_CONFIG],
    ['fan vibration (200 × 3 at 200 Hz)', fanWindows, FAN_CONFIG],
    ['HAR users 01+03 (sliding 128 × 6 at 50 Hz)', () => harWindows(), HAR_CONFIG],
  ];
  for (const [name, load, config] of cases) {
    it(`${name}: within one int8 step everywhere, exact on >= 99.9% of windows (host gcc)`, () => {
      const data = load();
      assert.ok(data.windows.length > 100, `only ${data.windows.length} windows`);
      const r = compare(planFeatures(config, data.shape), data);
      assert.ok(r.maxStep <= 1);
      assert.ok(r.exactInt8 >= 0.999 * r.windows, `exact int8 on ${r.exactInt8} of ${r.windows} windows`);
      assert.ok(r.exactFloat >= 0.999 * r.windows, `bit-exact floats on ${r.exactFloat} of ${r.windows} windows`);
    });
  }

  it('gestures: 20 windows on the emulated ATmega328P give the same float bits as the engine', async () => {
    const data = gestureWindows();
    const plan = planFeatures(GESTURE_CONFIG, data.shape);
    assert.ok(bufferBytes(GESTURE_CONFIG, 119, 6).total < 1800, 'fits an Uno with room for the stack');
    const step = Math.floor(data.windows.length / 20);
    const sample = Array.from({ length: 20 }, (_, i) => data.windows[i * step]);
    for (let b = 0; b < 20; b += 5) {
      const batch = sample.slice(b, b + 5); // 5 windows of 2856 bytes fit in the 32 KB flash
      const run = await runAvrFeatures(plan, batch);
      batch.forEach((w, i) => {
        const want = computeFeatures(plan, w).map((v) => float32Bits(v));
        assert.deepStrictEqual(Array.from(run.features[i], (v) => float32Bits(v)), want, `window ${data.keys[(b + i) * step]}`);
      });
    }
  });
});
