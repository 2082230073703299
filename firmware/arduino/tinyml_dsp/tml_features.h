/*
 * tinyml feature extraction, streaming: twin of computeFeatures in src/dsp/feature-pipeline.ts.
 * Sizes and constant tables come from tml_features_config.h, generated from the model's feature
 * configuration by src/codegen/c-features.ts. Usage per window:
 *   tml_features_reset(&st); for each sample: tml_features_push(&st, sample);
 *   const float *v = tml_features_finish(&st);   (TML_FEAT_OUT values, order of the plan's names)
 * The window itself is never stored (except for the mean-crossing rate and the spectral ring).
 */
#ifndef TML_FEATURES_H
#define TML_FEATURES_H

#include <stdint.h>
#include "tml_dsp.h"
#include "tml_features_config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Statistic codes: indexes into STAT_NAMES of src/dsp/time-stats.ts. */
#define TML_STAT_MEAN 0
#define TML_STAT_STD 1
#define TML_STAT_RMS 2
#define TML_STAT_MIN 3
#define TML_STAT_MAX 4
#define TML_STAT_PTP 5
#define TML_STAT_SKEW 6
#define TML_STAT_KURT 7
#define TML_STAT_ZCR 8
#define TML_STAT_MCR 9

/* RAM of the whole feature extraction; on AVR its size equals bufferBytes(...).total in the engine. */
typedef struct {
  uint16_t t; /* samples pushed so far */
#if TML_FEAT_FILTER_SECTIONS > 0
  uint8_t filter_started;
  float fs1[TML_FEAT_AXES][TML_FEAT_FILTER_SECTIONS];
  float fs2[TML_FEAT_AXES][TML_FEAT_FILTER_SECTIONS];
#endif
#if TML_FEAT_RAW
  float raw_acc[TML_FEAT_AXES];
#endif
#if TML_FEAT_STATS
  /* power sums of d = x - shift, shift = the axis' first sample (see time-stats.ts) */
  float shift[TML_FEAT_AXES], s1[TML_FEAT_AXES], s2[TML_FEAT_AXES], s3[TML_FEAT_AXES], s4[TML_FEAT_AXES];
  float min[TML_FEAT_AXES], max[TML_FEAT_AXES];
  uint16_t zc[TML_FEAT_AXES];
  uint8_t neg[TML_FEAT_AXES];
#if TML_FEAT_STATS_MCR
  float hist[TML_FEAT_WINDOW][TML_FEAT_AXES];
#endif
#endif
#if TML_FEAT_SPECTRAL
  float ring[TML_FEAT_SEG][TML_FEAT_AXES]; /* the last segment (M = min(window, N) samples) */
  float re[TML_FEAT_FFT_N / 2], im[TML_FEAT_FFT_N / 2]; /* packed real FFT */
  float band_acc[TML_FEAT_AXES][TML_FEAT_BANDS];
#endif
  float out[TML_FEAT_OUT];
} tml_features_state;

void tml_features_reset(tml_features_state *s);
/* One sample: TML_FEAT_AXES values in the window's axis order. Samples past TML_FEAT_WINDOW are ignored. */
void tml_features_push(tml_features_state *s, const float *sample);
/* The feature vector of the TML_FEAT_WINDOW samples pushed since the last reset. */
const float *tml_features_finish(tml_features_state *s);

#ifdef __cplusplus
}
#endif
#endif
