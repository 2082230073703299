/**
 * Integer fixed-point primitives exactly as TensorFlow Lite computes them, on int32 values held in
 * JavaScript numbers. Sources: gemmlowp fixedpoint/fixedpoint.h (SaturatingRoundingDoublingHighMul,
 * RoundingDivideByPOT) and tensorflow/lite/kernels/internal/common.h (MultiplyByQuantizedMultiplier,
 * double-rounding variant, the default without TFLITE_SINGLE_ROUNDING).
 * No BigInt: the 62-bit product is split into exact double-precision pieces.
 */

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
const TWO_31 = 2147483648;
const TWO_15 = 32768;

/**
 * gemmlowp SaturatingRoundingDoublingHighMul(a, b) = trunc((a*b + nudge) / 2^31),
 * nudge = 2^30 if a*b >= 0 else 1 - 2^30; saturates INT32_MIN*INT32_MIN to INT32_MAX.
 * Exactness: b = bh*2^16 + bl (bl in [0, 2^16)); a*bh (|.| <= 2^46) and a*bl (< 2^47) are exact
 * doubles; each is split into a multiple of 2^31 and a remainder so no sum exceeds 2^53.
 */
export function srdhm(a: number, b: number): number {
  // Fast path: |a| < 2^21 keeps |a*b| + 2^30 below 2^53, so the product, the nudge and the division by 2^31 are exact.
  if (a < 2097152 && a > -2097152) {
    const p = a * b;
    return Math.trunc((p >= 0 ? p + 1073741824 : p + (1 - 1073741824)) / TWO_31) | 0;
  }
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const bl = b & 0xffff;
  const bh = b >> 16;
  const t0 = a * bl; // exact, |t0| < 2^47
  const t1 = a * bh; // exact, |t1| <= 2^46; contributes t1 * 2^16
  const q0 = Math.floor(t0 / TWO_31);
  const r0 = t0 - q0 * TWO_31; // [0, 2^31)
  const q1 = Math.floor(t1 / TWO_15);
  const r1 = t1 - q1 * TWO_15; // [0, 2^15): t1*2^16 = q1*2^31 + r1*2^16
  const negative = (a < 0) !== (b < 0) && a !== 0 && b !== 0;
  const r = r0 + r1 * 65536 + (negative ? 1 - 1073741824 : 1073741824); // exact, in (-2^30, 2^32 + 2^30)
  const q2 = Math.floor(r / TWO_31);
  let q = q0 + q1 + q2; // floor((a*b + nudge) / 2^31)
  // C++ integer division truncates toward zero: a negative non-integral quotient moves up by one.
  if (negative && r - q2 * TWO_31 !== 0) q += 1;
  return q | 0;
}

/** gemmlowp RoundingDivideByPOT(x, exponent), exponent 0..31: round half away from zero. */
export function roundingDivideByPot(x: number, exponent: number): number {
  const mask = ((1 << exponent) - 1) | 0; // exponent 31 wraps to 0x7fffffff as intended
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return ((x >> exponent) + (remainder > threshold ? 1 : 0)) | 0;
}

/**
 * tflite::MultiplyByQuantizedMultiplier(x, multiplier, shift) (common.h, double rounding):
 * RoundingDivideByPOT(SRDHM(x * 2^left, multiplier), right), left = max(shift, 0), right = max(-shift, 0).
 * The left shift wraps like the C++ int32 multiplication it mirrors.
 */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return roundingDivideByPot(srdhm(left ? Math.imul(x, 1 << left) : x, multiplier), right);
}

/** tflite::MultiplyByQuantizedMultiplierGreaterThanOne (common.h, double rounding). */
export function multiplyByQuantizedMultiplierGreaterThanOne(x: number, multiplier: number, leftShift: number): number {
  return srdhm(Math.imul(x, 1 << leftShift), multiplier);
}

/**
 * gemmlowp SaturatingRoundingMultiplyByPOT<exponent>: a saturating left shift for exponent > 0,
 * RoundingDivideByPOT for exponent < 0.
 */
export function saturatingRoundingMultiplyByPot(x: number, exponent: number): number {
  if (exponent === 0) return x;
  if (exponent < 0) return roundingDivideByPot(x, -exponent);
  const threshold = (1 << (31 - exponent)) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (x << exponent) | 0;
}

/** Reference SRDHM with BigInt, for tests and the naive benchmark baseline only. */
export function srdhmBigInt(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates toward zero, as C++ does
}
