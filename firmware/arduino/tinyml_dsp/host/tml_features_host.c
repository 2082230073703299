/*
 * Host test harness for the tinyml DSP twin (built by test/support/dsp-host.ts with
 * gcc -ffp-contract=off -fno-fast-math). Binary little-endian float32 on stdin/stdout:
 *   features        : windows of TML_FEAT_WINDOW x TML_FEAT_AXES floats in -> TML_FEAT_OUT floats out each
 *   math SCALE ZP   : floats x in -> per x: sqrt(x), log10(x) (float32), round_half_away(x),
 *                     quantize(x, SCALE, ZP) (int32 each)
 *   normalize N     : N means, N std devs, then vectors of N floats in -> normalized vectors out
 *   sizeof          : prints sizeof(tml_features_state) as text
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tml_features.h"

static tml_features_state state;

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "features") == 0) {
    float window[TML_FEAT_WINDOW][TML_FEAT_AXES];
    while (fread(window, sizeof window, 1, stdin) == 1) {
      uint16_t t;
      tml_features_reset(&state);
      for (t = 0; t < TML_FEAT_WINDOW; t++) tml_features_push(&state, window[t]);
      fwrite(tml_features_finish(&state), sizeof(float), TML_FEAT_OUT, stdout);
    }
    return 0;
  }
  if (argc >= 4 && strcmp(argv[1], "math") == 0) {
    float scale = strtof(argv[2], NULL), x;
    int32_t zp = (int32_t)strtol(argv[3], NULL, 10);
    while (fread(&x, sizeof x, 1, stdin) == 1) {
      float r[2];
      int32_t q[2];
      r[0] = tml_sqrtf(x);
      r[1] = tml_log10f(x);
      q[0] = tml_round_half_away(x);
      q[1] = tml_quantize_input(x, scale, zp);
      fwrite(r, sizeof(float), 2, stdout);
      fwrite(q, sizeof(int32_t), 2, stdout);
    }
    return 0;
  }
  if (argc >= 3 && strcmp(argv[1], "normalize") == 0) {
    uint16_t n = (uint16_t)strtol(argv[2], NULL, 10);
    float *mean = malloc(n * sizeof(float)), *std_dev = malloc(n * sizeof(float)), *v = malloc(n * sizeof(float));
    if (!mean || !std_dev || !v || fread(mean, sizeof(float), n, stdin) != n || fread(std_dev, sizeof(float), n, stdin) != n) return 1;
    while (fread(v, sizeof(float), n, stdin) == n) {
      tml_normalize(v, mean, std_dev, n);
      fwrite(v, sizeof(float), n, stdout);
    }
    return 0;
  }
  if (argc >= 2 && strcmp(argv[1], "sizeof") == 0) {
    printf("%u\n", (unsigned)sizeof(tml_features_state));
    return 0;
  }
  fprintf(stderr, "usage: %s features | math SCALE ZP | sizeof\n", argv[0]);
  return 2;
}
