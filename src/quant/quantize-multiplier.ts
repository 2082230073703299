/**
 * Turning real scales into integer multipliers, as TensorFlow Lite does at Prepare time:
 * tensorflow/lite/kernels/internal/quantization_util.cc (QuantizeMultiplier,
 * PreprocessSoftmaxScaling, CalculateInputRadius) and kernels/kernel_util.cc
 * (PopulateConvolutionQuantizationParams, CalculateActivationRangeQuantized).
 */
import { Activation, QuantParams } from '../model/artifact';

export interface QuantizedMultiplier {
  /** Q31 multiplier in [2^30, 2^31) (or 0). */
  multiplier: number;
  /** Power-of-two exponent: positive shifts left. */
  shift: number;
}

/** std::frexp: x = m * 2^e with m in [0.5, 1), for finite x > 0. */
function frexp(x: number): { m: number; e: number } {
  let e = Math.max(-1073, Math.floor(Math.log2(x)) + 1);
  let m = x * 2 ** -e;
  // log2 can be off by one near powers of two: normalise exactly (scaling by 2 is exact).
  while (m < 0.5) { m *= 2; e -= 1; }
  while (m >= 1) { m /= 2; e += 1; }
  return { m, e };
}

/** TfLiteRound / std::round: half away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** tflite::QuantizeMultiplier(double). */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
  if (real === 0) return { multiplier: 0, shift: 0 };
  const { m, e } = frexp(real);
  let qFixed = roundHalfAway(m * 2147483648);
  let shift = e;
  if (qFixed === 2147483648) { qFixed /= 2; shift += 1; }
  if (shift < -31) { shift = 0; qFixed = 0; }
  if (shift > 30) { shift = 30; qFixed = 2147483647; }
  return { multiplier: qFixed, shift };
}

/**
 * Effective output scale of a convolution / fully connected channel, in double precision as
 * PopulateConvolutionQuantizationParams computes it: (double)input * (double)filter / (double)output.
 */
export function channelMultiplier(input: number, weight: number, output: number): QuantizedMultiplier {
  return quantizeMultiplier((input * weight) / output);
}

/**
 * CalculateActivationRangeQuantized for int8: quantize(f) = zp + (int32)roundf(f / scale), the
 * division in float32, clamped to [-128, 127].
 */
export function activationRange(activation: Activation, output: QuantParams): { min: number; max: number } {
  const q = (f: number): number => output.zeroPoint + roundHalfAway(Math.fround(f / output.scale));
  if (activation === 'relu') return { min: Math.max(-128, q(0)), max: 127 };
  if (activation === 'relu6') return { min: Math.max(-128, q(0)), max: Math.min(127, q(6)) };
  return { min: -128, max: 127 };
}

export interface SoftmaxParams {
  inputMultiplier: number;
  inputLeftShift: number;
  diffMin: number;
}

const SCALED_DIFF_INTEGER_BITS = 5;

/** softmax_common.cc CalculateSoftmaxParams (int8): PreprocessSoftmaxScaling + CalculateInputRadius. */
export function softmaxParams(beta: number, inputScale: number): SoftmaxParams {
  const maxReal = 2 ** 31 - 1;
  const real = Math.min(beta * inputScale * (1 << (31 - SCALED_DIFF_INTEGER_BITS)), maxReal);
  const { multiplier, shift } = quantizeMultiplier(real);
  if (!(real > 1) || shift < 0) throw new Error(`softmax: beta * input scale too small (${beta * inputScale})`);
  // CalculateInputRadius(5, shift): floor((2^5 - 1) * 2^26 / 2^shift).
  const radius = Math.floor((((1 << SCALED_DIFF_INTEGER_BITS) - 1) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS)) / 2 ** shift);
  return { inputMultiplier: multiplier, inputLeftShift: shift, diffMin: -radius };
}
