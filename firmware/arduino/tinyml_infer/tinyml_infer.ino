/*
 * TinyML Flow inference sketch. Generated into a build folder by src/codegen/sketch.ts with:
 *   tml_infer_config.h    model hash, labels, window, stride, sensor or hardware-in-the-loop mode
 *   tml_features_config.h feature tables (src/codegen/c-features.ts)
 *   tml_model_<name>.h    int8 model (src/codegen/c-model.ts), included by tml_infer_config.h
 * plus copies of tinyml_dsp/ and tinyml_runtime/ (Arduino builds only the sketch folder).
 *
 * Reads samples (a sensor at TML_RATE_HZ, or with TML_HIL one sample per serial line), cuts
 * windows of TML_WINDOW samples every TML_STRIDE samples, computes the features and runs the
 * model, then prints one result line per window:
 *   # tinyml-result hash=<model hash> win=<n> label=<label> scores=<int8,...> us=<model us> feat_us=<features us>
 * At start (and on a "?" line) it announces itself with the model hash:
 *   # tinyml proto=1 board=uno rate=100 axes=ax,ay,az sensor=synthetic model=<hash> window=32 stride=32 mode=sensor
 * In HIL mode a line "!" restarts the windowing and the window count (answer "# tinyml-hil reset").
 * Functions are defined before use: the pack's build driver generates no prototypes.
 */
#include "tml_infer_config.h"
#include "tml_line_format.h"
#include "tml_sensor.h"
#include "tml_hil.h"
#include "tml_runtime.h"
#include "tml_features.h"

#if TML_STRIDE < 1 || TML_STRIDE > TML_WINDOW
#error "TML_STRIDE must be 1..TML_WINDOW"
#endif
#if TML_FEAT_AXES != TML_AXIS_COUNT || TML_FEAT_WINDOW != TML_WINDOW
#error "the feature configuration does not match the model's window"
#endif
#if !defined(TML_HIL) && TML_SENSOR_AXIS_COUNT != TML_AXIS_COUNT
#error "the sensor gives a different number of axes than the model takes"
#endif

/*
 * Cycle marks around the model: a write to GPIOR0 (a spare I/O register, one cycle on a real
 * chip) that the emulated Uno reports with its cycle counter, so the benchmark measures the cycles
 * of tml_run exactly as the cost model predicts them (bench/deploy.ts).
 */
#if defined(__AVR__) && defined(GPIOR0)
#define TML_MARK(tag) (GPIOR0 = (uint8_t)(tag))
#else
#define TML_MARK(tag) ((void)0)
#endif
#define TML_MARK_QUANTIZE 0xE1
#define TML_MARK_RUN 0xE2
#define TML_MARK_DONE 0xE3

static tml_features_state tml_feat;
static int8_t tml_buf_a[TML_MODEL_BUF_A];
static int8_t tml_buf_b[TML_MODEL_BUF_B];
#if TML_STRIDE < TML_WINDOW
/* The last TML_WINDOW samples: overlapping windows need them again. */
static float tml_ring[TML_WINDOW][TML_AXIS_COUNT];
static uint16_t tml_ring_head;
#endif
static uint16_t tml_filled;      /* samples in the current window (up to TML_WINDOW) */
static uint16_t tml_since;       /* samples since the last window */
static uint32_t tml_windows;     /* windows computed since start (or the last "!") */
#if defined(TML_HIL)
static char tml_line[TML_AXIS_COUNT * 16 + 8];
#else
static char tml_line[8];
static uint32_t tml_next_us;
static uint32_t tml_rem_acc;
#endif
static uint8_t tml_line_len;
static uint8_t tml_line_over;

static void tml_announce(void) {
  Serial.print(F("# tinyml proto=1 board=" TML_BOARD " rate="));
  Serial.print((unsigned long)TML_RATE_HZ);
  Serial.print(F(" axes=" TML_AXES " sensor=" TML_SENSOR_NAME " model=" TML_HASH));
  Serial.print(F(" window="));
  Serial.print((unsigned)TML_WINDOW);
  Serial.print(F(" stride="));
  Serial.print((unsigned)TML_STRIDE);
#if defined(TML_HIL)
  Serial.println(F(" mode=hil"));
#else
  Serial.println(F(" mode=sensor"));
#endif
}

static void tml_restart_windows(void) {
  tml_filled = 0;
  tml_since = 0;
#if TML_STRIDE < TML_WINDOW
  tml_ring_head = 0;
#else
  tml_features_reset(&tml_feat);
#endif
}

static void tml_print_label(uint8_t i) {
  char c;
  const char *p = (const char *)pgm_read_ptr(&tml_labels[i]);
  while ((c = (char)pgm_read_byte(p++)) != '\0') Serial.write(c);
}

