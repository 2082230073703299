/*
 * tinyml DSP runtime, twin of src/dsp/float32-math.ts, fft.ts (fftCore, realFftPower4), input-quantization.ts and
 * normalization.ts. Keep every expression in the same order as its TypeScript twin.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#elif defined(__clang__)
#pragma clang fp contract(off)
#endif

#include <string.h>
#include "tml_dsp.h"

#define TML_MAX_FLOAT 3.40282347e+38f

/* Float32 constants, spelled as hex literals: the same bits as MATH_CONSTANTS in float32-math.ts. */
#define TML_SQRT_A 0x1.555556p-2f   /* 1/3 */
#define TML_SQRT_B 0x1.555556p-1f   /* 2/3 */
#define TML_SQRT2 0x1.6a09e6p+0f
#define TML_LN_C3 0x1.555556p-2f    /* 1/3 */
#define TML_LN_C5 0x1.99999ap-3f    /* 1/5 */
#define TML_LN_C7 0x1.24924ap-3f    /* 1/7 */
#define TML_LN_C9 0x1.c71c72p-4f    /* 1/9 */
#define TML_LOG10_2 0x1.344136p-2f
#define TML_LOG10_E 0x1.bcb7b2p-2f

static uint32_t tml_bits(float x) {
  uint32_t b;
  memcpy(&b, &x, sizeof b);
  return b;
}

static float tml_from_bits(uint32_t b) {
  float x;
  memcpy(&x, &b, sizeof x);
  return x;
}

/* Mantissa in [1, 2) and unbiased exponent of a positive finite float (subnormals too). */
static float tml_decompose(float x, int16_t *e_out) {
  uint32_t bits = tml_bits(x);
  int16_t e = (int16_t)((bits >> 23) & 0xffu);
  int16_t bias = 127;
  if (e == 0) {
    bits = tml_bits(x * 16777216.0f); /* 2^24, exact */
    e = (int16_t)((bits >> 23) & 0xffu);
    bias = 127 + 24;
  }
  *e_out = (int16_t)(e - bias);
  return tml_from_bits((bits & UINT32_C(0x7fffff)) | UINT32_C(0x3f800000));
}

static float tml_pow2(int16_t k) { return tml_from_bits((uint32_t)(k + 127) << 23); }

float tml_sqrtf(float x) {
  int16_t e;
  float m, y;
  uint8_t i;
  if (!(x > 0.0f)) return 0.0f;
  if (x > TML_MAX_FLOAT) return x;
  m = tml_decompose(x, &e);
  if (e & 1) {
    m = m * 2.0f;
    e = (int16_t)(e - 1);
  }
  y = m * TML_SQRT_A + TML_SQRT_B;
  for (i = 0; i < 4; i++) y = 0.5f * (y + m / y);
  return y * tml_pow2((int16_t)(e / 2));
}

float tml_log10f(float x) {
  int16_t e;
  float m, s, s2, p, lnm;
  if (!(x > 0.0f)) return -__builtin_inff();
  if (x > TML_MAX_FLOAT) return x;
  m = tml_decompose(x, &e);
  if (m > TML_SQRT2) {
    m = m * 0.5f;
    e = (int16_t)(e + 1);
  }
  s = (m - 1.0f) / (m + 1.0f);
  s2 = s * s;
  p = TML_LN_C9;
  p = p * s2 + TML_LN_C7;
  p = p * s2 + TML_LN_C5;
  p = p * s2 + TML_LN_C3;
  p = p * s2 + 1.0f;
  lnm = (2.0f * s) * p;
  return (float)e * TML_LOG10_2 + lnm * TML_LOG10_E;
}

void tml_fft_core(float *re, float *im, uint16_t h, const float *twr, const float *twi, uint16_t stride) {
  uint16_t size, half, quarter, step, i, j, k;
  for (size = 2; size <= h && size != 0; size = (uint16_t)(size << 1)) {
    half = size >> 1;
    /* twiddle 1 (k = 0): add and subtract only, as fftCore */
    for (i = 0; i < h; i = (uint16_t)(i + size)) {
      float xr, xi;
      j = (uint16_t)(i + half);
      xr = re[j];
      xi = im[j];
      re[j] = re[i] - xr;
      im[j] = im[i] - xi;
      re[i] = re[i] + xr;
      im[i] = im[i] + xi;
    }
    quarter = half >> 1;
    if (quarter > 0) {
      /* twiddle -i (k = half/2): W*x = xi - i*xr, exact */
      for (i = quarter; i < h; i = (uint16_t)(i + size)) {
        float xr, xi;
        j = (uint16_t)(i + half);
        xr = re[j];
        xi = im[j];
        re[j] = re[i] - xi;
        im[j] = im[i] + xr;
        re[i] = re[i] + xi;
        im[i] = im[i] - xr;
      }
    }
    step = (uint16_t)((h / size) * stride);
    for (k = 1; k < half; k++) {
      float wr, wi;
      if (k == quarter) continue;
      wr = tml_pgm_float(&twr[k * step]);
      wi = tml_pgm_float(&twi[k * step]);
      for (i = k; i < h; i = (uint16_t)(i + size)) {
        float xr, xi, tr, ti;
        j = (uint16_t)(i + half);
        xr = re[j];
        xi = im[j];
        tr = wr * xr - wi * xi;
        ti = wr * xi + wi * xr;
        re[j] = re[i] - tr;
        im[j] = im[i] - ti;
        re[i] = re[i] + tr;
        im[i] = im[i] + ti;
      }
    }
  }
}

float tml_rfft_power4(const float *re, const float *im, uint16_t h, uint16_t k, const float *twr, const float *twi) {
  uint16_t m;
  float ar, ai, br, bi, c, s, xr, xi;
  if (k == h) {
    float d = re[0] - im[0];
    float x = d + d;
    return x * x;
  }
  m = (uint16_t)((h - k) & (h - 1));
  ar = re[k] + re[m];
  ai = im[k] - im[m];
  br = re[k] - re[m];
  bi = im[k] + im[m];
  c = tml_pgm_float(&twr[k]);
  s = tml_pgm_float(&twi[k]);
  xr = ar + (c * bi + s * br);
  xi = ai + (s * bi - c * br);
  return xr * xr + xi * xi;
}

int32_t tml_round_half_away(float v) {
  float a = v < 0.0f ? -v : v;
  int32_t i;
  if (!(a < 8388608.0f)) return v < 0.0f ? -INT32_C(8388608) : INT32_C(8388608);
  i = (int32_t)a; /* truncation toward zero, exact for a < 2^23 */
  if (a - (float)i >= 0.5f) i += 1;
  return v < 0.0f ? -i : i;
}

int8_t tml_quantize_input(float x, float scale, int32_t zero_point) {
  int32_t q = tml_round_half_away(x / scale) + zero_point;
  if (q < -128) q = -128;
  if (q > 127) q = 127;
  return (int8_t)q;
}

void tml_normalize(float *x, const float *mean, const float *std_dev, uint16_t n) {
  uint16_t i;
  for (i = 0; i < n; i++) x[i] = (x[i] - tml_pgm_float(&mean[i])) / tml_pgm_float(&std_dev[i]);
}
