/**
 * Int8 fully connected, as tensorflow/lite/kernels/internal/reference/integer_ops/fully_connected.h
 * (FullyConnected, per-tensor or per-channel): acc = bias + sum w * (x + input_offset), then
 * MultiplyByQuantizedMultiplier, + output_offset, clamp to the activation range.
 * Ranges: x, w int8 (w in -127..127); acc fits int32 for any inputSize < 2^16 (|w*(x+off)| <= 127*255).
 * The dot product sum w*x alone: |w*x| <= 127*128 = 16,256 per term, so four partial sums of
 * inputSize/4 terms each stay below 2^31 for inputSize < 2^17: int32 adds (`| 0`) are exact.
 */
import { FullyConnectedLayer } from '../../model/artifact';
import { PreparedWeighted } from '../prepared-model';
import { requantize } from './requantize';

export function fullyConnected(layer: FullyConnectedLayer, p: PreparedWeighted, input: Int8Array, output: Int8Array): void {
  const inSize = input.length;
  const { weights, foldedBias, multipliers, shifts, outputOffset, actMin, actMax } = p;
  const units = layer.units;
  const n4 = inSize & ~3;
  for (let o = 0, row = 0; o < units; o++, row += inSize) {
    // 4-way unrolled dot product w*x; the input offset is in foldedBias (prepared-model.ts).
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let i = 0;
    for (; i < n4; i += 4) {
      const r = row + i;
      a0 = (a0 + weights[r] * input[i]) | 0;
      a1 = (a1 + weights[r + 1] * input[i + 1]) | 0;
      a2 = (a2 + weights[r + 2] * input[i + 2]) | 0;
      a3 = (a3 + weights[r + 3] * input[i + 3]) | 0;
    }
    for (; i < inSize; i++) a0 = (a0 + weights[row + i] * input[i]) | 0;
    // sum w*(x+off) + bias = sum w*x + (bias + off*sum w), wrapped to int32 once as the C runtime does.
    const acc = (a0 + a1 + a2 + a3 + foldedBias[o]) | 0;
    let v = requantize(acc, multipliers[o], shifts[o]) + outputOffset;
    v = v < actMin ? actMin : v > actMax ? actMax : v;
    output[o] = v;
  }
}