/* Features + model on the current window, then the result line. */
static void tml_infer(void) {
  const float *features;
  const int8_t *out;
  uint32_t t0 = micros();
#if TML_STRIDE < TML_WINDOW
  uint16_t i, k = tml_ring_head; /* oldest sample */
  tml_features_reset(&tml_feat);
  for (i = 0; i < TML_WINDOW; i++) {
    tml_features_push(&tml_feat, tml_ring[k]);
    if (++k == TML_WINDOW) k = 0;
  }
#endif
  features = tml_features_finish(&tml_feat);
  uint32_t t1 = micros();
  TML_MARK(TML_MARK_QUANTIZE);
  tml_quantize_input(&TML_MODEL, features, tml_buf_a);
  TML_MARK(TML_MARK_RUN);
  out = tml_run(&TML_MODEL, tml_buf_a, tml_buf_b);
  TML_MARK(TML_MARK_DONE);
  uint32_t t2 = micros();
#if TML_STRIDE == TML_WINDOW
  tml_features_reset(&tml_feat);
#endif
  uint8_t best = 0;
  for (uint8_t j = 1; j < TML_OUTPUTS; j++) if (out[j] > out[best]) best = j;
  char num[12];
  Serial.print(F("# tinyml-result hash=" TML_HASH " win="));
  Serial.print(tml_windows);
  Serial.print(F(" label="));
  if (TML_LABEL_COUNT == TML_OUTPUTS) tml_print_label(best);
  else Serial.print(best);
  Serial.print(F(" scores="));
  for (uint8_t j = 0; j < TML_OUTPUTS; j++) {
    if (j) Serial.write(',');
    Serial.write((const uint8_t *)num, tml_format_fixed(num, out[j], 0));
  }
  Serial.print(F(" us="));
  Serial.print(t2 - t1);
  Serial.print(F(" feat_us="));
  Serial.println(t1 - t0);
  tml_windows++;
}

/* One sample in (TML_AXIS_COUNT values); runs the model when a window is complete. */
static void tml_sample(const float *x) {
#if TML_STRIDE < TML_WINDOW
  memcpy(tml_ring[tml_ring_head], x, sizeof tml_ring[0]);
  if (++tml_ring_head == TML_WINDOW) tml_ring_head = 0;
#else
  tml_features_push(&tml_feat, x);
#endif
  if (tml_filled < TML_WINDOW) tml_filled++;
  tml_since++;
  if (tml_filled == TML_WINDOW && tml_since >= TML_STRIDE) { /* the first window: tml_since == TML_WINDOW */
    tml_since = 0;
    tml_infer();
#if TML_STRIDE == TML_WINDOW
    tml_filled = 0;
#endif
  }
}

static void tml_line_done(void) {
  tml_line[tml_line_len] = '\0';
  if (tml_line_over) {
    Serial.println(F("# tinyml-hil error=too-long"));
  } else if (tml_line_len == 1 && tml_line[0] == '?') {
    tml_announce();
#if defined(TML_HIL)
  } else if (tml_line_len == 1 && tml_line[0] == '!') {
    tml_restart_windows();
    tml_windows = 0;
    Serial.println(F("# tinyml-hil reset"));
  } else if (tml_line_len > 0 && tml_line[0] != '#') {
    float x[TML_AXIS_COUNT];
    uint8_t err = tml_hil_parse(tml_line, x, TML_AXIS_COUNT);
    if (err == 0) {
      tml_sample(x);
    } else {
      Serial.print(F("# tinyml-hil error="));
      Serial.println(err == 2 ? F("count") : err == 3 ? F("precision") : F("malformed"));
    }
#endif
  }
  tml_line_len = 0;
  tml_line_over = 0;
}

static void tml_poll_serial(void) {
  while (Serial.available() > 0) {
    char c = (char)Serial.read();
    if (c == '\n' || c == '\r') {
      if (tml_line_len > 0 || tml_line_over) tml_line_done();
    } else if (tml_line_len < sizeof(tml_line) - 1) {
      tml_line[tml_line_len++] = c;
    } else {
      tml_line_over = 1;
    }
  }
}

void setup() {
  Serial.begin(TML_BAUD);
#if !defined(TML_HIL)
  if (tml_sensor_begin() != 0) {
    for (;;) {
      Serial.println(F("# tinyml error: the sensor did not start (check the board type)"));
      delay(1000);
    }
  }
#endif
  tml_restart_windows();
  tml_announce();
#if !defined(TML_HIL)
  tml_next_us = micros();
#endif
}

void loop() {
  tml_poll_serial();
#if !defined(TML_HIL)
  const uint32_t period = 1000000UL / (uint32_t)(TML_RATE_HZ);
  const uint32_t rem = 1000000UL % (uint32_t)(TML_RATE_HZ);
  uint32_t now = micros();
  if ((int32_t)(now - tml_next_us) < 0) return;
  int32_t v[TML_AXIS_COUNT];
  float x[TML_AXIS_COUNT];
  tml_sensor_read(v);
  for (uint8_t i = 0; i < TML_AXIS_COUNT; i++) x[i] = (float)v[i] / tml_pow10[TML_DECIMALS];
  tml_next_us += period;
  tml_rem_acc += rem;
  if (tml_rem_acc >= (uint32_t)(TML_RATE_HZ)) {
    tml_rem_acc -= (uint32_t)(TML_RATE_HZ);
    tml_next_us += 1;
  }
  /* More than 10 periods late (an inference took longer): restart the clock and the window, a gap. */
  if ((int32_t)(now - tml_next_us) > (int32_t)(10 * period)) {
    tml_next_us = now;
    tml_restart_windows();
    Serial.println(F("# tinyml-gap"));
  }
  tml_sample(x);
#endif
}
