/**
 * A model ready to run: weights decoded and every integer parameter TFLite computes at Prepare
 * time (per-channel multipliers and shifts, activation clamps, softmax scaling) computed once.
 * The C generator emits these same numbers, so the TypeScript and C kernels share one source.
 */
import { Artifact, Layer, layerWeights, elements } from '../model/artifact';
import { paddingBefore } from '../model/layer-geometry';
import { activationRange, channelMultiplier, softmaxParams, SoftmaxParams } from '../quant/quantize-multiplier';

export interface PreparedWeighted {
  weights: Int8Array;
  bias: Int32Array;
  /** Per output channel (per-tensor scales are expanded). */
  multipliers: Int32Array;
  shifts: Int32Array;
  inputOffset: number;
  outputOffset: number;
  actMin: number;
  actMax: number;
}

export interface PreparedLayer {
  layer: Layer;
  /** Set for fully_connected, conv1d, depthwise_conv1d. */
  weighted?: PreparedWeighted;
  /** Set for conv, depthwise and pooling: padding before the first element. */
  padBefore: number;
  /** Activation clamp for pooling layers. */
  actMin: number;
  actMax: number;
  softmax?: SoftmaxParams;
  inputSize: number;
  outputSize: number;
}

export interface PreparedModel {
  artifact: Artifact;
  layers: PreparedLayer[];
}

function prepareLayer(layer: Layer): PreparedLayer {
  const base: PreparedLayer = {
    layer, padBefore: 0, actMin: -128, actMax: 127,
    inputSize: elements(layer.inputShape), outputSize: elements(layer.outputShape),
  };
  switch (layer.op) {
    case 'fully_connected':
    case 'conv1d':
    case 'depthwise_conv1d': {
      const channels = layer.bias.length;
      const multipliers = new Int32Array(channels);
      const shifts = new Int32Array(channels);
      for (let c = 0; c < channels; c++) {
        const q = channelMultiplier(layer.input.scale, layer.weightScales[layer.weightScales.length === 1 ? 0 : c], layer.output.scale);
        multipliers[c] = q.multiplier;
        shifts[c] = q.shift;
      }
      const act = activationRange(layer.activation, layer.output);
      base.weighted = {
        weights: layerWeights(layer), bias: Int32Array.from(layer.bias), multipliers, shifts,
        inputOffset: -layer.input.zeroPoint, outputOffset: layer.output.zeroPoint, actMin: act.min, actMax: act.max,
      };
      if (layer.op !== 'fully_connected') {
        base.padBefore = paddingBefore(layer.padding, layer.inputShape[0], layer.kernelSize, layer.stride, layer.dilation);
      }
      return base;
    }
    case 'max_pool1d':
    case 'avg_pool1d': {
      const act = activationRange(layer.activation, layer.output);
      base.actMin = act.min;
      base.actMax = act.max;
      base.padBefore = paddingBefore(layer.padding, layer.inputShape[0], layer.poolSize, layer.stride);
      return base;
    }
    case 'softmax':
      base.softmax = softmaxParams(layer.beta, layer.input.scale);
      return base;
    case 'reshape':
      return base;
  }
}

const cache = new WeakMap<Artifact, PreparedModel>();

/** Prepares (once per artifact object) a validated artifact. */
export function prepareModel(artifact: Artifact): PreparedModel {
  let p = cache.get(artifact);
  if (!p) {
    p = { artifact, layers: artifact.layers.map(prepareLayer) };
    cache.set(artifact, p);
  }
  return p;
}
