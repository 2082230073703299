/*
 * Int8 depthwise 1-D convolution: TFLite DEPTHWISE_CONV_2D, height 1, per channel
 * (reference/integer_ops/depthwise_conv.h). oc = ic*depth_mult + m; weights [kernel][out_ch].
 * Folded bias with out-of-bounds correction as tml_conv1d. Ranges as tml_fully_connected.
 */
#include "tml_runtime.h"

void tml_depthwise_conv1d(const tml_layer_t *l, const int8_t *in, int8_t *out) {
  uint16_t ox, ic, m, k;
  for (ox = 0; ox < l->out_len; ox++) {
    const int32_t origin = (int32_t)ox * l->stride - l->pad;
    for (ic = 0; ic < l->in_ch; ic++) {
      for (m = 0; m < l->depth_mult; m++) {
        const uint16_t oc = (uint16_t)(ic * l->depth_mult + m);
        int32_t acc = TML_R32(&l->bias[oc]);
        int32_t v;
        for (k = 0; k < l->kernel; k++) {
          const int32_t ix = origin + (int32_t)k * l->dilation;
          const int8_t w = TML_R8(l->weights + (tml_idx_t)k * l->out_ch + oc);
          if (ix < 0 || ix >= (int32_t)l->in_len) acc -= (int32_t)w * l->in_offset;
          else acc += (int16_t)(w * in[(tml_idx_t)ix * l->in_ch + ic]);
        }
        v = tml_mul_by_quantized_multiplier(acc, TML_R32(&l->mult[oc]), TML_R8(&l->shift[oc])) + l->out_offset;
        if (v < l->act_min) v = l->act_min;
        if (v > l->act_max) v = l->act_max;
        out[(tml_idx_t)ox * l->out_ch + oc] = (int8_t)v;
      }
    }
  }
}
