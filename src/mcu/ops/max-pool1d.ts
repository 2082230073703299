/**
 * Int8 1-D max pooling: TFLite MAX_POOL_2D with height 1 (reference/integer_ops/pooling.h MaxPool):
 * max over the in-bounds part of the window, then the activation clamp.
 */
import { Pool1dLayer } from '../../model/artifact';

export function maxPool1d(layer: Pool1dLayer, padBefore: number, actMin: number, actMax: number, input: Int8Array, output: Int8Array): void {
  const [inLen, ch] = layer.inputShape;
  const outLen = layer.outputShape[0];
  for (let ox = 0; ox < outLen; ox++) {
    const origin = ox * layer.stride - padBefore;
    const start = Math.max(0, -origin);
    const end = Math.min(layer.poolSize, inLen - origin);
    for (let c = 0; c < ch; c++) {
      let m = -128;
      for (let k = start; k < end; k++) {
        const v = input[(origin + k) * ch + c];
        if (v > m) m = v;
      }
      output[ox * ch + c] = m < actMin ? actMin : m > actMax ? actMax : m;
    }
  }
}
