/**
 * The float reference: the trained float32 weights of the artifact's `float` section
 * (src/model/float-section.ts) run layer by layer in double precision on the normalized features,
 * with the same layer geometry as the int8 model (TFLite semantics: 'same' padding adds zeros,
 * average pooling divides by the in-bounds count). Compared with the int8 result it shows the
 * quantization error.
 */
import { Artifact, Layer } from '../model/artifact';
import { decodeFloat32 } from '../model/float-section';
import { paddingBefore } from '../model/layer-geometry';

export interface FloatReferenceLayer {
  layer: Layer;
  weights?: Float32Array;
  bias?: Float32Array;
}

const prepared = new WeakMap<Artifact, FloatReferenceLayer[]>();

/** Decodes the float section once per artifact; undefined when the artifact has none. */
export function floatReferenceModel(artifact: Artifact): FloatReferenceLayer[] | undefined {
  if (!artifact.float) return undefined;
  let p = prepared.get(artifact);
  if (!p) {
    const section = artifact.float;
    p = artifact.layers.map((layer, i) => {
      const f = section.layers[i];
      return f ? { layer, weights: decodeFloat32(f.weights), bias: decodeFloat32(f.bias) } : { layer };
    });
    prepared.set(artifact, p);
  }
  return p;
}

function activate(v: number, activation: 'none' | 'relu' | 'relu6'): number {
  if (activation === 'none') return v;
  if (v < 0) return 0;
  return activation === 'relu6' && v > 6 ? 6 : v;
}

function runFloatLayer(l: FloatReferenceLayer, x: Float64Array): Float64Array {
  const { layer } = l;
  switch (layer.op) {
    case 'fully_connected': {
      const w = l.weights!;
      const n = x.length;
      const out = new Float64Array(layer.units);
      for (let o = 0; o < layer.units; o++) {
        let acc = l.bias![o];
        for (let i = 0; i < n; i++) acc += w[o * n + i] * x[i];
        out[o] = activate(acc, layer.activation);
      }
      return out;
    }
    case 'conv1d':
    case 'depthwise_conv1d': {
      const [inLen, inCh] = layer.inputShape;
      const [outLen, outCh] = layer.outputShape;
      const { kernelSize: k, stride, dilation } = layer;
      const pad = paddingBefore(layer.padding, inLen, k, stride, dilation);
      const w = l.weights!;
      const out = new Float64Array(outLen * outCh);
      for (let ox = 0; ox < outLen; ox++) {
        for (let oc = 0; oc < outCh; oc++) {
          let acc = l.bias![oc];
          for (let t = 0; t < k; t++) {
            const ix = ox * stride - pad + t * dilation;
            if (ix < 0 || ix >= inLen) continue; // zero padding
            if (layer.op === 'conv1d') {
              for (let ic = 0; ic < inCh; ic++) acc += w[(oc * k + t) * inCh + ic] * x[ix * inCh + ic];
            } else {
              acc += w[t * outCh + oc] * x[ix * inCh + Math.floor(oc / layer.depthMultiplier)];
            }
          }
          out[ox * outCh + oc] = activate(acc, layer.activation);
        }
      }
      return out;
    }
    case 'max_pool1d':
    case 'avg_pool1d': {
      const [inLen, ch] = layer.inputShape;
      const outLen = layer.outputShape[0];
      const pad = paddingBefore(layer.padding, inLen, layer.poolSize, layer.stride);
      const out = new Float64Array(outLen * ch);
      for (let ox = 0; ox < outLen; ox++) {
        for (let c = 0; c < ch; c++) {
          let acc = layer.op === 'max_pool1d' ? -Infinity : 0;
          let count = 0;
          for (let t = 0; t < layer.poolSize; t++) {
            const ix = ox * layer.stride - pad + t;
            if (ix < 0 || ix >= inLen) continue;
            const v = x[ix * ch + c];
            acc = layer.op === 'max_pool1d' ? Math.max(acc, v) : acc + v;
            count++;
          }
          out[ox * ch + c] = activate(layer.op === 'max_pool1d' ? acc : acc / count, layer.activation);
        }
      }
      return out;
    }
    case 'softmax': {
      const depth = layer.inputShape[layer.inputShape.length - 1];
      const out = new Float64Array(x.length);
      for (let r = 0; r < x.length / depth; r++) {
        let max = -Infinity;
        for (let c = 0; c < depth; c++) max = Math.max(max, x[r * depth + c]);
        let sum = 0;
        for (let c = 0; c < depth; c++) sum += (out[r * depth + c] = Math.exp(layer.beta * (x[r * depth + c] - max)));
        for (let c = 0; c < depth; c++) out[r * depth + c] /= sum;
      }
      return out;
    }
    case 'reshape':
      return x;
  }
}

/** Runs the float reference on normalized features; undefined when the artifact has no float section. */
export function runFloatReference(artifact: Artifact, normalized: ArrayLike<number>): Float64Array | undefined {
  const layers = floatReferenceModel(artifact);
  if (!layers) return undefined;
  let x: Float64Array = Float64Array.from(normalized);
  for (const l of layers) x = runFloatLayer(l, x);
  return x;
}
