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
#if TML_FEAT_STATS
  float n1 = s->n, n = n1 + 1.0f;
#endif
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
      /* Pébay/Terriberry one-pass central moments; same order as TimeStatsAccumulator.push */
      float delta = x - s->mean[a];
      float dn = delta / n;
      float dn2 = dn * dn;
      float term1 = (delta * dn) * n1;
      float poly = ((n * n) - (3.0f * n)) + 3.0f;
      uint8_t neg = x < 0.0f;
      s->mean[a] = s->mean[a] + dn;
      s->m4[a] = ((s->m4[a] + (term1 * dn2) * poly) + (6.0f * dn2) * s->m2[a]) - (4.0f * dn) * s->m3[a];
      s->m3[a] = (s->m3[a] + (term1 * dn) * (n - 2.0f)) - (3.0f * dn) * s->m2[a];
      s->m2[a] = s->m2[a] + term1;
      if (t == 0) {
        s->min[a] = x;
        s->max[a] = x;
      } else {
        if (x < s->min[a]) s->min[a] = x;
        if (x > s->max[a]) s->max[a] = x;
        if (neg != s->neg[a]) s->zc[a]++;
      }
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
#if TML_FEAT_STATS
  s->n = n;
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
static float tml_stat(const tml_features_state *s, uint8_t a, uint8_t code) {
  float n = s->n, m2 = s->m2[a];
  float variance = n > 0.0f ? m2 / n : 0.0f;
  switch (code) {
    case TML_STAT_MEAN: return s->mean[a];
    case TML_STAT_STD: return tml_sqrtf(variance);
    case TML_STAT_RMS: return tml_sqrtf(variance + s->mean[a] * s->mean[a]);
    case TML_STAT_MIN: return s->min[a];
    case TML_STAT_MAX: return s->max[a];
    case TML_STAT_PTP: return s->max[a] - s->min[a];
    case TML_STAT_SKEW: return m2 > 0.0f ? (tml_sqrtf(n) * s->m3[a]) / (m2 * tml_sqrtf(m2)) : 0.0f;
    case TML_STAT_KURT: return m2 > 0.0f ? (n * s->m4[a]) / (m2 * m2) - 3.0f : 0.0f;
    case TML_STAT_ZCR: return n > 1.0f ? (float)s->zc[a] / (n - 1.0f) : 0.0f;
#if TML_FEAT_STATS_MCR
    case TML_STAT_MCR: {
      uint16_t i, count = 0;
      float mean = s->mean[a];
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
    for (i = 0; i < TML_FEAT_STATS_COUNT; i++) s->out[o++] = tml_stat(s, a, tml_pgm_u8(&tml_feat_stat_codes[i]));
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
