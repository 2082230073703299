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
    const n = this.n;
    const variance = n > 0 ? f32(this.m2 / n) : 0;
    const out: number[] = [];
    for (const name of names) {
      switch (name) {
        case 'mean': out.push(this.mean); break;
        case 'std': out.push(sqrt32(variance)); break;
        case 'rms': out.push(sqrt32(f32(variance + f32(this.mean * this.mean)))); break;
        case 'min': out.push(this.min); break;
        case 'max': out.push(this.max); break;
        case 'ptp': out.push(f32(this.max - this.min)); break;
        case 'skew':
          out.push(this.m2 > 0 ? f32(f32(sqrt32(n) * this.m3) / f32(this.m2 * sqrt32(this.m2))) : 0);
          break;
        case 'kurt':
          out.push(this.m2 > 0 ? f32(f32(f32(n * this.m4) / f32(this.m2 * this.m2)) - 3) : 0);
          break;
        case 'zcr': out.push(n > 1 ? f32(this.zeroCrossings / f32(n - 1)) : 0); break;
        case 'mcr': out.push(n > 1 ? f32(this.meanCrossings() / f32(n - 1)) : 0); break;
      }
    }
    return out;
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
