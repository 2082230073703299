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
  /** float32 values held in float64 arrays: a load needs no conversion */
  n: Float64Array;
  poly: Float64Array;
  nMinus2: Float64Array;
}

export function statsTables(length: number): StatsTables {
  const n = new Float64Array(length);
  const poly = new Float64Array(length);
  const nMinus2 = new Float64Array(length);
  let count = 0;
  for (let t = 0; t < length; t++) {
    count = f32(count + 1);
    n[t] = count;
    poly[t] = f32(f32(f32(count * count) - f32(3 * count)) + 3);
    nMinus2[t] = f32(count - 2);
  }
  return { n, poly, nMinus2 };
}

/** Moments of one axis after a pass: mean, M2, M3, M4, min, max, zero crossings (7 values per axis). */
export const MOMENT_SLOTS = 7;

/**
 * The one-pass update of push() over two axes x and y at once (x may equal y; float32 values
 * held in float64 arrays, so a load needs no conversion), into
 * state[0..7) for x and state[7..14) for y: two independent dependency chains per loop step let
 * the CPU overlap them (the update's divide-add chain is the bottleneck). Same float32 steps.
 */
export function momentsPair(x: Float64Array, y: Float64Array, length: number, tables: StatsTables, state: Float64Array): void {
  const tn = tables.n;
  const tpoly = tables.poly;
  const tnm2 = tables.nMinus2;
  let mx = 0, m2x = 0, m3x = 0, m4x = 0, my = 0, m2y = 0, m3y = 0, m4y = 0;
  let minx = x[0], maxx = x[0], miny = y[0], maxy = y[0];
  let zx = 0, zy = 0;
  // sign bits as 0/1 integers: a crossing is their xor (no branch)
  let negx = x[0] < 0 ? 1 : 0, negy = y[0] < 0 ? 1 : 0;
  for (let t = 0; t < length; t++) {
    const vx = x[t];
    const vy = y[t];
    const n = tn[t];
    const n1 = n - 1; // the previous count: an integer < 2^24, exact
    const poly = tpoly[t];
    const nm2 = tnm2[t];
    const dx = f32(vx - mx);
    const dy = f32(vy - my);
    const dnx = f32(dx / n);
    const dny = f32(dy / n);
    const dn2x = f32(dnx * dnx);
    const dn2y = f32(dny * dny);
    const t1x = f32(f32(dx * dnx) * n1);
    const t1y = f32(f32(dy * dny) * n1);
    mx = f32(mx + dnx);
    my = f32(my + dny);
    m4x = f32(f32(f32(m4x + f32(f32(t1x * dn2x) * poly)) + f32(f32(6 * dn2x) * m2x)) - f32(f32(4 * dnx) * m3x));
    m4y = f32(f32(f32(m4y + f32(f32(t1y * dn2y) * poly)) + f32(f32(6 * dn2y) * m2y)) - f32(f32(4 * dny) * m3y));
    m3x = f32(f32(m3x + f32(f32(t1x * dnx) * nm2)) - f32(f32(3 * dnx) * m2x));
    m3y = f32(f32(m3y + f32(f32(t1y * dny) * nm2)) - f32(f32(3 * dny) * m2y));
    m2x = f32(m2x + t1x);
    m2y = f32(m2y + t1y);
    if (vx < minx) minx = vx;
    if (vx > maxx) maxx = vx;
    if (vy < miny) miny = vy;
    if (vy > maxy) maxy = vy;
    const nx = vx < 0 ? 1 : 0;
    const ny = vy < 0 ? 1 : 0;
    zx += nx ^ negx;
    zy += ny ^ negy;
    negx = nx;
    negy = ny;
  }
  state[0] = mx; state[1] = m2x; state[2] = m3x; state[3] = m4x; state[4] = minx; state[5] = maxx; state[6] = zx;
  state[7] = my; state[8] = m2y; state[9] = m3y; state[10] = m4y; state[11] = miny; state[12] = maxy; state[13] = zy;
}

/** Writes the statistics `codes` of x (moments at state[base..base+7) from momentsPair) to out[offset..]. */
export function statsFromMoments(x: Float64Array, length: number, codes: Uint8Array, tables: StatsTables, state: Float64Array, base: number, out: number[], offset: number): void {
  const n = length > 0 ? tables.n[length - 1] : 0;
  const mean = state[base];
  let mcr = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === 9) for (let t = 1; t < length; t++) if (x[t - 1] < mean !== x[t] < mean) mcr++;
  }
  for (let i = 0; i < codes.length; i++) {
    out[offset + i] = statValue(codes[i], n, mean, state[base + 1], state[base + 2], state[base + 3], state[base + 4], state[base + 5], state[base + 6], mcr);
  }
}

/** The statistics `codes` of x[0..length) written to out[offset..], bit for bit what TimeStatsAccumulator gives. */
export function timeStatsInto(x: Float32Array, length: number, codes: Uint8Array, tables: StatsTables, out: number[], offset: number): void {
  const state = new Float64Array(2 * MOMENT_SLOTS);
  const values = Float64Array.from(x);
  momentsPair(values, values, length, tables, state);
  statsFromMoments(values, length, codes, tables, state, 0, out, offset);
}
