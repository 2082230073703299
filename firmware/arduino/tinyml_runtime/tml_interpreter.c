/*
 * Runs the layer table: each layer reads one ping-pong buffer and writes the other (a reshape
 * moves nothing). The generator sizes both buffers from the same alternation.
 */
#include "tml_runtime.h"

const int8_t *tml_run(const tml_model_t *m, int8_t *buf_a, int8_t *buf_b) {
  int8_t *cur = buf_a, *other = buf_b, *t;
  uint8_t i;
  tml_layer_t l;
  for (i = 0; i < m->n_layers; i++) {
    TML_MEMCPY_P(&l, &m->layers[i], sizeof l);
    switch (l.op) {
      case TML_OP_FULLY_CONNECTED: tml_fully_connected(&l, cur, other); break;
      case TML_OP_CONV1D: tml_conv1d(&l, cur, other); break;
      case TML_OP_DEPTHWISE_CONV1D: tml_depthwise_conv1d(&l, cur, other); break;
      case TML_OP_MAX_POOL1D: tml_max_pool1d(&l, cur, other); break;
      case TML_OP_AVG_POOL1D: tml_avg_pool1d(&l, cur, other); break;
      case TML_OP_SOFTMAX: tml_softmax(&l, cur, other); break;
      default: TML_LAYER_HOOK(i); continue; /* reshape: same bytes, same buffer */
    }
    TML_LAYER_HOOK(i);
    t = cur; cur = other; other = t;
  }
  return cur;
}
