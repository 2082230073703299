/*
 * ATmega328P test program for the tinyml DSP twin (built by test/support/dsp-avr.ts, run on
 * simavr). Input windows come from the generated tml_avr_windows.h (PROGMEM); each feature is
 * printed on UART0 as 8 hex digits of its float32 bits, one window per line:
 *   "S <sizeof state>"  then  "W <hex><hex>..."  per window, then "C <timer1 ticks of the last window>", "E".
 * Timer1 runs at clk/256 (16 us per tick at 16 MHz) to report the time one window takes.
 */
#include <avr/io.h>
#include <avr/interrupt.h>
#include <avr/sleep.h>
#include <avr/pgmspace.h>
#include <string.h>
#include "tml_avr_uart.h"
#include "tml_features.h"
#include "tml_avr_windows.h"

static tml_features_state state;

int main(void) {
  uint16_t w, t, ticks = 0;
  uart_init();
  TCCR1A = 0;
  TCCR1B = (1 << CS12); /* clk/256: 16 us per tick, wraps after 1.05 s */
  uart_putc('S');
  uart_putc(' ');
  uart_dec(sizeof state);
  uart_putc('\n');
  for (w = 0; w < TML_AVR_WINDOWS; w++) {
    const float *v;
    uint16_t i;
    uint16_t start = TCNT1;
    tml_features_reset(&state);
    for (t = 0; t < TML_FEAT_WINDOW; t++) {
      float sample[TML_FEAT_AXES];
      memcpy_P(sample, &tml_avr_input[w][t][0], sizeof sample);
      tml_features_push(&state, sample);
    }
    v = tml_features_finish(&state);
    ticks = (uint16_t)(TCNT1 - start);
    uart_putc('W');
    uart_putc(' ');
    for (i = 0; i < TML_FEAT_OUT; i++) {
      uint32_t bits;
      memcpy(&bits, &v[i], sizeof bits);
      uart_hex32(bits);
    }
    uart_putc('\n');
  }
  uart_putc('C');
  uart_putc(' ');
  uart_dec(ticks);
  uart_putc('\n');
  uart_putc('E');
  uart_putc('\n');
  cli();
  sleep_enable();
  sleep_cpu();
  return 0;
}
