import assert from 'assert';
import { planFeatures } from '../../src/dsp/feature-pipeline';
import { featureFloatOps } from '../../src/dsp/float-op-count';

describe('float operation count of the C twin (the floor beside measured AVR cycles)', () => {
  it('counts the shifted power sums per sample and axis, the moments per axis and each statistic at the end', () => {
    // 4 samples × 1 axis, mean only: 4 scalings + 4 × 3 sum multiplications + 13 for the moments,
    // 4 × 5 sum additions + 7 for the moments, 1 moment division + 1 variance division,
    // 4 × 3 compares + 3 (n = 0, two clamps) + 1 (n > 0).
    const ops = featureFloatOps(planFeatures({ stats: { features: ['mean'] } }, { windowLength: 4, axes: ['x'], rate: 10 }));
    assert.deepStrictEqual(ops, { add: 27, mul: 29, div: 2, cmp: 16, sqrt: 0, log10: 0, total: 74 });
  });

  it('counts the N/2-point complex FFT and the real split per segment and axis, and scales with axes and segments', () => {
    const shape = { windowLength: 16, axes: ['x'], rate: 16 };
    // N = 8, hop 4: 3 segments; the 4-point FFT has 4 butterflies, 3 with twiddle 1 and 1 with −i
    // (4 add each, no multiplication); bins 0..3 cost 10 add + 7 mul each, bin 4 (N/2) 3 add + 2 mul.
    const one = featureFloatOps(planFeatures({ spectral: { fftLength: 8, bandCount: 2 } }, shape));
    const perSegmentMul = 8 + (4 * 7 + 2);
    const perSegmentAdd = 8 + 8 + 4 * 4 + (4 * 10 + 3);
    // N = 64: the 32-point FFT has 80 butterflies, 31 + 15 without multiplication
    const big = featureFloatOps(planFeatures({ spectral: { fftLength: 64, bandCount: 1, detrend: 'none' } }, { windowLength: 64, axes: ['x'], rate: 64 }));
    assert.strictEqual(big.mul, 64 + 64 + 4 * (80 - 46) + (32 * 7 + 2) + 1);
    assert.strictEqual(one.mul, 16 + 3 * perSegmentMul + 2);
    assert.strictEqual(one.add, 3 * perSegmentAdd + 2);
    assert.strictEqual(one.div, 3);
    assert.strictEqual(one.log10, 2);
    const three = featureFloatOps(planFeatures({ spectral: { fftLength: 8, bandCount: 2 } }, { ...shape, axes: ['x', 'y', 'z'] }));
    assert.strictEqual(three.total, 3 * one.total);
  });

  it('adds 5 multiplications and 4 additions per biquad section, sample and axis', () => {
    const shape = { windowLength: 10, axes: ['x', 'y'], rate: 100 };
    const plain = featureFloatOps(planFeatures({ raw: {} }, shape));
    const filtered = featureFloatOps(planFeatures({ raw: {}, filter: { type: 'lowpass', cutoffHz: 10, order: 4 } }, shape));
    assert.strictEqual(filtered.mul - plain.mul, 5 * 2 * 10 * 2);
    assert.strictEqual(filtered.add - plain.add, 4 * 2 * 10 * 2);
  });
});
