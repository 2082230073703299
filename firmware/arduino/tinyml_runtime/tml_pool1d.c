/*
 * Int8 1-D max and average pooling: TFLite MAX_POOL_2D / AVERAGE_POOL_2D with height 1
 * (reference/integer_ops/pooling.h). Only in-bounds elements count. Average: sum (|sum| <= 128 *
 * kernel) divided rounding half away from zero with C truncating division, as TFLite does.
 */
#include "tml_runtime.h"

static void window(const tml_layer_t *l, uint16_t ox, int32_t *origin, int32_t *start, int32_t *end) {
  *origin = (int32_t)ox * l->stride - l->pad;
  *start = *origin < 0 ? -*origin : 0;
  *end = (int32_t)l->in_len - *origin;
  if (*end > (int32_t)l->kernel) *end = l->kernel;
}

void tml_max_pool1d(const tml_layer_t *l, const int8_t *in, int8_t *out) {
  uint16_t ox, c;
  for (ox = 0; ox < l->out_len; ox++) {
    int32_t origin, start, end, k;
    window(l, ox, &origin, &start, &end);
    for (c = 0; c < l->in_ch; c++) {
      int8_t mx = -128;
      for (k = start; k < end; k++) {
        const int8_t v = in[(tml_idx_t)(origin + k) * l->in_ch + c];
        if (v > mx) mx = v;
      }
      if (mx < l->act_min) mx = l->act_min;
      if (mx > l->act_max) mx = l->act_max;
      out[(tml_idx_t)ox * l->in_ch + c] = mx;
    }
  }
}

void tml_avg_pool1d(const tml_layer_t *l, const int8_t *in, int8_t *out) {
  uint16_t ox, c;
  for (ox = 0; ox < l->out_len; ox++) {
    int32_t origin, start, end, k, count;
    window(l, ox, &origin, &start, &end);
    count = end - start;
    for (c = 0; c < l->in_ch; c++) {
      int32_t acc = 0, v;
      for (k = start; k < end; k++) acc += in[(tml_idx_t)(origin + k) * l->in_ch + c];
      v = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
      if (v < l->act_min) v = l->act_min;
      if (v > l->act_max) v = l->act_max;
      out[(tml_idx_t)ox * l->in_ch + c] = (int8_t)v;
    }
  }
}
