/*
 * The float boundary, float32 at every step (equal to src/mcu/quantize-io.ts):
 * QUANTIZE q = clamp(round_half_away(v / scale) + zp) (TFLite AffineQuantize), DEQUANTIZE
 * y = scale * (q - zp). No expression here has the a*b+c shape an FMA contraction could fuse.
 */
#include "tml_runtime.h"

int8_t tml_quantize_value(float v, float scale, int16_t zero_point) {
  float q = v / scale;
  int32_t t;
  float frac;
  if (q != q) q = 0.0f; /* NaN */
  if (q > 1000.0f) q = 1000.0f;
  if (q < -1000.0f) q = -1000.0f;
  t = (int32_t)q;          /* truncates */
  frac = q - (float)t;     /* exact for |q| < 2^23 */
  if (frac >= 0.5f) t++;
  else if (frac <= -0.5f) t--;
  t += zero_point;
  if (t < -128) t = -128;
  if (t > 127) t = 127;
  return (int8_t)t;
}

void tml_quantize_input(const tml_model_t *m, const float *features, int8_t *dst) {
  tml_idx_t i;
  for (i = 0; i < m->input_size; i++) {
    const float d = features[i] - TML_RF(&m->norm_mean[i]);
    const float n = d * TML_RF(&m->norm_scale[i]);
    dst[i] = tml_quantize_value(n, m->in_scale, m->in_zero_point);
  }
}

float tml_dequantize_value(const tml_model_t *m, int8_t q) {
  return m->out_scale * (float)((int16_t)q - m->out_zero_point);
}
