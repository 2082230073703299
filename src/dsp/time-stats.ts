/**
 * Time-domain statistics of one axis in ONE streaming pass (no window storage, except for the
 * mean-crossing rate, which needs the mean first), float32 step by step, mirrored by
 * `tml_stats_push`/`tml_stats_finish` in firmware/arduino/tinyml_dsp/tml_features.c.
 *
 * Central moments are updated per sample with the one-pass formulas of Pébay (Sandia report
 * SAND2008-6212, eq. 1.5) as given by Terriberry ("Computing higher-order moments online", 2007):
 *   n' = n+1, δ = x-mean, δn = δ/n', t = δ·δn·n,
 *   mean += δn
 *   M4 += t·δn²·(n'²-3n'+3) + 6·δn²·M2 - 4·δn·M3
 *   M3 += t·δn·(n'-2) - 3·δn·M2
 *   M2 += t
 * Definitions (n samples x_i):
 *   mean; std = sqrt(M2/n) (POPULATION standard deviation); rms = sqrt(M2/n + mean²);
 *   min; max; ptp = max - min;
 *   skew = sqrt(n)·M3 / M2^1.5 (biased Fisher–Pearson g1, scipy.stats.skew(bias=True));
 *   kurt = n·M4/M2² - 3 (EXCESS kurtosis, biased g2, scipy.stats.kurtosis(fisher=True, bias=True));
 *   skew = kurt = 0 for a constant signal (M2 = 0);
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

export class TimeStatsAccumulator {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private m3 = 0;
  private m4 = 0;
  private min = 0;
  private max = 0;
  private prevNeg = false;
  private zeroCrossings = 0;
  /** kept only when the mean-crossing rate is requested */
  private readonly history: number[] | null;

  constructor(keepHistory: boolean) {
    this.history = keepHistory ? [] : null;
  }

  push(x: number): void {
    const n1 = this.n;
    const n = f32(n1 + 1);
    const delta = f32(x - this.mean);
    const dn = f32(delta / n);
    const dn2 = f32(dn * dn);
    const term1 = f32(f32(delta * dn) * n1);
    this.mean = f32(this.mean + dn);
    const poly = f32(f32(f32(n * n) - f32(3 * n)) + 3);
    this.m4 = f32(f32(f32(this.m4 + f32(f32(term1 * dn2) * poly)) + f32(f32(6 * dn2) * this.m2)) - f32(f32(4 * dn) * this.m3));
    this.m3 = f32(f32(this.m3 + f32(f32(term1 * dn) * f32(n - 2))) - f32(f32(3 * dn) * this.m2));
    this.m2 = f32(this.m2 + term1);
    const neg = x < 0;
    if (n1 === 0) {
      this.min = x;
      this.max = x;
    } else {
      if (x < this.min) this.min = x;
      if (x > this.max) this.max = x;
      if (neg !== this.prevNeg) this.zeroCrossings++;
    }
    this.prevNeg = neg;
    this.n = n;
    if (this.history) this.history.push(x);
  }

  /** The requested statistics, in the order asked. */
  result(names: readonly StatName[]): number[] {
    const mcr = names.includes('mcr') ? this.meanCrossings() : 0;
    return names.map((name) => statValue(STAT_NAMES.indexOf(name), this.n, this.mean, this.m2, this.m3, this.m4, this.min, this.max, this.zeroCrossings, mcr));
  }

  private meanCrossings(): number {
    if (!this.history) throw new Error('the mean-crossing rate needs the window history: construct with keepHistory=true');
    let count = 0;
    for (let i = 1; i < this.history.length; i++) {
      if (this.history[i - 1] < this.mean !== this.history[i] < this.mean) count++;
    }
    return count;
  }
}

/** One statistic (code = index in STAT_NAMES) from the accumulated moments; twin of tml_stat. */
export function statValue(code: number, n: number, mean: number, m2: number, m3: number, m4: number, min: number, max: number, zeroCrossings: number, meanCrossings: number): number {
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
 * Per-sample-index constants of the update, the same float32 values push() computes each time
 * (n' = t+1, n'²-3n'+3 and n'-2, each step rounded as there): computed once per window length.
 */
export interface StatsTables {
  n: Float32Array;
  poly: Float32Array;
  nMinus2: Float32Array;
}

export function statsTables(length: number): StatsTables {
  const n = new Float32Array(length);
  const poly = new Float32Array(length);
  const nMinus2 = new Float32Array(length);
  let count = 0;
  for (let t = 0; t < length; t++) {
    count = f32(count + 1);
    n[t] = count;
    poly[t] = f32(f32(f32(count * count) - f32(3 * count)) + 3);
    nMinus2[t] = f32(count - 2);
  }
  return { n, poly, nMinus2 };
}

/**
 * The statistics `codes` of x[0..length) written to out[offset..], bit for bit what
 * TimeStatsAccumulator gives (same update, same order) without an object per sample.
 */
export function timeStatsInto(x: Float32Array, length: number, codes: Uint8Array, tables: StatsTables, out: number[], offset: number): void {
  const tn = tables.n;
  const tpoly = tables.poly;
  const tnm2 = tables.nMinus2;
  let mean = 0;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  let min = x[0];
  let max = x[0];
  let zc = 0;
  let prevNeg = x[0] < 0;
  for (let t = 0; t < length; t++) {
    const v = x[t];
    const n = tn[t];
    const delta = f32(v - mean);
    const dn = f32(delta / n);
    const dn2 = f32(dn * dn);
    const term1 = f32(f32(delta * dn) * (n - 1)); // n - 1 is the previous count, exact (an integer < 2^24)
    mean = f32(mean + dn);
    m4 = f32(f32(f32(m4 + f32(f32(term1 * dn2) * tpoly[t])) + f32(f32(6 * dn2) * m2)) - f32(f32(4 * dn) * m3));
    m3 = f32(f32(m3 + f32(f32(term1 * dn) * tnm2[t])) - f32(f32(3 * dn) * m2));
    m2 = f32(m2 + term1);
    if (v < min) min = v;
    if (v > max) max = v;
    const neg = v < 0;
    if (neg !== prevNeg) zc++;
    prevNeg = neg;
  }
  const n = length > 0 ? tn[length - 1] : 0;
  let mcr = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === 9) {
      for (let t = 1; t < length; t++) if (x[t - 1] < mean !== x[t] < mean) mcr++;
    }
  }
  for (let i = 0; i < codes.length; i++) out[offset + i] = statValue(codes[i], n, mean, m2, m3, m4, min, max, zc, mcr);
}
