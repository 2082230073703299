/*
 * Support for bare-metal test programs run on the emulated ATmega328P (uno-emulator --headless,
 * or runAvrProgram() in src/virtual/avr-run.ts). Header-only; C99.
 *
 *   tml_test_init();            UART0 at 115200 baud 8N1, stdout/printf go to it
 *   TML_MARK(tag);              records the cycle counter with a tag (0..255): "cycles <n> <tag>"
 *   tml_test_fast_putc(c);      writes a byte to the output with no baud delay (GPIOR1)
 *   tml_test_exit(code);        ends the run now with that status (GPIOR2); returning from main
 *                               also ends it, with main's return value as status
 *
 * On a real chip the marks and fast output are harmless writes to general-purpose I/O registers.
 * Note: avr-libc's printf has no %f unless linked with -Wl,-u,vfprintf -lprintf_flt.
 */
#ifndef TML_AVR_TEST_H
#define TML_AVR_TEST_H

#include <avr/io.h>
#include <stdint.h>
#include <stdio.h>

#define TML_MARK(tag) (GPIOR0 = (uint8_t)(tag))

static inline void tml_test_fast_putc(char c) { GPIOR1 = (uint8_t)c; }

static inline void tml_test_exit(uint8_t code) {
  GPIOR2 = code;
  for (;;) {
  }
}

static int tml_test_uart_put(char c, FILE *stream) {
  (void)stream;
  while (!(UCSR0A & (1 << UDRE0))) {
  }
  UDR0 = (uint8_t)c;
  return 0;
}

static FILE tml_test_stdout = FDEV_SETUP_STREAM(tml_test_uart_put, NULL, _FDEV_SETUP_WRITE);

/* 115200 baud at 16 MHz with U2X: UBRR = 16 (2.1% error, as the Arduino core does). */
static inline void tml_test_init(void) {
  UCSR0A = (uint8_t)(1 << U2X0);
  UBRR0 = 16;
  UCSR0B = (uint8_t)(1 << TXEN0);
  UCSR0C = (uint8_t)((1 << UCSZ01) | (1 << UCSZ00));
  stdout = &tml_test_stdout;
}

#endif
