/**
 * Time-domain statistics of one axis in ONE streaming pass (no window storage, except for the
 * mean-crossing rate, which needs the mean first), float32 step by step, mirrored by the stats
 * part of `tml_features_push`/`tml_stat` in firmware/arduino/tinyml_dsp/tml_features.c.
 *
 * Shifted power sums (the "shifted data" method: T. Chan, G. Golub, R. LeVeque, "Algorithms for
 * computing the sample variance", The American Statistician 37(3), 1983): with K = the window's
 * FIRST sample and d = x − K, per sample (8 float32 steps, no division)
 *   d2 = d·d;  S1 += d;  S2 += d2;  S3 += d2·d;  S4 += d2·d2
 * and at the end, with m = S1/n (the mean of d), the central sums by binomial expansion of
 * Σ(d − m)^k (using n·m = S1):
 *   M2 = S2 − m·S1
 *   M3 = S3 − 3m·S2 + 2m²·S1
 *   M4 = S4 − 4m·S3 + 6m²·S2 − 3m³·S1
 * Why K = x[0] is enough in float32: the shift removes the offset (gravity, a sensor's bias), and
 * as K is one of the samples, (K − mean)^2 <= M2 and (K − mean)^4 <= M4, so the terms that cancel
 * are at most n times the result: the error stays within ~n·2^-24 relative (119 samples: ~1e-5).
 * Definitions (n samples x_i):
 *   mean = K + m; std = sqrt(M2/n) (POPULATION standard deviation); rms = sqrt(M2/n + mean²);
 *   min; max; ptp = max - min;
 *   skew = sqrt(n)·M3 / M2^1.5 (biased Fisher–Pearson g1, scipy.stats.skew(bias=True));
 *   kurt = n·M4/M2² - 3 (EXCESS kurtosis, biased g2, scipy.stats.kurtosis(fisher=True, bias=True));
 *   M2 and M4 are clamped at 0 (rounding); skew = kurt = 0 for a constant signal (M2 = 0);
 *   zcr = #{i in 1..n-1 : (x[i-1] < 0) != (x[i] < 0)} / (n-1)   (sign changes per sample interval);
 *   mcr = the same with x < mean instead of x < 0 (mean of the whole window);
 *   zcr = mcr = 0 when n < 2.
 */
import { f32 } from './float32';
import { sqrt32 } from './float32-math';

export const STAT_NAMES = ['mean', 'std', 'rms', 'min', 'max', 'ptp', 'skew', 'kurt', 'zcr', 'mcr'] as const;
export type StatName = (typeof STAT_NAMES)[number];
/** Default set: every statistic that streams without storing the window. */
export const DEFAULT_STATS: readonly StatName[] = ['mean', 'std', 'rms', 'min', 'max', 'ptp', 'skew', 'kurt', 'zcr'];

/** Power sums of one axis after a pass: K, S1..S4, min, max, zero crossings (8 values per axis). */
export const SUM_SLOTS = 8;

/** The moments the statistics are defined on. */
export interface CentralMoments {
  mean: number;
  m2: number;
  m3: number;
  m4: number;
}

/** mean, M2, M3, M4 from the shifted sums, float32 step by step; twin of tml_stats_moments. */
export function centralMoments(n: number, shift: number, s1: number, s2: number, s3: number, s4: number): CentralMoments {
  if (n === 0) return { mean: 0, m2: 0, m3: 0, m4: 0 };
  const m = f32(s1 / n);
  const mm = f32(m * m);
  const m2 = f32(s2 - f32(m * s1));
  const m3 = f32(f32(s3 - f32(f32(3 * m) * s2)) + f32(f32(2 * mm) * s1));
  const m4 = f32(f32(f32(s4 - f32(f32(4 * m) * s3)) + f32(f32(6 * mm) * s2)) - f32(f32(f32(3 * mm) * m) * s1));
  return { mean: f32(shift + m), m2: m2 > 0 ? m2 : 0, m3, m4: m4 > 0 ? m4 : 0 };
}

/** Sign changes of x − mean over x[0..length): the mean-crossing count. */
export function meanCrossingCount(x: ArrayLike<number>, length: number, mean: number): number {
  let count = 0;
  for (let t = 1; t < length; t++) if (x[t - 1] < mean !== x[t] < mean) count++;
  return count;
}

/** One statistic (code = index in STAT_NAMES) from the central moments; twin of tml_stat. */
export function statValue(code: number, n: number, c: CentralMoments, min: number, max: number, zeroCrossings: number, meanCrossings: number): number {
  const { mean, m2, m3, m4 } = c;
  const variance = n > 0 ? f32(m2 / n) : 0;
  switch (code) {
    case 0: return mean;
    case 1: return sqrt32(variance);
    case 2: return sqrt32(f32(variance + f32(mean * mean)));
    case 3: return min;
    case 4: return max;
    case 5: return f32(max - min);
    case 6: return m2 > 0 ? f32(f32(sqrt32(n) * m3) / f32(m2 * sqrt32(m2))) : 0;
    case 7: return m2 > 0 ? f32(f32(f32(n * m4) / f32(m2 * m2)) - 3) : 0;
    case 8: return n > 1 ? f32(zeroCrossings / f32(n - 1)) : 0;
    case 9: return n > 1 ? f32(meanCrossings / f32(n - 1)) : 0;
    default: throw new Error(`unknown statistic code ${code}`);
  }
}

/**
 * The per-sample update of the header over a whole axis (float32 values held in a float64 array,
 * so a load needs no conversion; length >= 1) into state[base..base+SUM_SLOTS).
 */
export function powerSums(x: Float64Array, length: number, state: Float64Array, base: number): void {
  const k = x[0];
  let s1 = 0, s2 = 0, s3 = 0, s4 = 0;
  let min = k, max = k, z = 0;
  // sign bits as 0/1 integers: a crossing is their xor (no branch)
  let neg = k < 0 ? 1 : 0;
  for (let t = 0; t < length; t++) {
    const v = x[t];
    const d = f32(v - k);
    const d2 = f32(d * d);
    s1 = f32(s1 + d);
    s2 = f32(s2 + d2);
    s3 = f32(s3 + f32(d2 * d));
    s4 = f32(s4 + f32(d2 * d2));
    if (v < min) min = v;
    if (v > max) max = v;
    const nv = v < 0 ? 1 : 0;
    z += nv ^ neg;
    neg = nv;
  }
  state[base] = k; state[base + 1] = s1; state[base + 2] = s2; state[base + 3] = s3; state[base + 4] = s4;
  state[base + 5] = min; state[base + 6] = max; state[base + 7] = z;
}

/** Writes the statistics `codes` of x (sums at state[base..) from powerSums) to out[offset..]. */
export function statsFromSums(x: Float64Array, length: number, codes: Uint8Array, state: Float64Array, base: number, out: number[], offset: number): void {
  const c = centralMoments(length, state[base], state[base + 1], state[base + 2], state[base + 3], state[base + 4]);
  let mcr = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] === 9) mcr = meanCrossingCount(x, length, c.mean);
  for (let i = 0; i < codes.length; i++) {
    out[offset + i] = statValue(codes[i], length, c, state[base + 5], state[base + 6], state[base + 7], mcr);
  }
}

/** The statistics `codes` of x[0..length) written to out[offset..]. */
export function timeStatsInto(x: Float32Array, length: number, codes: Uint8Array, out: number[], offset: number): void {
  const state = new Float64Array(SUM_SLOTS);
  const values = Float64Array.from(x);
  if (length > 0) powerSums(values, length, state, 0);
  statsFromSums(values, length, codes, state, 0, out, offset);
}
