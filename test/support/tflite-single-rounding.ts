/**
 * Our interpreter run with "single rounding" requantization instead of TFLite Micro's reference
 * double rounding (SaturatingRoundingDoublingHighMul then RoundingDivideByPOT). TensorFlow Lite's
 * optimized kernels (ruy; TFLITE_SINGLE_ROUNDING in common.h) and Arm NN's float reference compute
 * round(acc * M * 2^(shift-31)) once; the two differ by one step where the first rounding lands
 * on an exact half. The parity test uses this to explain, value by value, any such difference.
 *
 * It swaps the requantization functions on their CommonJS exports objects for the duration of one run
 * (the kernels read them through those objects at each call): a reference variant, not a mock.
 */
import * as fixedPoint from '../../src/quant/fixed-point';
import * as kernelRequantize from '../../src/mcu/ops/requantize';
import { runModel } from '../../src/mcu/interpreter';
import { Artifact } from '../../src/model/artifact';

type Requantize = (x: number, multiplier: number, shift: number) => number;

/** tensorflow/lite/kernels/internal/common.cc MultiplyByQuantizedMultiplier, TFLITE_SINGLE_ROUNDING branch. */
export function singleRoundingRequantize(x: number, multiplier: number, shift: number): number {
  const total = BigInt(31 - shift);
  const round = 1n << (total - 1n);
  const result = (BigInt(x) * BigInt(multiplier) + round) >> total;
  return Number(BigInt.asIntN(32, result));
}

export function runModelSingleRounding(artifact: Artifact, input: Int8Array): Int8Array {
  // The general helper and the kernels' inlined copy (src/mcu/ops/requantize.ts) both switch.
  const general = fixedPoint as unknown as { multiplyByQuantizedMultiplier: Requantize };
  const kernels = kernelRequantize as unknown as { requantize: Requantize };
  const originals = [general.multiplyByQuantizedMultiplier, kernels.requantize] as const;
  general.multiplyByQuantizedMultiplier = singleRoundingRequantize;
  kernels.requantize = singleRoundingRequantize;
  try {
    return runModel(artifact, input).output;
  } finally {
    [general.multiplyByQuantizedMultiplier, kernels.requantize] = originals;
  }
}
