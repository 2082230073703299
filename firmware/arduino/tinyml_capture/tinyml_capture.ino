/*
 * TinyML Flow capture sketch: samples a sensor at a fixed rate and streams one line per sample
 * at 115200 baud, after an announcement line the capture node reads:
 *   # tinyml proto=1 board=uno rate=100 axes=ax,ay,az units=g,g,g sensor=synthetic
 *   0.012,0.221,1.013
 * Sending a line "?" reprints the announcement. Options: tml_capture_config.h.
 * Timing: the next sample time advances by exactly one period (with the remainder of
 * 1e6 / rate carried), so the rate does not drift however long printing takes; unsigned
 * differences make the micros() wrap-around (every ~71 minutes) harmless.
 * Functions are defined before use: the pack's build driver generates no prototypes.
 */
#include "tml_capture_config.h"
#include "tml_line_format.h"

#include "tml_sensor.h"

static uint32_t tml_next_us;
static uint32_t tml_rem_acc;
static char tml_cmd[8];
static uint8_t tml_cmd_len;
#if defined(USBCON) || defined(ARDUINO_ARCH_MBED)
static bool tml_host_was_connected;
#endif

static void tml_announce(void) {
  Serial.print(F("# tinyml proto=1 board=" TML_BOARD " rate="));
  Serial.print((unsigned long)TML_RATE_HZ);
#if defined(TML_SENSOR_ANALOG)
  Serial.print(F(" axes="));
  for (uint8_t i = 0; i < TML_SENSOR_AXIS_COUNT; i++) {
    if (i) Serial.print(',');
    Serial.print('a');
    Serial.print((unsigned)(tml_pins[i] >= A0 ? tml_pins[i] - A0 : tml_pins[i]));
  }
  Serial.print(F(" units="));
  for (uint8_t i = 0; i < TML_SENSOR_AXIS_COUNT; i++) {
    if (i) Serial.print(',');
    Serial.print(F("raw"));
  }
#else
  Serial.print(F(" axes=" TML_SENSOR_AXES " units=" TML_SENSOR_UNITS));
#endif
  Serial.println(F(" sensor=" TML_SENSOR_NAME));
}

static void tml_emit(const int32_t *v) {
  char line[TML_SENSOR_AXIS_COUNT * 12 + 2];
  uint8_t len = 0;
  for (uint8_t i = 0; i < TML_SENSOR_AXIS_COUNT; i++) {
    if (i) line[len++] = ',';
    len += tml_format_fixed(line + len, v[i], TML_DECIMALS);
  }
  line[len++] = '\r';
  line[len++] = '\n';
  Serial.write((const uint8_t *)line, len);
}

/* Host commands, one per line: "?" reprints the announcement; anything else is ignored. */
static void tml_poll_commands(void) {
  while (Serial.available() > 0) {
    char c = (char)Serial.read();
    if (c == '\n' || c == '\r') {
      if (tml_cmd_len == 1 && tml_cmd[0] == '?') tml_announce();
      tml_cmd_len = 0;
    } else if (tml_cmd_len < sizeof(tml_cmd)) {
      tml_cmd[tml_cmd_len++] = c;
    } else {
      tml_cmd_len = sizeof(tml_cmd); /* too long: not a command, wait for the end of line */
      tml_cmd[0] = 0;
    }
  }
#if defined(USBCON) || defined(ARDUINO_ARCH_MBED)
  /* USB serial boards do not reset when the port opens: announce to each new host. */
  bool connected = (bool)Serial;
  if (connected && !tml_host_was_connected) tml_announce();
  tml_host_was_connected = connected;
#endif
}

void setup() {
  Serial.begin(TML_BAUD);
  if (tml_sensor_begin() != 0) {
    for (;;) {
      Serial.println(F("# tinyml error: the IMU did not start (check the board type)"));
      delay(1000);
    }
  }
  tml_announce();
  tml_next_us = micros();
}

void loop() {
  const uint32_t period = 1000000UL / (uint32_t)(TML_RATE_HZ);
  const uint32_t rem = 1000000UL % (uint32_t)(TML_RATE_HZ);
  tml_poll_commands();
  uint32_t now = micros();
  if ((int32_t)(now - tml_next_us) < 0) return;
  int32_t v[TML_SENSOR_AXIS_COUNT];
  tml_sensor_read(v);
  tml_emit(v);
  tml_next_us += period;
  tml_rem_acc += rem;
  if (tml_rem_acc >= (uint32_t)(TML_RATE_HZ)) {
    tml_rem_acc -= (uint32_t)(TML_RATE_HZ);
    tml_next_us += 1;
  }
  /* More than 10 periods late (serial link too slow for the rate): restart the clock, a visible gap. */
  if ((int32_t)(now - tml_next_us) > (int32_t)(10 * period)) tml_next_us = now;
}
