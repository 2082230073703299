/**
 * Int8 1-D average pooling: TFLite AVERAGE_POOL_2D with height 1 (reference/integer_ops/pooling.h
 * AveragePool): sum over the in-bounds part of the window, divide rounding half away from zero
 * ((acc +/- count/2) / count with C truncation), then the activation clamp.
 */
import { Pool1dLayer } from '../../model/artifact';

export function avgPool1d(layer: Pool1dLayer, padBefore: number, actMin: number, actMax: number, input: Int8Array, output: Int8Array): void {
  const [inLen, ch] = layer.inputShape;
  const outLen = layer.outputShape[0];
  for (let ox = 0; ox < outLen; ox++) {
    const origin = ox * layer.stride - padBefore;
    const start = Math.max(0, -origin);
    const end = Math.min(layer.poolSize, inLen - origin);
    const count = end - start; // >= 1: SAME padding never yields an empty window
    const half = count >> 1;
    for (let c = 0; c < ch; c++) {
      let acc = 0;
      for (let k = start; k < end; k++) acc += input[(origin + k) * ch + c];
      let v = acc > 0 ? Math.trunc((acc + half) / count) : Math.trunc((acc - half) / count);
      v = v < actMin ? actMin : v > actMax ? actMax : v;
      output[ox * ch + c] = v;
    }
  }
}
