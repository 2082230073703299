/*
 * Formats data lines without printf or float: each value is an int32_t in thousandths (or raw
 * units with 0 decimals) written as fixed decimals ("-0.456"), values joined by commas.
 */
#ifndef TML_LINE_FORMAT_H
#define TML_LINE_FORMAT_H

#include <stdint.h>

/* Writes v / 10^decimals with exactly `decimals` digits (0..3) after the point; returns the length. */
static uint8_t tml_format_fixed(char *out, int32_t v, uint8_t decimals) {
  char tmp[12];
  uint8_t n = 0, len = 0;
  uint32_t mag = v < 0 ? (uint32_t)(-(v + 1)) + 1u : (uint32_t)v; /* no overflow at INT32_MIN */
  do {
    tmp[n++] = (char)('0' + mag % 10u);
    mag /= 10u;
  } while (mag > 0 || n <= decimals);
  if (v < 0) out[len++] = '-';
  while (n > 0) {
    if (n == decimals) out[len++] = '.';
    out[len++] = tmp[--n];
  }
  return len;
}

#endif
