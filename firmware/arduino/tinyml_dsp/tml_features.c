/*
 * Streaming feature extraction, twin of src/dsp/feature-pipeline.ts (preprocess, raw-block.ts,
 * time-stats.ts, spectral.ts, biquad.ts). Keep every expression in the order of its twin.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#elif defined(__clang__)
#pragma clang fp contract(off)
#endif

#include <string.h>
#define TML_FEATURES_TABLES
#include "tml_features.h"

void tml_features_reset(tml_features_state *s) { memset(s, 0, sizeof *s); }

#if TML_FEAT_FILTER_SECTIONS > 0
/* Transposed direct form II cascade; state starts at the steady state of the first input. */
static float tml_filter_step(tml_features_state *s, uint8_t a, float x) {
  uint8_t i;
  for (i = 0; i < TML_FEAT_FILTER_SECTIONS; i++) {
    const float *c = tml_feat_biquad[i];
    float b0 = tml_pgm_float(&c[0]), b1 = tml_pgm_float(&c[1]), b2 = tml_pgm_float(&c[2]);
    float a1 = tml_pgm_float(&c[3]), a2 = tml_pgm_float(&c[4]);
    float y;
    if (!s->filter_started) {
      float yss = tml_pgm_float(&c[5]) * x;
      s->fs2[a][i] = b2 * x - a2 * yss;
      s->fs1[a][i] = (b1 * x - a1 * yss) + s->fs2[a][i];
    }
    y = b0 * x + s->fs1[a][i];
    s->fs1[a][i] = (b1 * x - a1 * y) + s->fs2[a][i];
    s->fs2[a][i] = b2 * x - a2 * y;
    x = y;
  }
  return x;
}
#endif

#if TML_FEAT_SPECTRAL
/*
 * One Welch segment of axis a: the last TML_FEAT_SEG samples, oldest at ring row `oldest`; pairs
 * packed into bit-reversed complex slots, zero-padded to TML_FEAT_FFT_N (twin of spectralInto).
 */
static void tml_spectral_segment(tml_features_state *s, uint8_t a, uint16_t oldest) {
  uint16_t i, k, r;
  uint8_t b;
  float mean = 0.0f;
#if TML_FEAT_DETREND
  float sum = 0.0f;
  r = oldest;
  for (i = 0; i < TML_FEAT_SEG; i++) {
    sum = sum + s->ring[r][a];
    if (++r == TML_FEAT_SEG) r = 0;
  }
  mean = sum / (float)TML_FEAT_SEG;
#endif
  r = oldest;
  for (i = 0; i < TML_FEAT_SEG / 2; i++) {
    uint16_t j = tml_pgm_u16(&tml_feat_bitrev[i]);
    s->re[j] = (s->ring[r][a] - mean) * tml_pgm_float(&tml_feat_window[2 * i]);
    if (++r == TML_FEAT_SEG) r = 0;
    s->im[j] = (s->ring[r][a] - mean) * tml_pgm_float(&tml_feat_window[2 * i + 1]);
    if (++r == TML_FEAT_SEG) r = 0;
  }
#if TML_FEAT_SEG % 2
  {
    /* odd segment: its last sample pairs with the first padding zero */
    uint16_t j = tml_pgm_u16(&tml_feat_bitrev[TML_FEAT_SEG / 2]);
    s->re[j] = (s->ring[r][a] - mean) * tml_pgm_float(&tml_feat_window[TML_FEAT_SEG - 1]);
    s->im[j] = 0.0f;
  }
#endif
  for (i = (TML_FEAT_SEG + 1) / 2; i < TML_FEAT_FFT_N / 2; i++) {
    uint16_t j = tml_pgm_u16(&tml_feat_bitrev[i]);
    s->re[j] = 0.0f;
    s->im[j] = 0.0f;
  }
  tml_fft_core(s->re, s->im, TML_FEAT_FFT_N / 2, tml_feat_twr, tml_feat_twi, 2);
  for (b = 0; b < TML_FEAT_BANDS; b++) {
    uint16_t lo = tml_pgm_u16(&tml_feat_band_lo[b]), hi = tml_pgm_u16(&tml_feat_band_hi[b]);
    float acc = s->band_acc[a][b];
    for (k = lo; k <= hi; k++) {
      float scale = (k == 0 || k == TML_FEAT_FFT_N / 2) ? TML_FEAT_PSD_EDGE : TML_FEAT_PSD_MID;
      acc = acc + tml_rfft_power4(s->re, s->im, TML_FEAT_FFT_N / 2, k, tml_feat_twr, tml_feat_twi) * scale;
    }
    s->band_acc[a][b] = acc;
  }
}
#endif

