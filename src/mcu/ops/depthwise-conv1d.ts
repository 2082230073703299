/**
 * Int8 depthwise 1-D convolution: TFLite DEPTHWISE_CONV_2D with height 1, per-channel
 * (reference/integer_ops/depthwise_conv.h DepthwiseConvPerChannel). Output channel
 * oc = ic * depthMultiplier + m; weights [kernel][inCh * depthMultiplier].
 */
import { DepthwiseConv1dLayer } from '../../model/artifact';
import { multiplyByQuantizedMultiplier } from '../../quant/fixed-point';
import { PreparedWeighted } from '../prepared-model';

export function depthwiseConv1d(layer: DepthwiseConv1dLayer, p: PreparedWeighted, padBefore: number, input: Int8Array, output: Int8Array): void {
  const [inLen, inCh] = layer.inputShape;
  const [outLen, outCh] = layer.outputShape;
  const { kernelSize, stride, dilation, depthMultiplier } = layer;
  const { weights, foldedBias, tapOffsets, multipliers, shifts, outputOffset, actMin, actMax } = p;
  for (let ox = 0; ox < outLen; ox++) {
    const origin = ox * stride - padBefore;
    for (let ic = 0; ic < inCh; ic++) {
      for (let m = 0; m < depthMultiplier; m++) {
        const oc = ic * depthMultiplier + m;
        // Input offset folded into the bias; a padded tap takes its share back (prepared-model.ts).
        let acc = foldedBias[oc];
        for (let k = 0; k < kernelSize; k++) {
          const ix = origin + k * dilation;
          if (ix < 0 || ix >= inLen) {
            acc -= tapOffsets[oc * kernelSize + k];
            continue;
          }
          acc += weights[k * outCh + oc] * input[ix * inCh + ic];
        }
        acc = acc | 0;
        let v = multiplyByQuantizedMultiplier(acc, multipliers[oc], shifts[oc]) + outputOffset;
        v = v < actMin ? actMin : v > actMax ? actMax : v;
        output[ox * outCh + oc] = v;
      }
    }
  }
}
