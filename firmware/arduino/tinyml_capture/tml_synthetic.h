/*
 * Deterministic synthetic accelerometer for a board with nothing attached: integer-only, so every
 * board prints the same values for the same sample index (no libm, no float).
 *   ax = 0.5 g sin(2 pi 1 Hz t) ; ay = 0.3 g sin(2 pi 2.5 Hz t + pi/4) ; az = 1 g + 0.2 g sin(2 pi 0.5 Hz t)
 *   + uniform noise in [-20, 20] mg on each axis
 *   + every 2..4 s (random) an "event": 0.4 s of 8 Hz at 0.8 g with a linear decay on all axes.
 * Values are milli-g in int32_t (range about -2400..+2400). State: 28 bytes of RAM.
 */
#ifndef TML_SYNTHETIC_H
#define TML_SYNTHETIC_H

#include <stdint.h>
#if defined(__AVR__)
#include <avr/pgmspace.h>
#define TML_SINE_READ(i) ((int32_t)(int16_t)pgm_read_word(&tml_sine_quarter[(i)]))
#else
#define PROGMEM
#define TML_SINE_READ(i) ((int32_t)tml_sine_quarter[(i)])
#endif

/* round(32767 sin(pi/2 i/64)), i = 0..64: a quarter wave in Q15. */
static const int16_t tml_sine_quarter[65] PROGMEM = {
  0, 804, 1608, 2410, 3212, 4011, 4808, 5602, 6393, 7179, 7962,
  8739, 9512, 10278, 11039, 11793, 12539, 13279, 14010, 14732, 15446, 16151,
  16846, 17530, 18204, 18868, 19519, 20159, 20787, 21403, 22005, 22594, 23170,
  23731, 24279, 24811, 25329, 25832, 26319, 26790, 27245, 27683, 28105, 28510,
  28898, 29268, 29621, 29956, 30273, 30571, 30852, 31113, 31356, 31580, 31785,
  31971, 32137, 32285, 32412, 32521, 32609, 32678, 32728, 32757, 32767
};

/* sin(2 pi phase / 2^32) in Q15 (-32767..32767), linear interpolation in the quarter table. */
static int32_t tml_sine_q15(uint32_t phase) {
  uint8_t quarter = (uint8_t)(phase >> 30);
  uint32_t u = (phase >> 14) & 0xFFFFu; /* position in the quarter, 16 bits */
  if (quarter & 1u) u = 0x10000u - u;  /* second and fourth quarters run backwards */
  uint8_t i = (uint8_t)(u >> 10);
  int32_t frac = (int32_t)(u & 0x3FFu);
  int32_t v = TML_SINE_READ(i);
  if (i < 64) v += ((TML_SINE_READ(i + 1) - v) * frac) >> 10;
  return (quarter & 2u) ? -v : v;
}

/* Phase step per sample for a frequency in milli-hertz, folded to a constant by the compiler. */
#define TML_PHASE_INC(mhz) ((uint32_t)((((uint64_t)(mhz)) << 32) / ((uint64_t)(TML_RATE_HZ) * 1000u)))

typedef struct {
  uint32_t rng;      /* LCG state */
  uint32_t phase[3]; /* per-axis phase */
  uint32_t burst_phase;
  uint16_t until_event; /* samples until the next event starts */
  uint16_t burst_left;  /* samples left in the current event */
} tml_synth_t;

/* Numerical Recipes' LCG (a = 1664525, c = 1013904223, mod 2^32); the high bits are the good ones. */
static uint16_t tml_synth_rand(tml_synth_t *s) {
  s->rng = s->rng * UINT32_C(1664525) + UINT32_C(1013904223);
  return (uint16_t)(s->rng >> 16);
}

#define TML_SYNTH_BURST_SAMPLES ((uint16_t)((TML_RATE_HZ) * 2u / 5u + 1u))

static void tml_synth_init(tml_synth_t *s) {
  s->rng = UINT32_C(20240601);
  s->phase[0] = 0;
  s->phase[1] = UINT32_C(0x20000000); /* pi/4 */
  s->phase[2] = 0;
  s->burst_phase = 0;
  s->burst_left = 0;
  s->until_event = (uint16_t)(TML_RATE_HZ) * 2u;
}

static int32_t tml_synth_noise(tml_synth_t *s) {
  return (int32_t)(tml_synth_rand(s) % 41u) - 20;
}

/* Next sample in milli-g into out[3]. */
static void tml_synth_next(tml_synth_t *s, int32_t out[3]) {
  out[0] = (500 * tml_sine_q15(s->phase[0])) >> 15;
  out[1] = (300 * tml_sine_q15(s->phase[1])) >> 15;
  out[2] = 1000 + ((200 * tml_sine_q15(s->phase[2])) >> 15);
  s->phase[0] += TML_PHASE_INC(1000);
  s->phase[1] += TML_PHASE_INC(2500);
  s->phase[2] += TML_PHASE_INC(500);
  if (s->burst_left > 0) {
    /* 800 mg times the fraction of the burst left: a linear decay. */
    int32_t amp = (int32_t)(800L * (int32_t)s->burst_left / (int32_t)TML_SYNTH_BURST_SAMPLES);
    int32_t w = (amp * tml_sine_q15(s->burst_phase)) >> 15;
    out[0] += w;
    out[1] -= w / 2;
    out[2] += w;
    s->burst_phase += TML_PHASE_INC(8000);
    s->burst_left--;
  } else if (--s->until_event == 0) {
    s->burst_left = TML_SYNTH_BURST_SAMPLES;
    s->burst_phase = 0;
    s->until_event = (uint16_t)((TML_RATE_HZ) * (2u + tml_synth_rand(s) % 3u));
  }
  out[0] += tml_synth_noise(s);
  out[1] += tml_synth_noise(s);
  out[2] += tml_synth_noise(s);
}

#endif
