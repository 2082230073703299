/**
 * A model ready to run: weights decoded and every integer parameter TFLite computes at Prepare
 * time (per-channel multipliers and shifts, activation clamps, softmax scaling) computed once.
 * The C generator emits these same numbers, so the TypeScript and C kernels share one source.
 */
import { Artifact, Layer, layerWeights, elements } from '../model/artifact';
import { paddingBefore } from '../model/layer-geometry';
import { softmaxExpTable } from './ops/softmax';
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
  /**
   * bias + input_offset x (sum of the channel's weights): the input offset folded into the bias, so
   * the inner loops are w*x only (exact: every sum stays an integer below 2^53; wrapped to int32 once, as before).
   */
  foldedBias: Float64Array;
  /** Conv and depthwise: input_offset x (sum of the weights of tap k of channel oc), at [oc * kernel + k], taken back for a padded tap. */
  tapOffsets: Float64Array;
  /** Depthwise only: the weights transposed to [outCh][kernel], so one output's taps are contiguous. */
  channelWeights?: Int8Array;
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
  /** Softmax: the fixed-point exp of every int8 difference (ops/softmax.ts), computed once. */
  softmaxExp?: Int32Array;
  inputSize: number;
  outputSize: number;
  /** This layer's output buffer, reused by every inference (prepared once per artifact). */
  out: Int8Array;
}

export interface PreparedModel {
  artifact: Artifact;
  layers: PreparedLayer[];
}

function prepareLayer(layer: Layer): PreparedLayer {
  const base: PreparedLayer = {
    layer, padBefore: 0, actMin: -128, actMax: 127,
    inputSize: elements(layer.inputShape), outputSize: elements(layer.outputShape), out: new Int8Array(elements(layer.outputShape)),
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
      const weights = layerWeights(layer);
      const inputOffset = -layer.input.zeroPoint;
      const { foldedBias, tapOffsets } = foldOffsets(layer, weights, inputOffset);
      base.weighted = {
        weights, bias: Int32Array.from(layer.bias), multipliers, shifts,
        inputOffset, outputOffset: layer.output.zeroPoint, actMin: act.min, actMax: act.max, foldedBias, tapOffsets,
      };
      if (layer.op === 'depthwise_conv1d') {
        const k = layer.kernelSize;
        const t = new Int8Array(weights.length);
        for (let tap = 0; tap < k; tap++) for (let oc = 0; oc < channels; oc++) t[oc * k + tap] = weights[tap * channels + oc];
        base.weighted.channelWeights = t;
      }
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
      base.softmaxExp = softmaxExpTable(base.softmax);
      return base;
    case 'reshape':
      return base;
  }
}

/** Weight layouts: FC [units][in], conv [filters][kernel][inCh], depthwise [kernel][outCh]. */
function foldOffsets(layer: Layer, w: Int8Array, inputOffset: number): { foldedBias: Float64Array; tapOffsets: Float64Array } {
  if (layer.op !== 'fully_connected' && layer.op !== 'conv1d' && layer.op !== 'depthwise_conv1d') throw new Error(`no weights in ${layer.op}`);
  const channels = layer.bias.length;
  const foldedBias = Float64Array.from(layer.bias);
  if (layer.op === 'fully_connected') {
    const n = w.length / channels;
    for (let o = 0; o < channels; o++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += w[o * n + i];
      foldedBias[o] += inputOffset * sum;
    }
    return { foldedBias, tapOffsets: new Float64Array(0) };
  }
  const k = layer.kernelSize;
  const tapOffsets = new Float64Array(channels * k);
  const inCh = layer.op === 'conv1d' ? layer.inputShape[1] : 1;
  for (let oc = 0; oc < channels; oc++) {
    for (let t = 0; t < k; t++) {
      let sum = 0;
      if (layer.op === 'conv1d') for (let ic = 0; ic < inCh; ic++) sum += w[(oc * k + t) * inCh + ic];
      else sum = w[t * channels + oc];
      tapOffsets[oc * k + t] = inputOffset * sum;
      foldedBias[oc] += inputOffset * sum;
    }
  }
  return { foldedBias, tapOffsets };
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
