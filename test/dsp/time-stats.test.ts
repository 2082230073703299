import assert from 'assert';
import fc from 'fast-check';
import { STAT_NAMES, timeStatsInto, type StatName } from '../../src/dsp/time-stats';
import { TimeStatsAccumulator } from '../support/time-stats-accumulator';
import { mulberry32 } from '../../src/random/mulberry32';

function stats(x: number[], names: readonly StatName[] = STAT_NAMES): Record<string, number> {
  const acc = new TimeStatsAccumulator(true);
  for (const v of x) acc.push(Math.fround(v));
  const r = acc.result(names);
  return Object.fromEntries(names.map((n, i) => [n, r[i]]));
}

describe('time statistics (one streaming pass, float32)', () => {
  it('a sine of amplitude A has RMS A/√2, mean 0, skew 0 and excess kurtosis -1.5', () => {
    const A = 3;
    const n = 1000; // 10 whole periods
    const s = stats(Array.from({ length: n }, (_, t) => A * Math.sin((2 * Math.PI * 10 * t) / n)));
    assert.ok(Math.abs(s.rms - A / Math.SQRT2) < 1e-5, `rms ${s.rms}`);
    assert.ok(Math.abs(s.std - A / Math.SQRT2) < 1e-5);
    assert.ok(Math.abs(s.mean) < 1e-6);
    assert.ok(Math.abs(s.skew) < 1e-4);
    assert.ok(Math.abs(s.kurt + 1.5) < 1e-4, `kurt ${s.kurt}`); // arcsine distribution
    assert.ok(Math.abs(s.ptp - 2 * A) < 1e-3);
  });

  it('uniform noise has excess kurtosis near -1.2, Gaussian near 0, exponential skew near 2', () => {
    const rnd = mulberry32(42);
    const n = 20000;
    const uni = stats(Array.from({ length: n }, () => rnd() * 2 - 1));
    assert.ok(Math.abs(uni.kurt + 1.2) < 0.05, `uniform kurt ${uni.kurt}`);
    assert.ok(Math.abs(uni.skew) < 0.05);
    const gauss = stats(Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd())));
    assert.ok(Math.abs(gauss.kurt) < 0.15, `gauss kurt ${gauss.kurt}`);
    const expo = stats(Array.from({ length: n }, () => -Math.log(1 - rnd())));
    assert.ok(Math.abs(expo.skew - 2) < 0.2, `exponential skew ${expo.skew}`);
  });

  it('computes the population statistics of a small known vector', () => {
    const s = stats([2, 4, 4, 4, 5, 5, 7, 9]);
    assert.strictEqual(s.mean, 5);
    assert.strictEqual(s.std, 2); // population: sqrt(32/8)
    assert.strictEqual(s.min, 2);
    assert.strictEqual(s.max, 9);
    assert.strictEqual(s.ptp, 7);
    assert.ok(Math.abs(s.rms - Math.sqrt(232 / 8)) < 1e-6);
    // scipy.stats.skew([2,4,4,4,5,5,7,9]) = 0.65625, kurtosis = -0.21875
    assert.ok(Math.abs(s.skew - 0.65625) < 1e-6, `skew ${s.skew}`);
    assert.ok(Math.abs(s.kurt + 0.21875) < 1e-6, `kurt ${s.kurt}`);
  });

  it('counts zero and mean crossings per sample interval', () => {
    const s = stats([1, -1, -2, 3, 0, -0.5, 4, 4]);
    // sign changes (x<0 flips): 1→-1, -2→3, 0→-0.5, -0.5→4 : 4 of 7 intervals
    assert.strictEqual(s.zcr, Math.fround(4 / 7));
    // mean 1.0625: below/above flips at 1→-1? (1<1.0625 and -1<1.0625: no), -2→3 yes, 3→0 yes, -0.5→4 yes
    assert.strictEqual(s.mcr, Math.fround(3 / 7));
  });

  it('defines skew and kurtosis as 0 for a constant window, rates as 0 for one sample', () => {
    const s = stats(Array(50).fill(2.5));
    assert.strictEqual(s.std, 0);
    assert.strictEqual(s.skew, 0);
    assert.strictEqual(s.kurt, 0);
    assert.strictEqual(s.rms, 2.5);
    const one = stats([7]);
    assert.strictEqual(one.zcr, 0);
    assert.strictEqual(one.mean, 7);
  });

  it('agrees with a two-pass float64 computation on large offsets (no catastrophic cancellation)', () => {
    fc.assert(fc.property(fc.double({ min: -1000, max: 1000, noNaN: true }), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 20, maxLength: 300 }), (offset, noise) => {
      const x = noise.map((v) => Math.fround(offset + v));
      const n = x.length;
      const mean = x.reduce((a, b) => a + b, 0) / n;
      const m2 = x.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
      const s = stats(x, ['mean', 'std', 'min', 'max']);
      const tol = 1e-5 * (Math.abs(offset) + 1);
      return Math.abs(s.mean - mean) <= tol && Math.abs(s.std - Math.sqrt(m2)) <= 1e-3 * Math.sqrt(m2) + tol && s.min <= s.mean && s.mean <= s.max;
    }), { numRuns: 200 });
  });

  it('stays accurate when the first sample (the shift) is an outlier on a large offset', () => {
    // the shift K = x[0] is a sample, so (K - mean)^2 <= M2: cancellation is bounded by n (time-stats.ts)
    fc.assert(fc.property(fc.double({ min: -2e4, max: 2e4, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -30, max: 30, noNaN: true }), fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 30, maxLength: 200 }), (offset, logSpread, outlier, noise) => {
      const spread = 10 ** logSpread;
      const x = [offset + outlier * spread, ...noise.map((v) => offset + (v / 1000) * spread)].map(Math.fround);
      const n = x.length;
      const mean = x.reduce((a, b) => a + b, 0) / n;
      const m2 = x.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
      const m4 = x.reduce((a, b) => a + (b - mean) ** 4, 0) / n;
      fc.pre(Math.sqrt(m2) > 0.01 * spread);
      const s = stats(x, ['mean', 'std', 'kurt']);
      const std = Math.sqrt(m2);
      const ulp = 2 ** (Math.floor(Math.log2(Math.abs(offset) + 40 * spread)) - 23);
      assert.ok(Math.abs(s.std - std) <= 1e-4 * std, `std ${s.std} vs ${std}`);
      assert.ok(Math.abs(s.mean - mean) <= 1e-4 * std + ulp, `mean ${s.mean} vs ${mean}`);
      const kurt = m4 / (m2 * m2) - 3;
      assert.ok(Math.abs(s.kurt - kurt) <= 1e-3 * (Math.abs(kurt) + 3), `kurt ${s.kurt} vs ${kurt}`);
    }), { numRuns: 300 });
  });

  it('refuses the mean-crossing rate when the history was not kept', () => {
    const acc = new TimeStatsAccumulator(false);
    acc.push(1);
    acc.push(2);
    assert.throws(() => acc.result(['mcr']), /history/);
  });

  it('the table-driven pass of computeFeatures gives the accumulator\'s bits for every statistic', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 2, maxLength: 300 }), (values) => {
      const x = Float32Array.from(values);
      const acc = new TimeStatsAccumulator(true);
      for (const v of x) acc.push(v);
      const out: number[] = [];
      timeStatsInto(x, x.length, Uint8Array.from(STAT_NAMES.map((_, i) => i)), out, 0);
      assert.deepStrictEqual(out, acc.result([...STAT_NAMES]));
    }), { numRuns: 200 });
  });
});
