/**
 * FFTs in float32 steps, mirrored operation for operation by `tml_fft_core`/`tml_rfft_power4` in
 * firmware/arduino/tinyml_dsp/tml_dsp.c. Forward transform, no scaling:
 * X[k] = Σ x[n]·e^(-2πi·nk/N) (the convention of numpy.fft.fft).
 *
 * The spectral block needs the spectrum of a REAL segment of N samples: it packs it into N/2
 * complex values z[m] = x[2m] + i·x[2m+1] (in bit-reversed order, so no permutation pass), runs
 * one N/2-point complex radix-2 FFT Z, and splits (Cooley, Lewis & Welch, "The fast Fourier
 * transform algorithm: programming considerations...", J. Sound Vib. 12(3), 1970; Numerical
 * Recipes §12.3):
 *   2·X[k] = (Z[k] + conj Z[H-k]) - i·W^k·(Z[k] - conj Z[H-k]),  H = N/2, W = e^(-2πi/N), Z[H] = Z[0];
 *   2·X[H] = 2·(Re Z[0] - Im Z[0]).
 * Only |2·X[k]|² is formed (the power the PSD needs); the factor 4 goes into the PSD scale.
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

/** rev[i] = i with its log2(n) bits reversed (n a power of two). */
export function bitReversal(n: number): Uint16Array {
  if (!isPowerOfTwo(n) && n !== 1) throw new Error(`bit reversal needs a power of two, got ${n}`);
  const rev = new Uint16Array(n);
  const bits = Math.round(Math.log2(n));
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  return rev;
}

/**
 * In-place radix-2 decimation-in-time FFT of h complex values already in bit-reversed order.
 * W_h^j = (cos[j·stride], negSin[j·stride]) (stride = table length·2 / h). Two twiddles of each
 * stage are applied exactly, without multiplications: 1 (k = 0) and -i (k = half/2, where the
 * rounded table holds cos = 6e-17 instead of 0). Butterflies run twiddle-major (k outer).
 */
export function fftCore(re: Float32Array, im: Float32Array, h: number, cos: Float32Array, negSin: Float32Array, stride: number): void {
  let first = 2;
  if (h >= 4) {
    // stages of size 2 and 4 fused per group of four (their butterflies, same steps: the values
    // of each stage do not depend on the order of its independent butterflies)
    for (let i = 0; i < h; i += 4) {
      const r0 = re[i], r1 = re[i + 1], r2 = re[i + 2], r3 = re[i + 3];
      const i0 = im[i], i1 = im[i + 1], i2 = im[i + 2], i3 = im[i + 3];
      const br1 = f32(r0 - r1), bi1 = f32(i0 - i1), br0 = f32(r0 + r1), bi0 = f32(i0 + i1);
      const br3 = f32(r2 - r3), bi3 = f32(i2 - i3), br2 = f32(r2 + r3), bi2 = f32(i2 + i3);
      re[i + 2] = f32(br0 - br2);
      im[i + 2] = f32(bi0 - bi2);
      re[i] = f32(br0 + br2);
      im[i] = f32(bi0 + bi2);
      // W = -i on (1, 3)
      re[i + 3] = f32(br1 - bi3);
      im[i + 3] = f32(bi1 + br3);
      re[i + 1] = f32(br1 + bi3);
      im[i + 1] = f32(bi1 - br3);
    }
    first = 8;
  }
  for (let size = first; size <= h; size <<= 1) {
    const half = size >> 1;
    for (let i = 0; i < h; i += size) {
      const j = i + half;
      const xr = re[j];
      const xi = im[j];
      re[j] = f32(re[i] - xr);
      im[j] = f32(im[i] - xi);
      re[i] = f32(re[i] + xr);
      im[i] = f32(im[i] + xi);
    }
    const quarter = half >> 1;
    if (quarter > 0) {
      // W = -i: W·x = xi - i·xr
      for (let i = quarter; i < h; i += size) {
        const j = i + half;
        const xr = re[j];
        const xi = im[j];
        re[j] = f32(re[i] - xi);
        im[j] = f32(im[i] + xr);
        re[i] = f32(re[i] + xi);
        im[i] = f32(im[i] - xr);
      }
    }
    const step = (h / size) * stride;
    for (let k = 1; k < half; k++) {
      if (k === quarter) continue;
      const wr = cos[k * step];
      const wi = negSin[k * step];
      for (let i = k; i < h; i += size) {
        const j = i + half;
        const xr = re[j];
        const xi = im[j];
        const tr = f32(f32(wr * xr) - f32(wi * xi));
        const ti = f32(f32(wr * xi) + f32(wi * xr));
        re[j] = f32(re[i] - tr);
        im[j] = f32(im[i] - ti);
        re[i] = f32(re[i] + tr);
        im[i] = f32(im[i] + ti);
      }
    }
  }
}

