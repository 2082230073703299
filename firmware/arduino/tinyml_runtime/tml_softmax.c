/*
 * Int8 softmax as TFLM's SoftmaxInt8 = tflite::reference_ops::Softmax (reference/softmax.h) with
 * gemmlowp's fixed-point exp_on_negative_values and one_over_one_plus_x_for_x_in_0_1
 * (fixedpoint/fixedpoint.h) and tflite GetReciprocal (common.h). FixedPoint `*` is SRDHM, `+`
 * wraps (done in uint32 here). Rows are the last dimension (out_ch), in_len rows.
 */
#include "tml_runtime.h"

static int32_t add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static int32_t sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }

/* gemmlowp SaturatingRoundingMultiplyByPOT, exponent -31..31. */
static int32_t sat_mul_pot(int32_t x, int8_t exponent) {
  int32_t threshold;
  if (exponent <= 0) return tml_rounding_divide_by_pot(x, (int8_t)-exponent);
  threshold = (int32_t)((UINT32_C(1) << (31 - exponent)) - 1u);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((uint32_t)x << exponent);
}

static int32_t exp_neg_quarter_to_0(int32_t a) {
  const int32_t constant_term = INT32_C(1895147668);
  const int32_t constant_1_over_3 = INT32_C(715827883);
  const int32_t x = add(a, INT32_C(1) << 28);
  const int32_t x2 = tml_srdhm(x, x);
  const int32_t x3 = tml_srdhm(x2, x);
  const int32_t x4 = tml_srdhm(x2, x2);
  const int32_t x4_over_4 = sat_mul_pot(x4, -2);
  const int32_t poly = sat_mul_pot(add(tml_srdhm(add(x4_over_4, x3), constant_1_over_3), x2), -1);
  return add(constant_term, tml_srdhm(constant_term, add(x, poly)));
}

static const int32_t exp_barrel[7] = {
  INT32_C(1672461947), INT32_C(1302514674), INT32_C(790015084), INT32_C(290630308),
  INT32_C(39332535), INT32_C(720401), INT32_C(242)
};

/* Input Q5.26 <= 0, result Q0.31. */
static int32_t exp_on_negative_values(int32_t a) {
  const int32_t one_quarter = INT32_C(1) << 24;
  const int32_t a_mod = sub(a & (one_quarter - 1), one_quarter);
  int32_t result = exp_neg_quarter_to_0(sat_mul_pot(a_mod, 5));
  const int32_t remainder = sub(a_mod, a);
  int8_t i;
  for (i = 0; i < 7; i++) {
    if (remainder & (INT32_C(1) << (24 + i))) result = tml_srdhm(result, exp_barrel[i]);
  }
  return a == 0 ? INT32_MAX : result;
}

static int32_t one_over_one_plus_x(int32_t a) {
  const int64_t sum = (int64_t)a + INT32_MAX;
  const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
  int32_t x = add(INT32_C(1515870810), tml_srdhm(half_denominator, INT32_C(-1010580540)));
  int8_t i;
  for (i = 0; i < 3; i++) {
    const int32_t one_minus = sub(INT32_C(1) << 29, tml_srdhm(half_denominator, x));
    x = add(x, sat_mul_pot(tml_srdhm(x, one_minus), 2));
  }
  return sat_mul_pot(x, 1);
}

static uint8_t clz32(uint32_t x) {
  uint8_t n = 0;
  if (x == 0) return 32;
  while (!(x & UINT32_C(0x80000000))) { x <<= 1; n++; }
  return n;
}

static int32_t scaled_diff(const tml_layer_t *l, int32_t diff) {
  return tml_srdhm((int32_t)((uint32_t)diff << l->sm_shift), l->sm_mult);
}

/* Ranges: depth <= 2048 keeps the Q12.19 sum of exps (each <= 2^19) below 2^31. */
void tml_softmax(const tml_layer_t *l, const int8_t *in, int8_t *out) {
  const uint16_t depth = l->out_ch;
  uint16_t r, c;
  for (r = 0; r < l->in_len; r++) {
    const int8_t *x = in + (tml_idx_t)r * depth;
    int8_t *y = out + (tml_idx_t)r * depth;
    int8_t mx = -128;
    int32_t sum = 0, reciprocal, exponent;
    uint8_t headroom;
    for (c = 0; c < depth; c++) if (x[c] > mx) mx = x[c];
    for (c = 0; c < depth; c++) {
      const int32_t diff = (int32_t)x[c] - mx;
      if (diff >= l->sm_diff_min) sum = add(sum, tml_rounding_divide_by_pot(exp_on_negative_values(scaled_diff(l, diff)), 12));
    }
    headroom = clz32((uint32_t)sum);
    reciprocal = one_over_one_plus_x((int32_t)(((uint32_t)sum << headroom) - UINT32_C(0x80000000)));
    exponent = (int32_t)(12 - headroom) + 31 - 8;
    for (c = 0; c < depth; c++) {
      const int32_t diff = (int32_t)x[c] - mx;
      if (diff >= l->sm_diff_min) {
        int32_t v = tml_rounding_divide_by_pot(tml_srdhm(reciprocal, exp_on_negative_values(scaled_diff(l, diff))), (int8_t)exponent) - 128;
        if (v > 127) v = 127;
        if (v < -128) v = -128;
        y[c] = (int8_t)v;
      } else {
        y[c] = -128;
      }
    }
  }
}
