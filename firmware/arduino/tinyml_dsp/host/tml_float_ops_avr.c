/*
 * ATmega328P probe of avr-libc float arithmetic and of the DSP math twins (run on simavr by
 * test/dsp/avr-float-ops.test.ts). Operands come from the generated tml_avr_operands.h; per pair
 * (a, b) prints "O " + hex bits of a+b, a-b, a*b, a/b, tml_sqrtf(a), tml_log10f(a),
 * tml_round_half_away(a), tml_quantize_input(a, b, 3); then "E".
 */
#include <avr/io.h>
#include <avr/interrupt.h>
#include <avr/sleep.h>
#include <avr/pgmspace.h>
#include <string.h>
#include "tml_avr_uart.h"
#include "tml_dsp.h"
#include "tml_avr_operands.h"

static void put_float(float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  uart_hex32(bits);
}

int main(void) {
  uint16_t i;
  uart_init();
  for (i = 0; i < TML_AVR_PAIRS; i++) {
    /* volatile: keep the compiler from folding anything at compile time */
    volatile float a = pgm_read_float(&tml_avr_operands[i][0]);
    volatile float b = pgm_read_float(&tml_avr_operands[i][1]);
    uart_putc('O');
    uart_putc(' ');
    put_float(a + b);
    put_float(a - b);
    put_float(a * b);
    put_float(a / b);
    put_float(tml_sqrtf(a));
    put_float(tml_log10f(a));
    uart_hex32((uint32_t)tml_round_half_away(a));
    uart_hex32((uint32_t)(int32_t)tml_quantize_input(a, b, 3));
    uart_putc('\n');
  }
  uart_putc('E');
  uart_putc('\n');
  cli();
  sleep_enable();
  sleep_cpu();
  return 0;
}
