/*
 * Compile-time options of the capture sketch (pass them as -D flags, or edit the defaults here).
 *
 *   TML_RATE_HZ          sample rate in Hz (integer, default 100)
 *   TML_BAUD             serial speed (default 115200)
 *   TML_BOARD            board name in the announcement (default: from the core's ARDUINO_* macro)
 *   one sensor, default TML_SENSOR_SYNTHETIC:
 *   TML_SENSOR_SYNTHETIC deterministic 3-axis test signal, nothing attached (any board)
 *   TML_SENSOR_ANALOG    analogRead of TML_ANALOG_PINS (default A0), printed raw (0..1023 on AVR)
 *   TML_SENSOR_LSM9DS1   Nano 33 BLE Sense Rev1 IMU via the Arduino_LSM9DS1 library (g; +dps)
 *   TML_SENSOR_BMI270    Nano 33 BLE Sense Rev2 IMU via the Arduino_BMI270_BMM150 library
 *   TML_IMU_GYRO         with an IMU: also print the gyroscope (6 axes)
 */
#ifndef TML_CAPTURE_CONFIG_H
#define TML_CAPTURE_CONFIG_H

#ifndef TML_RATE_HZ
#define TML_RATE_HZ 100
#endif
#if (TML_RATE_HZ) < 1 || (TML_RATE_HZ) > 10000
#error "TML_RATE_HZ must be an integer between 1 and 10000"
#endif

#ifndef TML_BAUD
#define TML_BAUD 115200
#endif

#if !defined(TML_SENSOR_SYNTHETIC) && !defined(TML_SENSOR_ANALOG) && !defined(TML_SENSOR_LSM9DS1) && !defined(TML_SENSOR_BMI270)
#define TML_SENSOR_SYNTHETIC 1
#endif
#if (defined(TML_SENSOR_SYNTHETIC) + defined(TML_SENSOR_ANALOG) + defined(TML_SENSOR_LSM9DS1) + defined(TML_SENSOR_BMI270)) != 1
#error "define exactly one of TML_SENSOR_SYNTHETIC, TML_SENSOR_ANALOG, TML_SENSOR_LSM9DS1, TML_SENSOR_BMI270"
#endif

#ifndef TML_ANALOG_PINS
#define TML_ANALOG_PINS A0
#endif

#ifndef TML_BOARD
#if defined(ARDUINO_AVR_UNO)
#define TML_BOARD "uno"
#elif defined(ARDUINO_AVR_NANO)
#define TML_BOARD "nano"
#elif defined(ARDUINO_ARDUINO_NANO33BLE)
#define TML_BOARD "nano33ble"
#elif defined(ARDUINO_ARCH_ESP32)
#define TML_BOARD "esp32"
#elif defined(ARDUINO_ARCH_RP2040)
#define TML_BOARD "rp2040"
#else
#define TML_BOARD "unknown"
#endif
#endif

#endif
