/*
 * TinyML Flow portable int8 runtime (C99): TFLite Micro's reference integer kernels, bit-exact,
 * with no malloc. Weights, biases and the layer table live in flash (PROGMEM on AVR); activations
 * ping-pong between two buffers whose sizes the generator (src/codegen/c-model.ts) computes.
 * Assumes two's complement and arithmetic right shift of negative values (gcc, clang, all targets here).
 */
#ifndef TML_RUNTIME_H
#define TML_RUNTIME_H

#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__AVR__)
#include <avr/pgmspace.h>
#define TML_PROGMEM PROGMEM
#define TML_R8(p) ((int8_t)pgm_read_byte(p))
#define TML_R32(p) ((int32_t)pgm_read_dword(p))
#define TML_RF(p) pgm_read_float(p)
#define TML_MEMCPY_P(d, s, n) memcpy_P((d), (s), (n))
/* Element indices: AVR RAM is 2 KB, 16 bits address every tensor it can hold. */
typedef uint16_t tml_idx_t;
#else
#define TML_PROGMEM
#define TML_R8(p) (*(const int8_t *)(p))
#define TML_R32(p) (*(const int32_t *)(p))
#define TML_RF(p) (*(const float *)(p))
#define TML_MEMCPY_P(d, s, n) memcpy((d), (s), (n))
typedef uint32_t tml_idx_t;
#endif

/* Requantization: TFLite's exact 64-bit form (default everywhere) or the exact 32-bit piecewise
 * form (-DTML_REQUANT_PIECEWISE). Both give identical results (tested); measured on the emulated
 * ATmega328P at -O2 the piecewise form is not yet faster (bench/int8.ts), so it is opt-in. */
#if !defined(TML_REQUANT_INT64) && !defined(TML_REQUANT_PIECEWISE)
#define TML_REQUANT_INT64 1
#endif

/* Optional per-layer hook (e.g. a GPIOR0 write to mark cycles on simavr). */
#ifndef TML_LAYER_HOOK
#define TML_LAYER_HOOK(index)
#endif

enum {
  TML_OP_FULLY_CONNECTED = 1,
  TML_OP_CONV1D = 2,
  TML_OP_DEPTHWISE_CONV1D = 3,
  TML_OP_MAX_POOL1D = 4,
  TML_OP_AVG_POOL1D = 5,
  TML_OP_RESHAPE = 6,
  TML_OP_SOFTMAX = 7
};

/* One layer. 1-D tensors are [len][ch]; a fully connected input is [in_len = size][in_ch = 1]. */
typedef struct {
  uint8_t op;
  uint8_t depth_mult;
  int8_t act_min, act_max;
  uint16_t in_len, in_ch, out_len, out_ch;
  uint16_t kernel, stride, dilation, pad;
  int16_t in_offset;  /* -input zero point, -127..128 */
  int16_t out_offset; /* output zero point, -128..127 */
  const int8_t *weights;  /* flash */
  const int32_t *bias;    /* flash; bias + in_offset * (sum of all the channel's weights) */
  const int32_t *mult;    /* flash; Q31 multiplier per output channel */
  const int8_t *shift;    /* flash; exponent per output channel (positive = left) */
  int32_t sm_mult;        /* softmax input_beta_multiplier */
  int32_t sm_diff_min;    /* softmax diff_min */
  int8_t sm_shift;        /* softmax input_left_shift */
} tml_layer_t;

typedef struct {
  const tml_layer_t *layers; /* flash */
  uint8_t n_layers;
  tml_idx_t input_size, output_size;
  tml_idx_t buf_a_size, buf_b_size;
  float in_scale;
  int16_t in_zero_point;
  float out_scale;
  int16_t out_zero_point;
  const float *norm_mean;  /* flash */
  const float *norm_scale; /* flash */
  const char *hash;
} tml_model_t;

/* Fixed point (tml_fixed_point.c). */
int32_t tml_srdhm(int32_t a, int32_t b);
int32_t tml_rounding_divide_by_pot(int32_t x, int8_t exponent);
int32_t tml_mul_by_quantized_multiplier(int32_t x, int32_t multiplier, int8_t shift);
int32_t tml_srdhm_nonneg_piecewise(int32_t x, int32_t multiplier);

/* Kernels (one file each). `in` and `out` never alias. */
void tml_fully_connected(const tml_layer_t *l, const int8_t *in, int8_t *out);
void tml_conv1d(const tml_layer_t *l, const int8_t *in, int8_t *out);
void tml_depthwise_conv1d(const tml_layer_t *l, const int8_t *in, int8_t *out);
void tml_max_pool1d(const tml_layer_t *l, const int8_t *in, int8_t *out);
void tml_avg_pool1d(const tml_layer_t *l, const int8_t *in, int8_t *out);
void tml_softmax(const tml_layer_t *l, const int8_t *in, int8_t *out);

/* Runs the model on the int8 input in buf_a; returns the buffer holding the output. */
const int8_t *tml_run(const tml_model_t *m, int8_t *buf_a, int8_t *buf_b);

/* Float boundary (tml_quantize.c): float32 step by step, equal to src/mcu/quantize-io.ts. */
int8_t tml_quantize_value(float v, float scale, int16_t zero_point);
void tml_quantize_input(const tml_model_t *m, const float *features, int8_t *dst);
float tml_dequantize_value(const tml_model_t *m, int8_t q);

#ifdef __cplusplus
}
#endif
#endif
