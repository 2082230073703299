/*
 * The sensors of the capture sketch and of the inference sketch (the generator copies this file
 * into tinyml_infer/): each sample as int32 values in 10^-TML_DECIMALS of the unit, the numbers the
 * capture sketch prints. The model was trained on the printed text, so the inference sketch feeds
 * the features (float)v / 10^TML_DECIMALS: one correctly rounded division, what parsing that text gives.
 */
#ifndef TML_SENSOR_H
#define TML_SENSOR_H

#include <stdint.h>

#if defined(TML_SENSOR_SYNTHETIC)
#include "tml_synthetic.h"
#define TML_SENSOR_AXES "ax,ay,az"
#define TML_SENSOR_UNITS "g,g,g"
#define TML_SENSOR_NAME "synthetic"
#define TML_DECIMALS 3
#define TML_SENSOR_AXIS_COUNT 3
static tml_synth_t tml_synth;

#elif defined(TML_SENSOR_ANALOG)
#define TML_SENSOR_NAME "analog"
#define TML_DECIMALS 0
static const uint8_t tml_pins[] = {TML_ANALOG_PINS};
#define TML_SENSOR_AXIS_COUNT (sizeof(tml_pins) / sizeof(tml_pins[0]))

#elif defined(TML_SENSOR_LSM9DS1) || defined(TML_SENSOR_BMI270)
#if defined(TML_SENSOR_LSM9DS1)
#include <Arduino_LSM9DS1.h>
#define TML_SENSOR_NAME "lsm9ds1"
#else
#include <Arduino_BMI270_BMM150.h>
#define TML_SENSOR_NAME "bmi270"
#endif
#define TML_DECIMALS 3
#if defined(TML_IMU_GYRO)
#define TML_SENSOR_AXES "ax,ay,az,gx,gy,gz"
#define TML_SENSOR_UNITS "g,g,g,dps,dps,dps"
#define TML_SENSOR_AXIS_COUNT 6
#else
#define TML_SENSOR_AXES "ax,ay,az"
#define TML_SENSOR_UNITS "g,g,g"
#define TML_SENSOR_AXIS_COUNT 3
#endif
static float tml_imu_last[6];

#elif defined(TML_HIL)
#define TML_SENSOR_NAME "hil"
#endif

#if !defined(TML_HIL)
/* Returns 0 when the sensor started. */
static uint8_t tml_sensor_begin(void) {
#if defined(TML_SENSOR_SYNTHETIC)
  tml_synth_init(&tml_synth);
#elif defined(TML_SENSOR_LSM9DS1) || defined(TML_SENSOR_BMI270)
  if (!IMU.begin()) return 1;
#endif
  return 0;
}

/* One sample into v[] (TML_SENSOR_AXIS_COUNT values, 10^-TML_DECIMALS units). */
static void tml_sensor_read(int32_t *v) {
#if defined(TML_SENSOR_SYNTHETIC)
  tml_synth_next(&tml_synth, v);
#elif defined(TML_SENSOR_ANALOG)
  for (uint8_t i = 0; i < TML_SENSOR_AXIS_COUNT; i++) v[i] = analogRead(tml_pins[i]);
#else
  /* The IMU runs at its own output rate: reuse the last value until a new one (as capture does). */
  if (IMU.accelerationAvailable()) IMU.readAcceleration(tml_imu_last[0], tml_imu_last[1], tml_imu_last[2]);
#if defined(TML_IMU_GYRO)
  if (IMU.gyroscopeAvailable()) IMU.readGyroscope(tml_imu_last[3], tml_imu_last[4], tml_imu_last[5]);
#endif
  for (uint8_t i = 0; i < TML_SENSOR_AXIS_COUNT; i++) v[i] = (int32_t)lroundf(tml_imu_last[i] * 1000.0f);
#endif
}
#endif

#endif
