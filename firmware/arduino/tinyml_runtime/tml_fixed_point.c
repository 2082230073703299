/*
 * Fixed-point helpers, exactly TFLite's: gemmlowp fixedpoint.h SaturatingRoundingDoublingHighMul,
 * RoundingDivideByPOT; tflite common.h MultiplyByQuantizedMultiplier (double rounding).
 */
#include "tml_runtime.h"

/* Value ranges: any int32 a, b; INT32_MIN * INT32_MIN saturates to INT32_MAX. */
int32_t tml_srdhm(int32_t a, int32_t b) {
  int64_t ab;
  int32_t nudge;
  if (a == b && a == INT32_MIN) return INT32_MAX;
  ab = (int64_t)a * (int64_t)b;
  nudge = ab >= 0 ? (INT32_C(1) << 30) : (1 - (INT32_C(1) << 30));
  return (int32_t)((ab + nudge) / (INT64_C(1) << 31)); /* C99 division truncates toward zero */
}

/*
 * SRDHM(x, m) for any int32 x and 0 <= m < 2^31 using only 32-bit arithmetic, equal to tml_srdhm.
 * Proof. Write x = xh*2^16 + xl (0 <= xl < 2^16, -2^15 <= xh < 2^15), m = mh*2^16 + ml
 * (0 <= mh < 2^15, 0 <= ml < 2^16) and the nudge N = n1*2^16 + n0 (n1 = 2^14, n0 = 0 when x*m >= 0;
 * n1 = -2^14, n0 = 1 otherwise). Then x*m + N = S*2^16 + (L mod 2^16) with
 *   L  = xl*ml + n0                         (uint32: < 2^32)
 *   S  = 2^16*xh*mh + r1 + r2,  r1 = xh*ml  (|r1| < 2^31),  r2 = xl*mh + n1 + floor(L / 2^16)
 *        (-2^14 <= r2 < (2^16-1)(2^15-1) + 2^14 + 2^16 < 2^31).
 * floor((x*m + N) / 2^31) = floor(S / 2^15) = 2*xh*mh + floor(r1/2^15) + floor(r2/2^15) + c,
 *   c = ((r1 mod 2^15) + (r2 mod 2^15)) >> 15,
 * every term fitting int32 (|2*xh*mh| < 2^31). The C++ division truncates: when x*m + N < 0
 * (exactly when x*m < 0) and the remainder ((S mod 2^15)*2^16 + L mod 2^16) is non-zero, add 1.
 * Checked against tml_srdhm on millions of random and edge pairs (test/int8/c-fixed-point.test.ts).
 */
int32_t tml_srdhm_nonneg_piecewise(int32_t x, int32_t m) {
  const uint16_t xl = (uint16_t)((uint32_t)x & 0xffffu);
  const int16_t xh = (int16_t)(x >> 16);
  const uint16_t ml = (uint16_t)((uint32_t)m & 0xffffu);
  const int16_t mh = (int16_t)(m >> 16);
  const uint8_t negative = (x < 0) && (m != 0);
  const uint32_t L = (uint32_t)xl * ml + (negative ? 1u : 0u);
  const int32_t r1 = (int32_t)xh * (int32_t)ml;
  const int32_t r2 = (int32_t)((uint32_t)xl * (uint16_t)mh) + (negative ? -(INT32_C(1) << 14) : (INT32_C(1) << 14)) + (int32_t)(L >> 16);
  const int32_t lo = (r1 & 0x7fff) + (r2 & 0x7fff);
  int32_t q = 2 * ((int32_t)xh * (int32_t)mh) + (r1 >> 15) + (r2 >> 15) + (lo >> 15);
  if (negative && (((lo & 0x7fff) != 0) || ((L & 0xffffu) != 0))) q += 1;
  return q;
}

/* Value ranges: any int32 x, exponent 0..31. Rounds half away from zero. */
int32_t tml_rounding_divide_by_pot(int32_t x, int8_t exponent) {
  const int32_t mask = (int32_t)((UINT32_C(1) << exponent) - 1u);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* Value ranges: any int32 x (the left shift wraps as TFLite's int32 multiply does on these targets),
 * multiplier 0 or 2^30..2^31-1, shift -31..30. */
int32_t tml_mul_by_quantized_multiplier(int32_t x, int32_t multiplier, int8_t shift) {
  const int8_t left = shift > 0 ? shift : 0;
  const int8_t right = shift > 0 ? 0 : (int8_t)-shift;
  const int32_t shifted = left ? (int32_t)((uint32_t)x << left) : x;
#if defined(TML_REQUANT_PIECEWISE)
  return tml_rounding_divide_by_pot(tml_srdhm_nonneg_piecewise(shifted, multiplier), right);
#else
  return tml_rounding_divide_by_pot(tml_srdhm(shifted, multiplier), right);
#endif
}
