/**
 * Square root and log10 of our own, in float32 steps, identical to `tml_sqrtf`/`tml_log10f` in
 * firmware/arduino/tinyml_dsp/tml_dsp.c: the two sides never depend on different libm's.
 * Only IEEE +, -, *, / (exactly rounded in both) and exact bit manipulation are used.
 */
import { f32, float32Bits, float32FromBits } from './float32';

const TWO_POW_24 = 16777216;
const MAX_FLOAT = 3.4028234663852886e38;

/** Mantissa in [1, 2) and unbiased exponent of a positive finite float32 (subnormals too). */
function decompose(x: number): { m: number; e: number } {
  let bits = float32Bits(x);
  let e = (bits >>> 23) & 0xff;
  let bias = 127;
  if (e === 0) {
    // subnormal: scale by 2^24 (exact) to normalise
    bits = float32Bits(f32(x * TWO_POW_24));
    e = (bits >>> 23) & 0xff;
    bias = 127 + 24;
  }
  return { m: float32FromBits((bits & 0x7fffff) | 0x3f800000), e: e - bias };
}

/** 2^k as a float32 for -126 <= k <= 127 (exact). */
function pow2(k: number): number {
  return float32FromBits((k + 127) << 23);
}

const SQRT_A = f32(1 / 3); // linear first guess (m + 2)/3 of sqrt(m) on [1, 4): within 6%
const SQRT_B = f32(2 / 3);
const HALF = f32(0.5);

/**
 * sqrt(x) for float32 x: range reduction to m in [1, 4), a linear guess and four Newton steps
 * y = (y + m/y)/2 (Newton–Raphson for y² = m). Returns 0 for x <= 0 or NaN, x for +Infinity.
 */
export function sqrt32(x: number): number {
  if (!(x > 0)) return 0;
  if (x > MAX_FLOAT) return x;
  let { m, e } = decompose(x);
  if (e & 1) {
    m = f32(m * 2);
    e -= 1;
  }
  let y = f32(f32(m * SQRT_A) + SQRT_B);
  for (let i = 0; i < 4; i++) y = f32(HALF * f32(y + f32(m / y)));
  return f32(y * pow2(e / 2));
}

const SQRT2 = f32(Math.SQRT2);
const LN_C3 = f32(1 / 3);
const LN_C5 = f32(1 / 5);
const LN_C7 = f32(1 / 7);
const LN_C9 = f32(1 / 9);
const LOG10_2 = f32(Math.LN2 / Math.LN10);
const LOG10_E = f32(Math.LOG10E);

/**
 * log10(x) for float32 x > 0: x = m·2^e with m in [√2/2, √2], ln m = 2·atanh(s), s = (m-1)/(m+1),
 * by its odd series to s⁹ (Abramowitz & Stegun 4.1.27; |s| <= 0.172 so the next term is < 2e-9
 * relative). Returns -Infinity for x <= 0 or NaN.
 */
export function log10_32(x: number): number {
  if (!(x > 0)) return -Infinity;
  if (x > MAX_FLOAT) return x;
  let { m, e } = decompose(x);
  if (m > SQRT2) {
    m = f32(m * HALF);
    e += 1;
  }
  const s = f32(f32(m - 1) / f32(m + 1));
  const s2 = f32(s * s);
  let p = LN_C9;
  p = f32(f32(p * s2) + LN_C7);
  p = f32(f32(p * s2) + LN_C5);
  p = f32(f32(p * s2) + LN_C3);
  p = f32(f32(p * s2) + 1);
  const lnm = f32(f32(2 * s) * p);
  return f32(f32(e * LOG10_2) + f32(lnm * LOG10_E));
}

/** The float32 constants the C side must spell identically (checked by the parity tests). */
export const MATH_CONSTANTS = { SQRT_A, SQRT_B, SQRT2, LN_C3, LN_C5, LN_C7, LN_C9, LOG10_2, LOG10_E };