void tml_features_push(tml_features_state *s, const float *sample) {
  uint16_t t = s->t;
  uint8_t a;
  if (t >= TML_FEAT_WINDOW) return;
  for (a = 0; a < TML_FEAT_AXES; a++) {
    float x = sample[a] * tml_pgm_float(&tml_feat_scale[a]);
#if TML_FEAT_FILTER_SECTIONS > 0
    x = tml_filter_step(s, a, x);
#endif
#if TML_FEAT_RAW
    s->raw_acc[a] = s->raw_acc[a] + x;
    if (t % TML_FEAT_RAW_DECIMATE == TML_FEAT_RAW_DECIMATE - 1) {
      s->out[(t / TML_FEAT_RAW_DECIMATE) * TML_FEAT_AXES + a] = s->raw_acc[a] / (float)TML_FEAT_RAW_DECIMATE;
      s->raw_acc[a] = 0.0f;
    }
#endif
#if TML_FEAT_STATS
    {
      /* shifted power sums; same order as powerSums in time-stats.ts. Ranges: |d| <= max - min and
         S4 <= n (max - min)^4: finite for max - min below 2e8 at any n <= 65535 */
      float d, d2;
      uint8_t neg = x < 0.0f;
      if (t == 0) {
        s->shift[a] = x;
        s->min[a] = x;
        s->max[a] = x;
      } else {
        if (x < s->min[a]) s->min[a] = x;
        if (x > s->max[a]) s->max[a] = x;
        if (neg != s->neg[a]) s->zc[a]++;
      }
      d = x - s->shift[a];
      d2 = d * d;
      s->s1[a] = s->s1[a] + d;
      s->s2[a] = s->s2[a] + d2;
      s->s3[a] = s->s3[a] + d2 * d;
      s->s4[a] = s->s4[a] + d2 * d2;
      s->neg[a] = neg;
#if TML_FEAT_STATS_MCR
      s->hist[t][a] = x;
#endif
    }
#endif
#if TML_FEAT_SPECTRAL
    s->ring[t % TML_FEAT_SEG][a] = x;
#endif
  }
#if TML_FEAT_FILTER_SECTIONS > 0
  s->filter_started = 1;
#endif
  s->t = (uint16_t)(t + 1);
#if TML_FEAT_SPECTRAL
  if (s->t >= TML_FEAT_SEG && (uint16_t)(s->t - TML_FEAT_SEG) % TML_FEAT_HOP == 0 &&
      (uint16_t)(s->t - TML_FEAT_SEG) / TML_FEAT_HOP < TML_FEAT_SEGMENTS) {
    for (a = 0; a < TML_FEAT_AXES; a++) tml_spectral_segment(s, a, (uint16_t)(s->t % TML_FEAT_SEG));
  }
#endif
}

#if TML_FEAT_STATS
typedef struct {
  float mean, m2, m3, m4;
} tml_moments;

/* Central moments from the shifted power sums; twin of centralMoments in time-stats.ts. */
static tml_moments tml_stats_moments(const tml_features_state *s, uint8_t a, float n) {
  tml_moments c;
  float m, mm, s1 = s->s1[a];
  if (n == 0.0f) {
    c.mean = c.m2 = c.m3 = c.m4 = 0.0f;
    return c;
  }
  m = s1 / n;
  mm = m * m;
  c.m2 = s->s2[a] - m * s1;
  c.m3 = (s->s3[a] - (3.0f * m) * s->s2[a]) + (2.0f * mm) * s1;
  c.m4 = ((s->s4[a] - (4.0f * m) * s->s3[a]) + (6.0f * mm) * s->s2[a]) - ((3.0f * mm) * m) * s1;
  c.mean = s->shift[a] + m;
  if (!(c.m2 > 0.0f)) c.m2 = 0.0f;
  if (!(c.m4 > 0.0f)) c.m4 = 0.0f;
  return c;
}

static float tml_stat(const tml_features_state *s, uint8_t a, uint8_t code, const tml_moments *c, float n) {
  float m2 = c->m2;
  float variance = n > 0.0f ? m2 / n : 0.0f;
  switch (code) {
    case TML_STAT_MEAN: return c->mean;
    case TML_STAT_STD: return tml_sqrtf(variance);
    case TML_STAT_RMS: return tml_sqrtf(variance + c->mean * c->mean);
    case TML_STAT_MIN: return s->min[a];
    case TML_STAT_MAX: return s->max[a];
    case TML_STAT_PTP: return s->max[a] - s->min[a];
    case TML_STAT_SKEW: return m2 > 0.0f ? (tml_sqrtf(n) * c->m3) / (m2 * tml_sqrtf(m2)) : 0.0f;
    case TML_STAT_KURT: return m2 > 0.0f ? (n * c->m4) / (m2 * m2) - 3.0f : 0.0f;
    case TML_STAT_ZCR: return n > 1.0f ? (float)s->zc[a] / (n - 1.0f) : 0.0f;
#if TML_FEAT_STATS_MCR
    case TML_STAT_MCR: {
      uint16_t i, count = 0;
      float mean = c->mean;
      for (i = 1; i < s->t; i++) count += (uint16_t)((s->hist[i - 1][a] < mean) != (s->hist[i][a] < mean));
      return n > 1.0f ? (float)count / (n - 1.0f) : 0.0f;
    }
#endif
    default: return 0.0f;
  }
}
#endif

const float *tml_features_finish(tml_features_state *s) {
  uint16_t o = TML_FEAT_RAW_LEN * TML_FEAT_AXES;
  uint8_t a;
#if TML_FEAT_STATS
  for (a = 0; a < TML_FEAT_AXES; a++) {
    uint8_t i;
    float n = (float)s->t;
    tml_moments c = tml_stats_moments(s, a, n);
    for (i = 0; i < TML_FEAT_STATS_COUNT; i++) s->out[o++] = tml_stat(s, a, tml_pgm_u8(&tml_feat_stat_codes[i]), &c, n);
  }
#endif
#if TML_FEAT_SPECTRAL
  for (a = 0; a < TML_FEAT_AXES; a++) {
    uint8_t b;
    for (b = 0; b < TML_FEAT_BANDS; b++) {
      s->out[o++] = tml_log10f(s->band_acc[a][b] * tml_pgm_float(&tml_feat_band_inv[b]) + TML_FEAT_EPS);
    }
  }
#endif
  (void)a;
  return s->out;
}
