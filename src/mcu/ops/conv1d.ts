/**
 * Int8 1-D convolution: TFLite CONV_2D with height 1, per-channel
 * (tensorflow/lite/kernels/internal/reference/integer_ops/conv.h ConvPerChannel). Padded positions
 * are skipped (they contribute nothing, not input_offset). Layout: input [len][inCh],
 * weights [filters][kernel][inCh], output [outLen][filters].
 */
import { Conv1dLayer } from '../../model/artifact';
import { multiplyByQuantizedMultiplier } from '../../quant/fixed-point';
import { PreparedWeighted } from '../prepared-model';

export function conv1d(layer: Conv1dLayer, p: PreparedWeighted, padBefore: number, input: Int8Array, output: Int8Array): void {
  const [inLen, inCh] = layer.inputShape;
  const [outLen, outCh] = layer.outputShape;
  const { kernelSize, stride, dilation } = layer;
  const { weights, foldedBias, tapOffsets, multipliers, shifts, outputOffset, actMin, actMax } = p;
  for (let ox = 0; ox < outLen; ox++) {
    const origin = ox * stride - padBefore;
    for (let oc = 0; oc < outCh; oc++) {
      // Input offset folded into the bias for every tap; a padded tap takes its share back (prepared-model.ts).
      let acc = foldedBias[oc];
      for (let k = 0; k < kernelSize; k++) {
        const ix = origin + k * dilation;
        if (ix < 0 || ix >= inLen) {
          acc -= tapOffsets[oc * kernelSize + k];
          continue;
        }
        const wBase = (oc * kernelSize + k) * inCh;
        const iBase = ix * inCh;
        for (let ic = 0; ic < inCh; ic++) acc += weights[wBase + ic] * input[iBase + ic];
      }
      acc = acc | 0;
      let v = multiplyByQuantizedMultiplier(acc, multipliers[oc], shifts[oc]) + outputOffset;
      v = v < actMin ? actMin : v > actMax ? actMax : v;
      output[ox * outCh + oc] = v;
    }
  }
}
