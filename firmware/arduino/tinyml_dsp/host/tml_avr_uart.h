/*
 * Transmit-only USART0 for the ATmega328P probes run on simavr (tml_features_avr.c,
 * tml_float_ops_avr.c): 115200 baud 8N1 at 16 MHz, polled, hex and decimal output.
 */
#ifndef TML_AVR_UART_H
#define TML_AVR_UART_H

#include <avr/io.h>
#include <stdint.h>

static inline void uart_init(void) {
  UBRR0H = 0;
  UBRR0L = 8; /* 115200 baud at 16 MHz (U2X0 = 0) */
  UCSR0B = (1 << TXEN0);
  UCSR0C = (1 << UCSZ01) | (1 << UCSZ00);
}

static inline void uart_putc(char c) {
  while (!(UCSR0A & (1 << UDRE0))) {}
  UDR0 = (uint8_t)c;
}

static inline void uart_hex32(uint32_t v) {
  int8_t i;
  for (i = 7; i >= 0; i--) uart_putc("0123456789abcdef"[(v >> (4 * i)) & 0xf]);
}

static inline void uart_dec(uint32_t v) {
  char buf[11];
  int8_t i = 0;
  do {
    buf[i++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (i) uart_putc(buf[--i]);
}

#endif
