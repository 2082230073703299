/**
 * Post-training int8 quantization to the model artifact (docs/model-format.md), following
 * TensorFlow Lite's quantization specification
 * (https://www.tensorflow.org/lite/performance/quantization_spec):
 * - weights: int8 symmetric per output channel, zero point 0, q = round(w / s), s = max|w| / 127;
 * - bias: int32, q = round(b / (input_scale · weight_scale));
 * - activations: int8 asymmetric per tensor from a calibration range [lo, hi] that contains 0:
 *   scale = (hi − lo) / 255, zero_point = round(−128 − lo / scale);
 * - max-pool and reshape keep their input quantization; softmax outputs scale 1/256, zp −128.
 * Every scale is a float32 value, so TFLite derives the same multipliers from an exported file.
 */
import { withHash, type Artifact, type Layer, type QuantParams, type JsonObject } from '../model/artifact';
import { encodeInt8 } from '../model/weight-encoding';
import { floatSection } from '../model/float-section';
import { layerShapes, type ModelSpec } from './model-spec';
import type { LayerWeights } from './float-model';

const f = Math.fround;

export type RangeMethod = 'minmax' | 'percentile';

/** Calibration values of the model input and of every layer output (flattened over all windows). */
export interface CalibrationTrace {
  input: Float32Array;
  /** A fixed input range (the float model was trained on inputs clipped to it), instead of calibrating it. */
  inputRange?: [number, number];
  layers: Float32Array[];
}

export interface ArtifactFrame {
  name: string;
  kind: Artifact['kind'];
  labels: string[];
  window: Artifact['input']['window'];
  features: JsonObject;
  /** float32 values: n = (x − mean) · scale */
  normalization: { mean: number[]; scale: number[] };
}

/** Lowest and highest calibration value kept (a percentile range clips 0.1% at each end). */
export function calibrationRange(values: Float32Array, method: RangeMethod): [number, number] {
  if (values.length === 0) return [0, 0];
  let lo: number;
  let hi: number;
  if (method === 'minmax') {
    lo = Infinity; hi = -Infinity;
    for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  } else {
    const s = Float32Array.from(values).sort();
    lo = s[Math.floor(0.001 * (s.length - 1))];
    hi = s[Math.ceil(0.999 * (s.length - 1))];
  }
  return [Math.min(0, lo), Math.max(0, hi)];
}

/** Asymmetric int8 parameters for a range containing 0 (TFLite's ChooseQuantizationParams). */
export function activationQuant(lo: number, hi: number): QuantParams {
  let scale = f((hi - lo) / 255);
  if (!(scale > 2 ** -30)) scale = f(2 ** -30);
  const zp = Math.round(-128 - lo / scale);
  return { scale, zeroPoint: Math.max(-128, Math.min(127, zp)) };
}

/** Symmetric per-channel int8 weights. `channelOf(i)` gives the output channel of flat index i. */
function quantizeWeights(values: Float32Array, channels: number, channelOf: (i: number) => number): { q: Int8Array; scales: number[] } {
  const maxAbs = new Array<number>(channels).fill(0);
  values.forEach((v, i) => { const c = channelOf(i); maxAbs[c] = Math.max(maxAbs[c], Math.abs(v)); });
  const scales = maxAbs.map((m) => (m > 0 ? f(m / 127) : f(1 / 127)));
  const q = new Int8Array(values.length);
  values.forEach((v, i) => { q[i] = Math.max(-127, Math.min(127, Math.round(v / scales[channelOf(i)]))); });
  return { q, scales };
}

function quantizeBias(bias: Float32Array, inScale: number, weightScales: number[]): number[] {
  return Array.from(bias, (b, c) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(b / (inScale * weightScales[c])))));
}

/** Builds the int8 artifact of a float model from its calibration trace. */
export function quantizeModel(frame: ArtifactFrame, spec: ModelSpec, weights: Array<LayerWeights | null>, trace: CalibrationTrace, method: RangeMethod, extra: Partial<Pick<Artifact, 'metrics' | 'training'>> = {}): Artifact {
  const shapes = layerShapes(spec);
  const inRange = trace.inputRange ?? calibrationRange(trace.input, method);
  const inputQuant = activationQuant(inRange[0], inRange[1]);
  const layers: Layer[] = [];
  // The float kernels in the int8 layouts, for the artifact's float section (the simulator's float reference).
  const floats: ({ weights: Float32Array; bias: Float32Array } | null)[] = [];
  let inShape = spec.inputShape;
  let inQ = inputQuant;
  spec.layers.forEach((l, i) => {
    const outShape = shapes[i];
    const common = { name: `${l.type}_${i}`, inputShape: inShape, outputShape: outShape, input: inQ };
    let layer: Layer;
    if (l.type === 'dense' || l.type === 'conv1d') {
      const w = weights[i]!;
      const [lo, hi] = calibrationRange(trace.layers[i], method);
      const output = activationQuant(lo, hi);
      if (l.type === 'dense') {
        // tfjs [in][out] -> TFLite OI [out][in]
        const [nIn, nOut] = w.kernelShape;
        const oi = new Float32Array(nIn * nOut);
        for (let a = 0; a < nIn; a++) for (let o = 0; o < nOut; o++) oi[o * nIn + a] = w.kernel[a * nOut + o];
        const { q, scales } = quantizeWeights(oi, nOut, (k) => Math.floor(k / nIn));
        floats[i] = { weights: oi, bias: w.bias };
        layer = { op: 'fully_connected', ...common, output, units: l.units, activation: l.activation, weights: encodeInt8(q), weightScales: scales, bias: quantizeBias(w.bias, inQ.scale, scales) };
      } else {
        // tfjs [1][k][in][out] -> OHWI [out][k][in]
        const [, k, nIn, nOut] = w.kernelShape;
        const ohwi = new Float32Array(k * nIn * nOut);
        for (let kk = 0; kk < k; kk++) for (let c = 0; c < nIn; c++) for (let o = 0; o < nOut; o++) ohwi[(o * k + kk) * nIn + c] = w.kernel[(kk * nIn + c) * nOut + o];
        const { q, scales } = quantizeWeights(ohwi, nOut, (idx) => Math.floor(idx / (k * nIn)));
        floats[i] = { weights: ohwi, bias: w.bias };
        layer = {
          op: 'conv1d', ...common, output, filters: l.filters, kernelSize: l.kernel, stride: 1, dilation: 1, padding: 'valid',
          activation: l.activation, weights: encodeInt8(q), weightScales: scales, bias: quantizeBias(w.bias, inQ.scale, scales),
        };
      }
    } else if (l.type === 'maxpool1d') {
      layer = { op: 'max_pool1d', ...common, output: inQ, poolSize: l.pool, stride: l.pool, padding: 'valid', activation: 'none' };
    } else if (l.type === 'flatten') {
      layer = { op: 'reshape', ...common, output: inQ };
    } else {
      layer = { op: 'softmax', ...common, output: { scale: 1 / 256, zeroPoint: -128 }, beta: 1 };
    }
    layers.push(layer);
    floats[i] ??= null;
    inShape = outShape;
    inQ = layer.output;
  });
  const last = layers[layers.length - 1];
  return withHash({
    format: 'tinyml-model', version: 1, name: frame.name, kind: frame.kind, labels: frame.labels,
    input: { window: frame.window, features: frame.features, normalization: frame.normalization, shape: spec.inputShape, quantization: inputQuant },
    output: { shape: last.outputShape, quantization: last.output },
    layers,
    float: floatSection(floats),
    ...extra,
  });
}
