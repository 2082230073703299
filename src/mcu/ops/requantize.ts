/**
 * tflite::MultiplyByQuantizedMultiplier (common.h, double rounding) for the kernels' inner loops:
 * the same result as src/quant/fixed-point.ts multiplyByQuantizedMultiplier, with the common case
 * in one small function V8 inlines: SaturatingRoundingDoublingHighMul's fast path, then
 * RoundingDivideByPOT. The general SRDHM (large left-shifted accumulators) stays in fixed-point.ts.
 */
import { srdhm } from '../../quant/fixed-point';

/** 2^22: |x| below it keeps |x * multiplier| + 2^30 below 2^53 (multiplier < 2^31), so the double arithmetic is exact. */
const EXACT_LIMIT = 4194304;
const TWO_31 = 2147483648;

export function requantize(acc: number, multiplier: number, shift: number): number {
  const x = shift > 0 ? Math.imul(acc, 1 << shift) : acc;
  let h: number;
  if (x < EXACT_LIMIT && x > -EXACT_LIMIT) {
    // SRDHM: trunc((x*m + nudge) / 2^31), nudge = 2^30 for a non-negative product, 1 - 2^30 otherwise.
    const p = x * multiplier;
    h = Math.trunc((p >= 0 ? p + 1073741824 : p - 1073741823) / TWO_31) | 0;
  } else {
    h = srdhm(x, multiplier);
  }
  if (shift >= 0) return h;
  // RoundingDivideByPOT(h, -shift): round half away from zero.
  const right = -shift;
  const mask = ((1 << right) - 1) | 0;
  const threshold = (mask >> 1) + (h < 0 ? 1 : 0);
  return ((h >> right) + ((h & mask) > threshold ? 1 : 0)) | 0;
}
