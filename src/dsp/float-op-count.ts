/**
 * Float operations one window costs in the C twin (firmware/arduino/tinyml_dsp/tml_features.c,
 * tml_dsp.c), counted from its source per block: the floor a chip without an FPU pays in
 * soft-float calls, against which the measured cycles per window are reported (bench/dsp.ts).
 * sqrt and log10 count as one operation each (they are our own routines of a few float steps),
 * so the floor is if anything low. Integer index arithmetic and table reads are not counted.
 */
import type { FeaturePlan } from './feature-pipeline';

export interface FloatOpCount {
  /** additions and subtractions */
  add: number;
  mul: number;
  div: number;
  /** comparisons of floats (min, max, sign, mean crossings) */
  cmp: number;
  sqrt: number;
  log10: number;
  total: number;
}

/** Float operations per window of `plan` in the C twin (the steady-state filter start excluded). */
export function featureFloatOps(plan: FeaturePlan): FloatOpCount {
  const L = plan.shape.windowLength;
  const A = plan.shape.axes.length;
  const c = { add: 0, mul: 0, div: 0, cmp: 0, sqrt: 0, log10: 0 };
  // tml_features_push: x = sample · scale.
  c.mul += L * A;
  // Transposed direct form II biquad: y = b0x + s1; s1 = (b1x − a1y) + s2; s2 = b2x − a2y.
  c.mul += 5 * plan.sections.length * L * A;
  c.add += 4 * plan.sections.length * L * A;
  if (plan.raw) {
    c.add += L * A;
    c.div += plan.raw.length * A;
  }
  if (plan.stats) {
    // per sample and axis the shifted power sums: d = x − K, d², S1..S4 (5 additions or
    // subtractions, 3 multiplications) and 3 comparisons (min, max, sign);
    c.add += 5 * L * A;
    c.mul += 3 * L * A;
    c.cmp += 3 * L * A;
    // per axis tml_stats_moments: m = S1/n, m², M2, M3, M4, mean (7 add, 13 mul, 1 div), the n = 0
    // test and 2 clamps.
    c.add += 7 * A;
    c.mul += 13 * A;
    c.div += A;
    c.cmp += 3 * A;
    for (const s of plan.stats) {
      // tml_stat: variance = m2 / n (and the n > 0 test) for every statistic, then its own formula.
      c.div += A;
      c.cmp += A;
      switch (s) {
        case 'std': c.sqrt += A; break;
        case 'rms': c.mul += A; c.add += A; c.sqrt += A; break;
        case 'ptp': c.add += A; break;
        case 'skew': c.cmp += A; c.sqrt += 2 * A; c.mul += 2 * A; c.div += A; break;
        case 'kurt': c.cmp += A; c.mul += 2 * A; c.div += A; c.add += A; break;
        case 'zcr': c.cmp += A; c.add += A; c.div += A; break;
        case 'mcr': c.cmp += 2 * (L - 1) * A + A; c.add += A; c.div += A; break;
        default: break; // mean, min, max: stored values
      }
    }
  }
  const sp = plan.spectral;
  if (sp) {
    // tml_spectral_segment: mean over M samples, (x − mean)·w, the N/2-point complex FFT (the
    // twiddle-1 and −i butterflies add only), then per band bin |2X[k]|² (9 add, 6 mul;
    // 2 add, 1 mul at k = N/2), ·scale and + into the band sum.
    const m = sp.segmentLength;
    const h = sp.n / 2;
    const butterflies = (h / 2) * Math.log2(h);
    // twiddle 1 in every group (h − 1 butterflies), −i in every group of size >= 4 (h/2 − 1): adds only
    const trivial = h - 1 + Math.max(0, h / 2 - 1);
    let binAdd = 0;
    let binMul = 0;
    for (const b of sp.bands) {
      for (let k = b.loBin; k <= b.hiBin; k++) {
        binAdd += (k === h ? 2 : 9) + 1;
        binMul += (k === h ? 1 : 6) + 1;
      }
    }
    const perSegment = {
      add: (sp.detrend ? m : 0) + m + 4 * trivial + 6 * (butterflies - trivial) + binAdd,
      mul: m + 4 * (butterflies - trivial) + binMul,
      div: sp.detrend ? 1 : 0,
    };
    c.add += sp.segments * A * perSegment.add;
    c.mul += sp.segments * A * perSegment.mul;
    c.div += sp.segments * A * perSegment.div;
    // tml_features_finish: log10(acc · inv + eps) per band.
    c.mul += sp.bands.length * A;
    c.add += sp.bands.length * A;
    c.log10 += sp.bands.length * A;
  }
  return { ...c, total: c.add + c.mul + c.div + c.cmp + c.sqrt + c.log10 };
}
