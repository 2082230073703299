/**
 * Per-layer work and size figures for a cost model: multiply-accumulates, weights, requantized
 * outputs, and tensor sizes. Counts only in-bounds taps (padding skipped, as the kernels do).
 */
import { Artifact, Layer, elements } from '../model/artifact';
import { paddingBefore } from '../model/layer-geometry';

export interface LayerOpCount {
  index: number;
  op: Layer['op'];
  /** Multiply-accumulates actually executed (in-bounds taps only). */
  macs: number;
  /** Comparisons or additions for pooling, exp evaluations for softmax. */
  elementOps: number;
  /** Outputs that go through MultiplyByQuantizedMultiplier. */
  requantizations: number;
  weightBytes: number;
  /** int32 bias + int32 multiplier + int8 shift per channel, as the C header stores them. */
  paramBytes: number;
  inputElements: number;
  outputElements: number;
}

function inBoundsTaps(inLen: number, outLen: number, kernel: number, stride: number, dilation: number, pad: number): number {
  let taps = 0;
  for (let ox = 0; ox < outLen; ox++) {
    const origin = ox * stride - pad;
    for (let k = 0; k < kernel; k++) {
      const ix = origin + k * dilation;
      if (ix >= 0 && ix < inLen) taps++;
    }
  }
  return taps;
}

export function layerOpCounts(artifact: Artifact): LayerOpCount[] {
  return artifact.layers.map((layer, index) => {
    const inputElements = elements(layer.inputShape);
    const outputElements = elements(layer.outputShape);
    const c: LayerOpCount = { index, op: layer.op, macs: 0, elementOps: 0, requantizations: 0, weightBytes: 0, paramBytes: 0, inputElements, outputElements };
    switch (layer.op) {
      case 'fully_connected':
        c.macs = inputElements * layer.units;
        break;
      case 'conv1d':
      case 'depthwise_conv1d': {
        const [inLen, inCh] = layer.inputShape;
        const [outLen, outCh] = layer.outputShape;
        const pad = paddingBefore(layer.padding, inLen, layer.kernelSize, layer.stride, layer.dilation);
        const taps = inBoundsTaps(inLen, outLen, layer.kernelSize, layer.stride, layer.dilation, pad);
        c.macs = layer.op === 'conv1d' ? taps * inCh * outCh : taps * outCh;
        break;
      }
      case 'max_pool1d':
      case 'avg_pool1d': {
        const [inLen, ch] = layer.inputShape;
        const pad = paddingBefore(layer.padding, inLen, layer.poolSize, layer.stride);
        c.elementOps = inBoundsTaps(inLen, layer.outputShape[0], layer.poolSize, layer.stride, 1, pad) * ch;
        break;
      }
      case 'softmax':
        c.elementOps = 2 * inputElements;
        break;
      case 'reshape':
        break;
    }
    if ('weights' in layer) {
      c.weightBytes = Math.floor((layer.weights.length * 3) / 4) - (layer.weights.endsWith('==') ? 2 : layer.weights.endsWith('=') ? 1 : 0);
      c.paramBytes = layer.bias.length * 9;
      c.requantizations = outputElements;
    }
    return c;
  });
}
