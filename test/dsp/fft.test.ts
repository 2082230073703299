import assert from 'assert';
import fc from 'fast-check';
import { bitReversal, fftInPlace, realFftTwice, twiddleTables } from '../../src/dsp/fft';

function fft(x: number[], imag?: number[]): { re: Float32Array; im: Float32Array } {
  const re = Float32Array.from(x);
  const im = imag ? Float32Array.from(imag) : new Float32Array(x.length);
  fftInPlace(re, im, twiddleTables(x.length));
  return { re, im };
}

describe('FFT (float32 radix-2)', () => {
  it('transforms known small vectors', () => {
    const impulse = fft([1, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepStrictEqual(Array.from(impulse.re), [1, 1, 1, 1, 1, 1, 1, 1]);
    assert.deepStrictEqual(Array.from(impulse.im).map(Math.abs), [0, 0, 0, 0, 0, 0, 0, 0]);
    const dc = fft([2, 2, 2, 2]);
    assert.deepStrictEqual(Array.from(dc.re), [8, 0, 0, 0]);
    const alt = fft([1, -1, 1, -1]);
    assert.deepStrictEqual(Array.from(alt.re), [0, 0, 4, 0]);
    // [1, 2, 3, 4] -> [10, -2+2i, -2, -2-2i] (numpy.fft.fft)
    const r = fft([1, 2, 3, 4]);
    assert.deepStrictEqual(Array.from(r.re), [10, -2, -2, -2]);
    assert.deepStrictEqual(Array.from(r.im), [0, 2, 0, -2]);
  });

  it('puts a cosine of bin k at bins k and N-k with magnitude N/2', () => {
    const n = 64;
    const k = 5;
    const { re, im } = fft(Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * k * t) / n)));
    for (let b = 0; b < n; b++) {
      const mag = Math.hypot(re[b], im[b]);
      assert.ok(Math.abs(mag - (b === k || b === n - k ? n / 2 : 0)) < 1e-4, `bin ${b}: ${mag}`);
    }
  });

  it('satisfies Parseval: Σ|x|² = Σ|X|²/N, and matches a float64 DFT', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 256, maxLength: 256 }), (log2, values) => {
      const n = 2 ** log2;
      const x = values.slice(0, n).map(Math.fround);
      const { re, im } = fft(x);
      const et = x.reduce((a, v) => a + v * v, 0);
      let ef = 0;
      for (let i = 0; i < n; i++) {
        ef += re[i] * re[i] + im[i] * im[i];
        let dr = 0;
        let di = 0;
        for (let t = 0; t < n; t++) {
          dr += x[t] * Math.cos((2 * Math.PI * i * t) / n);
          di -= x[t] * Math.sin((2 * Math.PI * i * t) / n);
        }
        assert.ok(Math.abs(dr - re[i]) <= 1e-4 * (1 + Math.sqrt(et) * n) && Math.abs(di - im[i]) <= 1e-4 * (1 + Math.sqrt(et) * n));
      }
      return Math.abs(et - ef / n) <= 1e-5 * (1 + et);
    }), { numRuns: 60 });
  });

  it('real-input FFT (N/2 complex FFT + split) gives 2·X[k] of the float64 DFT for k = 0..N/2', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 8 }), fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 256, maxLength: 256 }), (log2, values) => {
      const n = 2 ** log2;
      const x = Float32Array.from(values.slice(0, n));
      const { re, im } = realFftTwice(x, twiddleTables(n));
      assert.strictEqual(re.length, n / 2 + 1);
      const energy = x.reduce((a, v) => a + v * v, 0);
      for (let k = 0; k <= n / 2; k++) {
        let dr = 0;
        let di = 0;
        for (let t = 0; t < n; t++) {
          dr += x[t] * Math.cos((2 * Math.PI * k * t) / n);
          di -= x[t] * Math.sin((2 * Math.PI * k * t) / n);
        }
        const tol = 1e-4 * (1 + Math.sqrt(energy) * n);
        assert.ok(Math.abs(2 * dr - re[k]) <= tol && Math.abs(2 * di - im[k]) <= tol, `N=${n} bin ${k}: ${re[k]},${im[k]} vs 2·(${dr},${di})`);
      }
      // Parseval on the one-sided spectrum: Σx² = (|X0|² + 2Σ|Xk|² + |X_N/2|²)/N
      let ef = 0;
      for (let k = 0; k <= n / 2; k++) ef += ((k === 0 || k === n / 2 ? 1 : 2) * (re[k] * re[k] + im[k] * im[k])) / 4;
      return Math.abs(energy - ef / n) <= 1e-5 * (1 + energy);
    }), { numRuns: 60 });
  });

  it('bit-reverses indexes', () => {
    assert.deepStrictEqual(Array.from(bitReversal(8)), [0, 4, 2, 6, 1, 5, 3, 7]);
  });

  it('rejects lengths that are not a power of two', () => {
    assert.throws(() => twiddleTables(12), /power of two/);
    assert.throws(() => fftInPlace(new Float32Array(8), new Float32Array(8), twiddleTables(4)), /do not match/);
  });
});
