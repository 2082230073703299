/**
 * Int8 depthwise 1-D convolution: TFLite DEPTHWISE_CONV_2D with height 1, per-channel
 * (reference/integer_ops/depthwise_conv.h DepthwiseConvPerChannel). Output channel
 * oc = ic * depthMultiplier + m; weights [kernel][inCh * depthMultiplier].
 * Ranges: |w*x| <= 127*128 per term, kernel < 2^17 terms: the int32 adds (`| 0`) are exact.
 */
import { DepthwiseConv1dLayer } from '../../model/artifact';
import { PreparedWeighted } from '../prepared-model';
import { requantize } from './requantize';

export function depthwiseConv1d(layer: DepthwiseConv1dLayer, p: PreparedWeighted, padBefore: number, input: Int8Array, output: Int8Array): void {
  const [inLen, inCh] = layer.inputShape;
  const [outLen, outCh] = layer.outputShape;
  const { kernelSize, stride, dilation, depthMultiplier } = layer;
  const { foldedBias, tapOffsets, multipliers, shifts, outputOffset, actMin, actMax } = p;
  // Weights per channel [oc][kernel] (prepared once), so one output's taps are contiguous.
  const w = p.channelWeights!;
  const step = dilation * inCh;
  for (let ox = 0; ox < outLen; ox++) {
    const origin = ox * stride - padBefore;
    const interior = origin >= 0 && origin + (kernelSize - 1) * dilation < inLen;
    for (let ic = 0; ic < inCh; ic++) {
      const xBase = origin * inCh + ic;
      for (let m = 0; m < depthMultiplier; m++) {
        const oc = ic * depthMultiplier + m;
        const wBase = oc * kernelSize;
        let sum = 0;
        let back = 0;
        if (interior) {
          for (let k = 0, x = xBase; k < kernelSize; k++, x += step) sum = (sum + w[wBase + k] * input[x]) | 0;
        } else {
          for (let k = 0; k < kernelSize; k++) {
            const ix = origin + k * dilation;
            // A padded tap takes its share of the folded input offset back (prepared-model.ts).
            if (ix < 0 || ix >= inLen) back += tapOffsets[wBase + k];
            else sum = (sum + w[wBase + k] * input[ix * inCh + ic]) | 0;
          }
        }
        const acc = (sum + (foldedBias[oc] - back)) | 0;
        let v = requantize(acc, multipliers[oc], shifts[oc]) + outputOffset;
        v = v < actMin ? actMin : v > actMax ? actMax : v;
        output[ox * outCh + oc] = v;
      }
    }
  }
}
