/**
 * Radix-2 decimation-in-time complex FFT in float32 steps, mirrored operation for operation by
 * `tml_fft` in firmware/arduino/tinyml_dsp/tml_dsp.c. Forward transform, no scaling:
 * X[k] = Σ x[n]·e^(-2πi·nk/N) (the convention of numpy.fft.fft).
 */
import { f32 } from './float32';

export interface TwiddleTables {
  /** cos(2πk/N), k = 0..N/2-1, float32 */
  cos: Float32Array;
  /** -sin(2πk/N), k = 0..N/2-1, float32 (the imaginary part of e^(-2πik/N)) */
  negSin: Float32Array;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

/** Twiddle tables computed in float64 and rounded once to float32; the C header gets the same bits. */
export function twiddleTables(n: number): TwiddleTables {
  if (!isPowerOfTwo(n)) throw new Error(`FFT length must be a power of two >= 2, got ${n}`);
  const cos = new Float32Array(n / 2);
  const negSin = new Float32Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    const a = (2 * Math.PI * k) / n;
    cos[k] = f32(Math.cos(a));
    negSin[k] = f32(-Math.sin(a));
  }
  return { cos, negSin };
}

/** In-place forward FFT of (re, im), both of length N = 2·twiddles.cos.length. */
export function fftInPlace(re: Float32Array, im: Float32Array, tw: TwiddleTables): void {
  const n = re.length;
  if (im.length !== n || tw.cos.length * 2 !== n) throw new Error(`FFT buffers (${re.length}, ${im.length}) do not match the twiddle tables for N=${tw.cos.length * 2}`);
  // bit-reversal permutation
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i];
      re[i] = re[j];
      re[j] = tr;
      const ti = im[i];
      im[i] = im[j];
      im[j] = ti;
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = tw.cos[k * step];
        const wi = tw.negSin[k * step];
        const i = start + k;
        const j = i + half;
        const tr = f32(f32(wr * re[j]) - f32(wi * im[j]));
        const ti = f32(f32(wr * im[j]) + f32(wi * re[j]));
        re[j] = f32(re[i] - tr);
        im[j] = f32(im[i] - ti);
        re[i] = f32(re[i] + tr);
        im[i] = f32(im[i] + ti);
      }
    }
  }
}
