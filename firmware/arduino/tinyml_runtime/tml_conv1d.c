/*
 * Int8 1-D convolution: TFLite CONV_2D, height 1, per channel (reference/integer_ops/conv.h).
 * Padded taps contribute nothing in TFLite; the folded bias assumed every tap, so out-of-bounds
 * taps subtract in_offset * (their weights). Weights [out_ch][kernel][in_ch].
 * Ranges as tml_fully_connected.
 */
#include "tml_runtime.h"

void tml_conv1d(const tml_layer_t *l, const int8_t *in, int8_t *out) {
  uint16_t ox, oc, k, ic;
  for (ox = 0; ox < l->out_len; ox++) {
    const int32_t origin = (int32_t)ox * l->stride - l->pad;
    for (oc = 0; oc < l->out_ch; oc++) {
      int32_t acc = TML_R32(&l->bias[oc]);
      int32_t v;
      for (k = 0; k < l->kernel; k++) {
        const int32_t ix = origin + (int32_t)k * l->dilation;
        const int8_t *w = l->weights + ((tml_idx_t)oc * l->kernel + k) * l->in_ch;
        if (ix < 0 || ix >= (int32_t)l->in_len) {
          int32_t s = 0;
          for (ic = 0; ic < l->in_ch; ic++) s += TML_R8(w + ic);
          acc -= s * l->in_offset;
        } else {
          const int8_t *x = in + (tml_idx_t)ix * l->in_ch;
          for (ic = 0; ic < l->in_ch; ic++) acc += (int16_t)(TML_R8(w + ic) * x[ic]);
        }
      }
      v = tml_mul_by_quantized_multiplier(acc, TML_R32(&l->mult[oc]), TML_R8(&l->shift[oc])) + l->out_offset;
      if (v < l->act_min) v = l->act_min;
      if (v > l->act_max) v = l->act_max;
      out[(tml_idx_t)ox * l->out_ch + oc] = (int8_t)v;
    }
  }
}
