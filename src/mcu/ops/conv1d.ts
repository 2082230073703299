/**
 * Int8 1-D convolution: TFLite CONV_2D with height 1, per-channel
 * (tensorflow/lite/kernels/internal/reference/integer_ops/conv.h ConvPerChannel). Padded positions
 * are skipped (they contribute nothing, not input_offset). Layout: input [len][inCh],
 * weights [filters][kernel][inCh], output [outLen][filters].
 * Ranges: |w*x| <= 127*128 per term; four partial sums of kernel*inCh/4 terms stay below 2^31 for
 * kernel*inCh < 2^17, so the int32 adds (`| 0`) are exact.
 */
import { Conv1dLayer } from '../../model/artifact';
import { PreparedWeighted } from '../prepared-model';
import { requantize } from './requantize';

export function conv1d(layer: Conv1dLayer, p: PreparedWeighted, padBefore: number, input: Int8Array, output: Int8Array): void {
  const [inLen, inCh] = layer.inputShape;
  const [outLen, outCh] = layer.outputShape;
  const { kernelSize, stride, dilation } = layer;
  const { weights, foldedBias, tapOffsets, multipliers, shifts, outputOffset, actMin, actMax } = p;
  // With dilation 1 the taps of one output are one contiguous run of kernel*inCh inputs, as are its weights.
  const span = kernelSize * inCh;
  const n4 = span & ~3;
  for (let ox = 0; ox < outLen; ox++) {
    const origin = ox * stride - padBefore;
    const interior = dilation === 1 && origin >= 0 && origin + kernelSize <= inLen;
    const iBase = origin * inCh;
    for (let oc = 0; oc < outCh; oc++) {
      let acc: number;
      if (interior) {
        const wBase = oc * span;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        let j = 0;
        for (; j < n4; j += 4) {
          a0 = (a0 + weights[wBase + j] * input[iBase + j]) | 0;
          a1 = (a1 + weights[wBase + j + 1] * input[iBase + j + 1]) | 0;
          a2 = (a2 + weights[wBase + j + 2] * input[iBase + j + 2]) | 0;
          a3 = (a3 + weights[wBase + j + 3] * input[iBase + j + 3]) | 0;
        }
        for (; j < span; j++) a0 = (a0 + weights[wBase + j] * input[iBase + j]) | 0;
        // Input offset folded into the bias for every tap (prepared-model.ts); exact, wrapped to int32 once.
        acc = (a0 + a1 + a2 + a3 + foldedBias[oc]) | 0;
      } else {
        let sum = 0;
        let back = 0;
        for (let k = 0; k < kernelSize; k++) {
          const ix = origin + k * dilation;
          if (ix < 0 || ix >= inLen) {
            // A padded tap takes its share of the folded input offset back.
            back += tapOffsets[oc * kernelSize + k];
            continue;
          }
          const wBase = (oc * kernelSize + k) * inCh;
          const xBase = ix * inCh;
          for (let ic = 0; ic < inCh; ic++) sum = (sum + weights[wBase + ic] * input[xBase + ic]) | 0;
        }
        acc = (sum + (foldedBias[oc] - back)) | 0;
      }
      let v = requantize(acc, multipliers[oc], shifts[oc]) + outputOffset;
      v = v < actMin ? actMin : v > actMax ? actMax : v;
      output[ox * outCh + oc] = v;
    }
  }
}
