/*
 * Int8 fully connected (TFLite reference/integer_ops/fully_connected.h). The input offset is
 * folded into the bias by the generator: acc = bias' + sum w*x, bias' = bias + in_offset*sum(w).
 * Ranges: w -127..127, x -128..127, w*x fits int16 (one 8x8 MULS on AVR); acc int32 (wraps as
 * TFLite's does only beyond 2^31, impossible below ~66000 inputs).
 */
#include "tml_runtime.h"

void tml_fully_connected(const tml_layer_t *l, const int8_t *in, int8_t *out) {
  const tml_idx_t n = l->in_len;
  const int8_t *w = l->weights;
  uint16_t o;
  for (o = 0; o < l->out_ch; o++) {
    int32_t acc = TML_R32(&l->bias[o]);
    tml_idx_t i;
    int32_t v;
    for (i = 0; i < n; i++) acc += (int16_t)(TML_R8(w + i) * in[i]);
    w += n;
    v = tml_mul_by_quantized_multiplier(acc, TML_R32(&l->mult[o]), TML_R8(&l->shift[o])) + l->out_offset;
    if (v < l->act_min) v = l->act_min;
    if (v > l->act_max) v = l->act_max;
    out[o] = (int8_t)v;
  }
}
