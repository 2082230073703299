import assert from 'assert';
import { bufferBytes, computeFeatures, featureConfigProblems, planFeatures, FeatureConfigError } from '../../src/dsp/feature-pipeline';
import { fitNormalization, normalize } from '../../src/dsp/normalization';
import { rawBlock } from '../../src/dsp/raw-block';

const shape = { windowLength: 8, axes: ['x', 'y'], rate: 16 };
const win = Array.from({ length: 8 }, (_, t) => [t, -2 * t]);

describe('feature pipeline (config -> plan -> vector + names)', () => {
  it('orders features raw (sample-major), then stats (axis-major), then bands, with stable names', () => {
    const plan = planFeatures({ raw: { decimate: 4 }, stats: { features: ['max', 'mean'] }, spectral: { fftLength: 4, bands: [0, 4, 8] } }, shape);
    assert.deepStrictEqual(plan.names, ['x.raw_0', 'y.raw_0', 'x.raw_1', 'y.raw_1', 'x.max', 'x.mean', 'y.max', 'y.mean', 'x.band_0_4hz', 'x.band_4_8hz', 'y.band_0_4hz', 'y.band_4_8hz']);
    const v = computeFeatures(plan, win);
    assert.deepStrictEqual(v.slice(0, 8).map((x) => x + 0), [1.5, -3, 5.5, -11, 7, 3.5, 0, -7]); // y.max is -0 (-2·0)
  });

  it('raw decimation averages each run of D samples and drops the incomplete tail', () => {
    assert.deepStrictEqual(rawBlock([Float32Array.from([1, 2, 3, 4, 5, 6, 7])], 3), [2, 5]);
    assert.deepStrictEqual(rawBlock([Float32Array.from([1, 2]), Float32Array.from([3, 4])], 1), [1, 3, 2, 4]);
  });

  it('applies the per-axis scale first', () => {
    const plan = planFeatures({ scale: [2, 0.5], stats: { features: ['mean'] } }, shape);
    assert.deepStrictEqual(computeFeatures(plan, win), [7, -3.5]);
  });

  it('names every problem of a configuration and of a window', () => {
    const problems = featureConfigProblems({ raw: { decimate: 0 }, stats: { features: ['median' as 'mean'] }, filter: { type: 'lowpass', cutoffHz: 9 } }, shape);
    assert.ok(problems.some((p) => /raw.decimate/.test(p)));
    assert.ok(problems.some((p) => /unknown statistic\(s\) median/.test(p)));
    assert.ok(problems.some((p) => /cutoffHz/.test(p)));
    assert.throws(() => planFeatures({}, shape), (e: Error) => e instanceof FeatureConfigError && /no feature block is on/.test(e.message));
    assert.throws(() => planFeatures({ stats: {} }, { ...shape, axes: ['x', 'x'] }), /distinct/);
    const plan = planFeatures({ stats: {} }, shape);
    assert.throws(() => computeFeatures(plan, win.slice(1)), /must hold 8 samples/);
    assert.throws(() => computeFeatures(plan, win.map((r, t) => (t === 3 ? [r[0], NaN] : r))), /sample 3, axis y is not a finite number/);
  });

  it('declares the RAM each block needs on the chip (stats stream; mcr and raw keep the window)', () => {
    const stats = bufferBytes({ stats: {} }, 119, 6);
    assert.strictEqual(stats.stats, 6 * (7 * 4 + 2 + 1)); // shift, S1..S4, min, max; zero crossings; sign
    assert.ok(stats.total < 2048 / 2, 'streaming stats of a 119×6 window fit an Uno easily');
    const mcr = bufferBytes({ stats: { features: ['mcr'] } }, 119, 6);
    assert.ok(mcr.stats > 119 * 6 * 4, 'mcr stores the window');
    const raw = bufferBytes({ raw: {} }, 119, 6);
    assert.strictEqual(raw.output, 119 * 6 * 4);
    const spectral = bufferBytes({ spectral: { fftLength: 64, bandCount: 8 } }, 119, 6);
    // ring of one 64-sample segment per axis, 32 complex values for the packed real FFT, band sums
    assert.strictEqual(spectral.spectral, 64 * 6 * 4 + 64 * 4 + 6 * 8 * 4);
    // FFT longer than the window: the ring holds the window (119), the FFT buffer N floats
    assert.strictEqual(bufferBytes({ spectral: { fftLength: 128, bandCount: 8 } }, 119, 6).spectral, 119 * 6 * 4 + 128 * 4 + 6 * 8 * 4);
    assert.strictEqual(bufferBytes({ stats: {}, filter: { type: 'highpass', cutoffHz: 1, order: 4 } }, 119, 6).filter, 6 * 2 * 2 * 4 + 1);
  });

  it('fits and applies normalization (population std, 1 for constant features)', () => {
    const p = fitNormalization([[1, 5], [3, 5], [5, 5]]);
    assert.deepStrictEqual(p.mean, [3, 5]);
    assert.strictEqual(p.std[1], 1);
    assert.ok(Math.abs(p.std[0] - Math.sqrt(8 / 3)) < 1e-6);
    const y = normalize(p, [3 + p.std[0], 7]);
    assert.ok(Math.abs(y[0] - 1) < 1e-6);
    assert.strictEqual(y[1], 2);
    assert.throws(() => normalize(p, [1]), /expects 2/);
    assert.throws(() => fitNormalization([]), /at least one/);
  });
});