/** In-place forward complex FFT of (re, im) in natural order, N = 2·twiddles.cos.length. */
export function fftInPlace(re: Float32Array, im: Float32Array, tw: TwiddleTables): void {
  const n = re.length;
  if (im.length !== n || tw.cos.length * 2 !== n) throw new Error(`FFT buffers (${re.length}, ${im.length}) do not match the twiddle tables for N=${tw.cos.length * 2}`);
  const rev = bitReversal(n);
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (i < j) {
      const tr = re[i];
      re[i] = re[j];
      re[j] = tr;
      const ti = im[i];
      im[i] = im[j];
      im[j] = ti;
    }
  }
  fftCore(re, im, n, tw.cos, tw.negSin, 1);
}

/**
 * |2·X[k]|² (four times the power of bin k) of the real sequence whose half-length FFT Z is in
 * (re, im), length h = N/2; k from 0 to h; twiddles of the N-point table.
 */
export function realFftPower4(re: Float32Array, im: Float32Array, h: number, tw: TwiddleTables, k: number): number {
  if (k === h) {
    const d = f32(re[0] - im[0]);
    const x = f32(d + d);
    return f32(x * x);
  }
  const m = (h - k) & (h - 1);
  const ar = f32(re[k] + re[m]);
  const ai = f32(im[k] - im[m]);
  const br = f32(re[k] - re[m]);
  const bi = f32(im[k] + im[m]);
  const c = tw.cos[k];
  const s = tw.negSin[k];
  const xr = f32(ar + f32(f32(c * bi) + f32(s * br)));
  const xi = f32(ai + f32(f32(s * bi) - f32(c * br)));
  return f32(f32(xr * xr) + f32(xi * xi));
}

/**
 * Real-input FFT for tests and tools: x (length N, a power of two >= 4) -> 2·X[k] for k = 0..N/2
 * as float64 pairs of the float32 steps above (the spectral block uses the power only).
 */
export function realFftTwice(x: Float32Array, tw: TwiddleTables): { re: number[]; im: number[] } {
  const n = x.length;
  if (!isPowerOfTwo(n) || n < 4 || tw.cos.length * 2 !== n) throw new Error(`real FFT needs a power of two >= 4 matching the twiddles (N=${tw.cos.length * 2}), got ${n}`);
  const h = n / 2;
  const rev = bitReversal(h);
  const zr = new Float32Array(h);
  const zi = new Float32Array(h);
  for (let i = 0; i < h; i++) {
    zr[rev[i]] = x[2 * i];
    zi[rev[i]] = x[2 * i + 1];
  }
  fftCore(zr, zi, h, tw.cos, tw.negSin, 2);
  const outRe: number[] = [];
  const outIm: number[] = [];
  for (let k = 0; k < h; k++) {
    const m = (h - k) & (h - 1);
    const ar = f32(zr[k] + zr[m]);
    const ai = f32(zi[k] - zi[m]);
    const br = f32(zr[k] - zr[m]);
    const bi = f32(zi[k] + zi[m]);
    outRe.push(f32(ar + f32(f32(tw.cos[k] * bi) + f32(tw.negSin[k] * br))));
    outIm.push(f32(ai + f32(f32(tw.negSin[k] * bi) - f32(tw.cos[k] * br))));
  }
  const d = f32(zr[0] - zi[0]);
  outRe.push(f32(d + d));
  outIm.push(0);
  return { re: outRe, im: outIm };
}
