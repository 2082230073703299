/**
 * Two fixed example models (seeded weights, realistic scales) used by the export, simulation and
 * calibration tests and the benchmarks: a dense classifier shaped like Edge Impulse's
 * continuous-gestures network (33 -> 20 -> 10 -> 4, softmax) and a 1-D CNN that uses every op.
 */
import { Activation, Artifact, Layer, QuantParams, withHash } from '../../src/model/artifact';
import { encodeInt8 } from '../../src/model/weight-encoding';
import { outputLength, Padding } from '../../src/model/layer-geometry';
import { mulberry32 } from '../../src/random/mulberry32';

type Spec =
  | { op: 'fc'; units: number; activation: Activation; perChannel: boolean }
  | { op: 'conv'; filters: number; kernel: number; stride: number; padding: Padding; activation: Activation }
  | { op: 'dw'; kernel: number; multiplier: number; padding: Padding; activation: Activation }
  | { op: 'maxpool' | 'avgpool'; size: number; stride: number; padding: Padding }
  | { op: 'flatten' }
  | { op: 'softmax' };

export function buildModel(name: string, seed: number, inputShape: number[], specs: Spec[], labels: string[]): Artifact {
  const r = mulberry32(seed);
  const f = Math.fround;
  const q = (): QuantParams => ({ scale: f(0.02 + r() * 0.05), zeroPoint: Math.floor(r() * 40) - 20 });
  const weights = (n: number): Int8Array => Int8Array.from({ length: n }, () => Math.round((r() * 2 - 1) * 100));
  const scales = (n: number, fanIn: number): number[] => Array.from({ length: n }, () => f((0.8 + r() * 0.4) / (40 * Math.sqrt(fanIn))));
  const bias = (n: number): number[] => Array.from({ length: n }, () => Math.round((r() * 2 - 1) * 300));
  let shape = inputShape.slice();
  let quant = q();
  const inQuant = quant;
  const layers: Layer[] = [];
  for (const s of specs) {
    const input = quant;
    const inputShapeNow = shape;
    const inSize = shape.reduce((a, b) => a * b, 1);
    if (s.op === 'fc') {
      const out = q();
      layers.push({
        op: 'fully_connected', inputShape: inputShapeNow, outputShape: [s.units], input, output: out, units: s.units, activation: s.activation,
        weights: encodeInt8(weights(s.units * inSize)), weightScales: s.perChannel ? scales(s.units, inSize) : scales(1, inSize), bias: bias(s.units),
      });
      shape = [s.units];
      quant = out;
    } else if (s.op === 'conv') {
      const [len, ch] = shape;
      const outLen = outputLength(s.padding, len, s.kernel, s.stride);
      const out = q();
      layers.push({
        op: 'conv1d', inputShape: inputShapeNow, outputShape: [outLen, s.filters], input, output: out, filters: s.filters, kernelSize: s.kernel,
        stride: s.stride, dilation: 1, padding: s.padding, activation: s.activation,
        weights: encodeInt8(weights(s.filters * s.kernel * ch)), weightScales: scales(s.filters, s.kernel * ch), bias: bias(s.filters),
      });
      shape = [outLen, s.filters];
      quant = out;
    } else if (s.op === 'dw') {
      const [len, ch] = shape;
      const outLen = outputLength(s.padding, len, s.kernel, 1);
      const outCh = ch * s.multiplier;
      const out = q();
      layers.push({
        op: 'depthwise_conv1d', inputShape: inputShapeNow, outputShape: [outLen, outCh], input, output: out, depthMultiplier: s.multiplier,
        kernelSize: s.kernel, stride: 1, dilation: 1, padding: s.padding, activation: s.activation,
        weights: encodeInt8(weights(s.kernel * outCh)), weightScales: scales(outCh, s.kernel), bias: bias(outCh),
      });
      shape = [outLen, outCh];
      quant = out;
    } else if (s.op === 'maxpool' || s.op === 'avgpool') {
      const [len, ch] = shape;
      const outLen = outputLength(s.padding, len, s.size, s.stride);
      layers.push({
        op: s.op === 'maxpool' ? 'max_pool1d' : 'avg_pool1d', inputShape: inputShapeNow, outputShape: [outLen, ch], input, output: input,
        poolSize: s.size, stride: s.stride, padding: s.padding, activation: 'none',
      });
      shape = [outLen, ch];
    } else if (s.op === 'flatten') {
      layers.push({ op: 'reshape', inputShape: inputShapeNow, outputShape: [inSize], input, output: input });
      shape = [inSize];
    } else {
      const out = { scale: 1 / 256, zeroPoint: -128 };
      layers.push({ op: 'softmax', inputShape: inputShapeNow, outputShape: shape, input, output: out, beta: 1 });
      quant = out;
    }
  }
  const inSize = inputShape.reduce((a, b) => a * b, 1);
  return withHash({
    format: 'tinyml-model', version: 1, name, kind: 'classifier', labels,
    input: {
      window: { length: inputShape.length === 2 ? inputShape[0] : 1, axes: inputShape.length === 2 ? Array.from({ length: inputShape[1] }, (_, i) => `a${i}`) : ['x'], rateHz: 50 },
      features: { kind: 'raw' },
      normalization: { mean: Array.from({ length: inSize }, () => 0), scale: Array.from({ length: inSize }, () => 1) },
      shape: inputShape, quantization: inQuant,
    },
    output: { shape, quantization: quant },
    layers,
  });
}

/** 33 features -> 20 -> 10 -> 4 classes (the shape of Edge Impulse's continuous-gestures network). */
export function denseModel(seed = 7): Artifact {
  return buildModel('dense_33_20_10_4', seed, [33], [
    { op: 'fc', units: 20, activation: 'relu', perChannel: true },
    { op: 'fc', units: 10, activation: 'relu', perChannel: true },
    { op: 'fc', units: 4, activation: 'none', perChannel: false },
    { op: 'softmax' },
  ], ['idle', 'punch', 'wave', 'circle']);
}

/** A 1-D CNN over a 50 x 3 window using every op the runtime has. */
export function cnnModel(seed = 11): Artifact {
  return buildModel('cnn_50x3', seed, [50, 3], [
    { op: 'conv', filters: 8, kernel: 5, stride: 1, padding: 'same', activation: 'relu' },
    { op: 'dw', kernel: 3, multiplier: 1, padding: 'valid', activation: 'relu6' },
    { op: 'maxpool', size: 2, stride: 2, padding: 'valid' },
    { op: 'avgpool', size: 2, stride: 2, padding: 'same' },
    { op: 'flatten' },
    { op: 'fc', units: 16, activation: 'relu', perChannel: false },
    { op: 'fc', units: 4, activation: 'none', perChannel: true },
    { op: 'softmax' },
  ], ['idle', 'punch', 'wave', 'circle']);
}
