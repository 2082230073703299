/**
 * Int8 fully connected, as tensorflow/lite/kernels/internal/reference/integer_ops/fully_connected.h
 * (FullyConnected, per-tensor or per-channel): acc = bias + sum w * (x + input_offset), then
 * MultiplyByQuantizedMultiplier, + output_offset, clamp to the activation range.
 * Ranges: x, w int8 (w in -127..127); acc fits int32 for any inputSize < 2^16 (|w*(x+off)| <= 127*255).
 */
import { FullyConnectedLayer } from '../../model/artifact';
import { multiplyByQuantizedMultiplier } from '../../quant/fixed-point';
import { PreparedWeighted } from '../prepared-model';

export function fullyConnected(layer: FullyConnectedLayer, p: PreparedWeighted, input: Int8Array, output: Int8Array): void {
  const inSize = input.length;
  const { weights, foldedBias, multipliers, shifts, outputOffset, actMin, actMax } = p;
  for (let o = 0; o < layer.units; o++) {
    let acc = 0;
    const row = o * inSize;
    // The input offset is in foldedBias (prepared-model.ts): sum w*(x+off) + bias = sum w*x + (bias + off*sum w).
    for (let i = 0; i < inSize; i++) acc += weights[row + i] * input[i];
    acc = (acc + foldedBias[o]) | 0;
    let v = multiplyByQuantizedMultiplier(acc, multipliers[o], shifts[o]) + outputOffset;
    v = v < actMin ? actMin : v > actMax ? actMax : v;
    output[o] = v;
  }
}
