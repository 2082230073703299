/*
 * Hardware-in-the-loop input: one sample per serial line, values separated by comma, tab or
 * space, each a plain decimal ("-0.123", "12", "4.5"; no exponent). A value with mantissa m and
 * d decimals becomes (float)m / 10^d: exact operands (|m| < 2^24, d <= 10) and one correctly
 * rounded division, which equals float32(the decimal text) as the engine parses it (a double
 * then rounded to float gives the same result for one division; Figueroa 1995).
 */
#ifndef TML_HIL_H
#define TML_HIL_H

#include <stdint.h>

/* 10^d as exact floats, d = 0..10. */
static const float tml_pow10[11] = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};

/*
 * Parses exactly `n` values from the NUL-terminated `line` into out[]. Returns 0 on success,
 * 1 for a malformed value, 2 for a wrong value count, 3 for a mantissa of more than 24 bits or
 * more than 10 decimals (not exactly representable).
 */
static uint8_t tml_hil_parse(const char *line, float *out, uint8_t n) {
  uint8_t count = 0;
  const char *p = line;
  for (;;) {
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '\0') break;
    uint8_t neg = 0, digits = 0, decimals = 0, point = 0;
    int32_t m = 0;
    if (*p == '-' || *p == '+') neg = (*p++ == '-');
    for (;; p++) {
      if (*p >= '0' && *p <= '9') {
        if (m >= (INT32_C(1) << 24) / 10 + 1) return 3;
        m = m * 10 + (*p - '0');
        digits++;
        if (point) decimals++;
      } else if (*p == '.' && !point) {
        point = 1;
      } else {
        break;
      }
    }
    if (digits == 0) return 1;
    if (m >= (INT32_C(1) << 24) || decimals > 10) return 3;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == ',') p++;
    else if (*p != '\0' && !(p[-1] == ' ' || p[-1] == '\t')) return 1;
    if (count == n) return 2;
    out[count++] = (neg ? -(float)m : (float)m) / tml_pow10[decimals]; /* keeps -0 as the engine does */
  }
  return count == n ? 0 : 2;
}

#endif
