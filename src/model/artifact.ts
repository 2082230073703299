/**
 * The model artifact: one versioned, self-describing JSON file that the simulated MCU, the C
 * generator and the .tflite writer all read. `validateArtifact` accepts only files whose every
 * field is in range and whose shapes agree with their weights; any other input (corrupt,
 * truncated, hostile) gives an ArtifactError naming the path of the first problem.
 *
 * Quantization follows TensorFlow Lite's int8 specification
 * (https://www.tensorflow.org/lite/performance/quantization_spec): weights symmetric int8
 * (zero point 0, -127..127) per output channel (or one scale per tensor), activations asymmetric
 * int8 per tensor, bias int32 at scale input_scale * weight_scale.
 */
import { decodeInt8 } from './weight-encoding';
import { decodeFloat32, FloatSection } from './float-section';
import { computeModelHash } from './model-hash';
import { outputLength, Padding } from './layer-geometry';

export const ARTIFACT_FORMAT = 'tinyml-model';
export const ARTIFACT_VERSION = 1;

/** Hard limits: a hostile file can neither exhaust memory nor make the interpreter loop for long. */
export const LIMITS = {
  maxLayers: 64,
  maxDimension: 65_536,
  maxTensorElements: 1 << 20,
  maxLayerWeights: 1 << 22,
  maxTotalWeights: 1 << 24,
  maxKernel: 1024,
  maxStride: 1024,
  maxDilation: 1024,
  maxDepthMultiplier: 64,
  maxSoftmaxDepth: 2048,
  maxLabels: 1024,
  maxStringLength: 256,
  maxOpaqueDepth: 16,
  maxOpaqueNodes: 100_000,
  minScale: 2 ** -40,
  maxScale: 2 ** 40,
  /** Largest effective requantization scale (input * weight / output) accepted. */
  maxEffectiveScale: 2 ** 15,
} as const;

export type Activation = 'none' | 'relu' | 'relu6';

export interface QuantParams {
  /** Real value = scale * (q - zeroPoint). float32-representable, > 0. */
  scale: number;
  /** -128..127. */
  zeroPoint: number;
}

interface LayerCommon {
  name?: string;
  /** Shape without the batch dimension: [length, channels] for 1-D layers, any for others. */
  inputShape: number[];
  outputShape: number[];
  input: QuantParams;
  output: QuantParams;
}

export interface FullyConnectedLayer extends LayerCommon {
  op: 'fully_connected';
  units: number;
  activation: Activation;
  /** base64 int8, row-major [units][inputSize] (TFLite's OI layout). */
  weights: string;
  /** One per unit (per-channel) or a single per-tensor scale. */
  weightScales: number[];
  /** int32, one per unit, at scale input.scale * weightScale. */
  bias: number[];
}

export interface Conv1dLayer extends LayerCommon {
  op: 'conv1d';
  filters: number;
  kernelSize: number;
  stride: number;
  dilation: number;
  padding: Padding;
  activation: Activation;
  /** base64 int8, [filters][kernelSize][inChannels] (TFLite CONV_2D OHWI with H = 1). */
  weights: string;
  weightScales: number[];
  bias: number[];
}

export interface DepthwiseConv1dLayer extends LayerCommon {
  op: 'depthwise_conv1d';
  depthMultiplier: number;
  kernelSize: number;
  stride: number;
  dilation: number;
  padding: Padding;
  activation: Activation;
  /** base64 int8, [kernelSize][inChannels * depthMultiplier] (TFLite 1HWO with H = 1). */
  weights: string;
  weightScales: number[];
  bias: number[];
}

export interface Pool1dLayer extends LayerCommon {
  op: 'max_pool1d' | 'avg_pool1d';
  poolSize: number;
  stride: number;
  padding: Padding;
  activation: Activation;
}

export interface ReshapeLayer extends LayerCommon {
  op: 'reshape';
}

export interface SoftmaxLayer extends LayerCommon {
  op: 'softmax';
  /** TFLite SoftmaxOptions.beta; 1 for a plain softmax. */
  beta: number;
}

export type Layer = FullyConnectedLayer | Conv1dLayer | DepthwiseConv1dLayer | Pool1dLayer | ReshapeLayer | SoftmaxLayer;
export type LayerOp = Layer['op'];
export type WeightedLayer = FullyConnectedLayer | Conv1dLayer | DepthwiseConv1dLayer;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface ClassMetrics {
  accuracy: number;
  /** confusion[actual][predicted], counts. */
  confusion: number[][];
  [key: string]: JsonValue;
}

export interface BoardCost {
  latencyMs?: number;
  ramBytes?: number;
  flashBytes?: number;
  fits?: boolean;
  [key: string]: JsonValue | undefined;
}

export interface Artifact {
  format: typeof ARTIFACT_FORMAT;
  version: typeof ARTIFACT_VERSION;
  name: string;
  kind: 'classifier' | 'anomaly';
  labels: string[];
  input: {
    window: { length: number; axes: string[]; rateHz: number };
    /** Feature configuration, owned by the DSP code; opaque here. */
    features: JsonObject;
    /** normalized[i] = (feature[i] - mean[i]) * scale[i], in float32. */
    normalization: { mean: number[]; scale: number[] };
    shape: number[];
    quantization: QuantParams;
  };
  output: { shape: number[]; quantization: QuantParams };
  layers: Layer[];
  metrics?: { float?: ClassMetrics; int8?: ClassMetrics; [key: string]: JsonValue | ClassMetrics | undefined };
  cost?: { [board: string]: BoardCost };
  training?: JsonObject;
  /** Optional float32 weights for a float reference (src/model/float-section.ts); not hashed. */
  float?: FloatSection;
  /** SHA-256 (hex) of the canonical artifact without hash, metrics, cost, training and float. */
  hash: string;
}

export class ArtifactError extends Error {
  constructor(public readonly path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.name = 'ArtifactError';
  }
}

// ---------------------------------------------------------------------------------------------
// Small typed readers: each names the path of what it rejects.

type Obj = Record<string, unknown>;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length > 40 ? 'a string' : `"${v}"`;
  if (typeof v === 'number') return String(v);
  return typeof v === 'object' ? 'an object' : typeof v;
}

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ArtifactError(path, `expected an object, got ${describe(v)}`);
  return v as Obj;
}

function field(o: Obj, key: string, path: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(o, key)) throw new ArtifactError(`${path}${path ? '.' : ''}${key}`, 'missing');
  return o[key];
}

function str(v: unknown, path: string, maxLength: number = LIMITS.maxStringLength): string {
  if (typeof v !== 'string') throw new ArtifactError(path, `expected a string, got ${describe(v)}`);
  if (v.length > maxLength) throw new ArtifactError(path, `longer than ${maxLength} characters`);
  return v;
}

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ArtifactError(path, `expected an integer, got ${describe(v)}`);
  if (v < min || v > max) throw new ArtifactError(path, `${v} is outside ${min}..${max}`);
  return v;
}

function finite(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArtifactError(path, `expected a finite number, got ${describe(v)}`);
  return v;
}

function arr(v: unknown, path: string, maxLength: number): unknown[] {
  if (!Array.isArray(v)) throw new ArtifactError(path, `expected an array, got ${describe(v)}`);
  if (v.length > maxLength) throw new ArtifactError(path, `more than ${maxLength} entries`);
  return v;
}

function oneOf<T extends string>(v: unknown, path: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ArtifactError(path, `expected one of ${allowed.join(', ')}, got ${describe(v)}`);
  }
  return v as T;
}

/** A scale TFLite can store: float32-representable, finite, within the accepted range. */
function scale(v: unknown, path: string): number {
  const s = finite(v, path);
  if (!(s > 0)) throw new ArtifactError(path, `scale must be > 0, got ${s}`);
  if (s < LIMITS.minScale || s > LIMITS.maxScale) throw new ArtifactError(path, `scale ${s} is outside 2^-40..2^40`);
  if (Math.fround(s) !== s) throw new ArtifactError(path, `scale ${s} is not a float32 value (apply Math.fround)`);
  return s;
}

function quant(v: unknown, path: string): QuantParams {
  const o = obj(v, path);
  return { scale: scale(field(o, 'scale', path), `${path}.scale`), zeroPoint: int(field(o, 'zeroPoint', path), `${path}.zeroPoint`, -128, 127) };
}

function shape(v: unknown, path: string): number[] {
  const a = arr(v, path, 4);
  if (a.length === 0) throw new ArtifactError(path, 'expected at least one dimension');
  const dims = a.map((d, i) => int(d, `${path}[${i}]`, 1, LIMITS.maxDimension));
  if (elements(dims) > LIMITS.maxTensorElements) throw new ArtifactError(path, `more than ${LIMITS.maxTensorElements} elements`);
  return dims;
}

export function elements(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function fmtShape(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}

function opaque(v: unknown, path: string): JsonObject {
  const root = obj(v, path);
  let nodes = 0;
  const walk = (x: unknown, p: string, depth: number): void => {
    if (++nodes > LIMITS.maxOpaqueNodes) throw new ArtifactError(path, `more than ${LIMITS.maxOpaqueNodes} values`);
    if (depth > LIMITS.maxOpaqueDepth) throw new ArtifactError(p, `nested deeper than ${LIMITS.maxOpaqueDepth}`);
    if (x === null || typeof x === 'boolean' || typeof x === 'string') return;
    if (typeof x === 'number') { finite(x, p); return; }
    if (Array.isArray(x)) { x.forEach((e, i) => walk(e, `${p}[${i}]`, depth + 1)); return; }
    if (typeof x === 'object') { for (const k of Object.keys(x)) walk((x as Obj)[k], `${p}.${k}`, depth + 1); return; }
    throw new ArtifactError(p, `unsupported value ${describe(x)}`);
  };
  walk(root, path, 0);
  return root as JsonObject;
}

const ACTIVATIONS: readonly Activation[] = ['none', 'relu', 'relu6'];
const PADDINGS: readonly Padding[] = ['same', 'valid'];
const OPS: readonly LayerOp[] = ['fully_connected', 'conv1d', 'depthwise_conv1d', 'max_pool1d', 'avg_pool1d', 'reshape', 'softmax'];

function weightsOf(o: Obj, path: string, expected: number): string {
  const text = str(field(o, 'weights', path), `${path}.weights`, Math.ceil(LIMITS.maxLayerWeights / 3) * 4 + 4);
  const bytes = decodeInt8(text);
  if (!bytes) throw new ArtifactError(`${path}.weights`, 'not valid base64');
  if (bytes.length !== expected) throw new ArtifactError(`${path}.weights`, `expected ${expected} values, got ${bytes.length}`);
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === -128) throw new ArtifactError(`${path}.weights[${i}]`, 'int8 weights are symmetric: -128 is not allowed (range -127..127)');
  }
  return text;
}

function weightScalesOf(o: Obj, path: string, channels: number, allowPerTensor: boolean): number[] {
  const a = arr(field(o, 'weightScales', path), `${path}.weightScales`, channels);
  if (a.length !== channels && !(allowPerTensor && a.length === 1)) {
    throw new ArtifactError(`${path}.weightScales`, `expected ${channels}${allowPerTensor ? ' or 1' : ''} values, got ${a.length}`);
  }
  return a.map((s, i) => scale(s, `${path}.weightScales[${i}]`));
}

function biasOf(o: Obj, path: string, channels: number): number[] {
  const a = arr(field(o, 'bias', path), `${path}.bias`, channels);
  if (a.length !== channels) throw new ArtifactError(`${path}.bias`, `expected ${channels} values, got ${a.length}`);
  return a.map((b, i) => int(b, `${path}.bias[${i}]`, -(2 ** 31), 2 ** 31 - 1));
}

function checkEffectiveScales(path: string, input: QuantParams, output: QuantParams, weightScales: number[]): void {
  weightScales.forEach((w, i) => {
    const eff = (input.scale * w) / output.scale;
    if (!(eff < LIMITS.maxEffectiveScale)) {
      throw new ArtifactError(`${path}.weightScales[${i}]`, `input scale * weight scale / output scale = ${eff} is too large (max 2^15)`);
    }
  });
}

/**
 * The weights, per-channel weight scales and bias of a layer with `count` weights over `channels`
 * output channels: size limit (reported at `${path}.${limitField}`), then each part, then the effective scales.
 */
function weightedParts(o: Obj, path: string, common: LayerCommon, count: number, channels: number, limitField: string): { weights: string; weightScales: number[]; bias: number[] } {
  if (count > LIMITS.maxLayerWeights) throw new ArtifactError(`${path}.${limitField}`, `more than ${LIMITS.maxLayerWeights} weights`);
  const parts = { weights: weightsOf(o, path, count), weightScales: weightScalesOf(o, path, channels, true), bias: biasOf(o, path, channels) };
  checkEffectiveScales(path, common.input, common.output, parts.weightScales);
  return parts;
}

function expectShape(path: string, got: number[], want: number[]): void {
  if (!sameShape(got, want)) throw new ArtifactError(`${path}.outputShape`, `expected ${fmtShape(want)}, got ${fmtShape(got)}`);
}

function needLengthChannels(path: string, s: number[]): [number, number] {
  if (s.length !== 2) throw new ArtifactError(`${path}.inputShape`, `expected [length, channels], got ${fmtShape(s)}`);
  return [s[0], s[1]];
}

function validateLayer(v: unknown, path: string): Layer {
  const o = obj(v, path);
  const op = oneOf(field(o, 'op', path), `${path}.op`, OPS);
  const common: LayerCommon = {
    inputShape: shape(field(o, 'inputShape', path), `${path}.inputShape`),
    outputShape: shape(field(o, 'outputShape', path), `${path}.outputShape`),
    input: quant(field(o, 'input', path), `${path}.input`),
    output: quant(field(o, 'output', path), `${path}.output`),
  };
  if (o.name !== undefined) common.name = str(o.name, `${path}.name`);
  const g = (k: string): unknown => field(o, k, path);
  const p = (k: string): string => `${path}.${k}`;
  switch (op) {
    case 'fully_connected': {
      const inSize = elements(common.inputShape);
      const units = int(g('units'), p('units'), 1, LIMITS.maxDimension);
      expectShape(path, common.outputShape, [units]);
      const activation = oneOf(g('activation'), p('activation'), ACTIVATIONS);
      const layer: FullyConnectedLayer = { op, ...common, units, activation, ...weightedParts(o, path, common, inSize * units, units, 'units') };
      return layer;
    }
    case 'conv1d':
    case 'depthwise_conv1d': {
      const [len, ch] = needLengthChannels(path, common.inputShape);
      const kernelSize = int(g('kernelSize'), p('kernelSize'), 1, LIMITS.maxKernel);
      const stride = int(g('stride'), p('stride'), 1, LIMITS.maxStride);
      const dilation = int(g('dilation'), p('dilation'), 1, LIMITS.maxDilation);
      const padding = oneOf(g('padding'), p('padding'), PADDINGS);
      const activation = oneOf(g('activation'), p('activation'), ACTIVATIONS);
      const outLen = outputLength(padding, len, kernelSize, stride, dilation);
      if (outLen < 1) throw new ArtifactError(p('kernelSize'), `kernel ${kernelSize} (dilation ${dilation}) is longer than the input (${len}) with valid padding`);
      if (op === 'conv1d') {
        const filters = int(g('filters'), p('filters'), 1, LIMITS.maxDimension);
        expectShape(path, common.outputShape, [outLen, filters]);
        const layer: Conv1dLayer = {
          op, ...common, filters, kernelSize, stride, dilation, padding, activation, ...weightedParts(o, path, common, filters * kernelSize * ch, filters, 'filters'),
        };
        return layer;
      }
      const depthMultiplier = int(g('depthMultiplier'), p('depthMultiplier'), 1, LIMITS.maxDepthMultiplier);
      const outCh = ch * depthMultiplier;
      expectShape(path, common.outputShape, [outLen, outCh]);
      const layer: DepthwiseConv1dLayer = {
        op, ...common, depthMultiplier, kernelSize, stride, dilation, padding, activation, ...weightedParts(o, path, common, kernelSize * outCh, outCh, 'kernelSize'),
      };
      return layer;
    }
    case 'max_pool1d':
    case 'avg_pool1d': {
      const [len, ch] = needLengthChannels(path, common.inputShape);
      const poolSize = int(g('poolSize'), p('poolSize'), 1, LIMITS.maxKernel);
      const stride = int(g('stride'), p('stride'), 1, LIMITS.maxStride);
      const padding = oneOf(g('padding'), p('padding'), PADDINGS);
      const outLen = outputLength(padding, len, poolSize, stride);
      if (outLen < 1) throw new ArtifactError(p('poolSize'), `pool ${poolSize} is longer than the input (${len}) with valid padding`);
      expectShape(path, common.outputShape, [outLen, ch]);
      sameQuant(path, common);
      return { op, ...common, poolSize, stride, padding, activation: oneOf(g('activation'), p('activation'), ACTIVATIONS) };
    }
    case 'reshape': {
      if (elements(common.inputShape) !== elements(common.outputShape)) {
        throw new ArtifactError(p('outputShape'), `${fmtShape(common.outputShape)} does not hold the ${elements(common.inputShape)} elements of ${fmtShape(common.inputShape)}`);
      }
      sameQuant(path, common);
      return { op, ...common };
    }
    case 'softmax': {
      expectShape(path, common.outputShape, common.inputShape);
      const depth = common.inputShape[common.inputShape.length - 1];
      if (depth > LIMITS.maxSoftmaxDepth) throw new ArtifactError(p('inputShape'), `softmax over more than ${LIMITS.maxSoftmaxDepth} values`);
      // TFLite requires int8 softmax output at scale 1/256, zero point -128 (softmax.cc Prepare).
      if (common.output.scale !== 1 / 256 || common.output.zeroPoint !== -128) {
        throw new ArtifactError(p('output'), 'int8 softmax output must have scale 1/256 (0.00390625) and zeroPoint -128');
      }
      const beta = finite(g('beta'), p('beta'));
      if (!(beta > 0) || beta > 1e6) throw new ArtifactError(p('beta'), `beta must be in (0, 1e6], got ${beta}`);
      // QuantizeMultiplierGreaterThanOne needs beta * input_scale * 2^26 > 1 (quantization_util.cc).
      if (!(beta * common.input.scale * 2 ** 26 > 1)) throw new ArtifactError(p('beta'), 'beta * input scale must be > 2^-26');
      return { op, ...common, beta };
    }
  }
}

function sameQuant(path: string, l: LayerCommon): void {
  if (l.input.scale !== l.output.scale || l.input.zeroPoint !== l.output.zeroPoint) {
    throw new ArtifactError(`${path}.output`, 'must equal the input quantization for this op (TFLite requirement)');
  }
}

function metricsOf(v: unknown, path: string): Artifact['metrics'] {
  const o = opaque(v, path);
  for (const k of ['float', 'int8']) {
    if (o[k] === undefined) continue;
    const m = obj(o[k], `${path}.${k}`);
    const acc = finite(field(m, 'accuracy', `${path}.${k}`), `${path}.${k}.accuracy`);
    if (acc < 0 || acc > 1) throw new ArtifactError(`${path}.${k}.accuracy`, `expected 0..1, got ${acc}`);
    const c = arr(field(m, 'confusion', `${path}.${k}`), `${path}.${k}.confusion`, LIMITS.maxLabels);
    c.forEach((row, i) => arr(row, `${path}.${k}.confusion[${i}]`, LIMITS.maxLabels).forEach((n, j) => int(n, `${path}.${k}.confusion[${i}][${j}]`, 0, Number.MAX_SAFE_INTEGER)));
  }
  return o as Artifact['metrics'];
}

/** base64 of maxLayerWeights float32 values. */
const FLOAT_CHARS = Math.ceil((LIMITS.maxLayerWeights * 4) / 3) + 4;

function floatSectionOf(v: unknown, layers: Layer[]): FloatSection {
  const o = obj(v, 'float');
  const list = arr(field(o, 'layers', 'float'), 'float.layers', LIMITS.maxLayers);
  if (list.length !== layers.length) throw new ArtifactError('float.layers', `expected one entry per layer (${layers.length}), got ${list.length}`);
  return {
    layers: list.map((entry, i) => {
      const layer = layers[i];
      const path = `float.layers[${i}]`;
      if (layer.op !== 'fully_connected' && layer.op !== 'conv1d' && layer.op !== 'depthwise_conv1d') {
        if (entry !== null) throw new ArtifactError(path, `must be null: layer ${i} (${layer.op}) has no weights`);
        return null;
      }
      const e = obj(entry, path);
      const w = decodeFloat32(str(field(e, 'weights', path), `${path}.weights`, FLOAT_CHARS));
      const b = decodeFloat32(str(field(e, 'bias', path), `${path}.bias`, FLOAT_CHARS));
      if (!w) throw new ArtifactError(`${path}.weights`, 'not base64 of finite float32 values');
      if (!b) throw new ArtifactError(`${path}.bias`, 'not base64 of finite float32 values');
      const want = layerWeights(layer).length;
      if (w.length !== want) throw new ArtifactError(`${path}.weights`, `expected ${want} float32 values (as many as the int8 weights), got ${w.length}`);
      if (b.length !== layer.bias.length) throw new ArtifactError(`${path}.bias`, `expected ${layer.bias.length} float32 values, got ${b.length}`);
      return { weights: e.weights as string, bias: e.bias as string };
    }),
  };
}

/**
 * Checks a parsed JSON value and returns it typed as an Artifact, or throws an ArtifactError
 * naming the first wrong path. Also checks the hash (pass `checkHash: false` while building).
 */
export function validateArtifact(json: unknown, options: { checkHash?: boolean } = {}): Artifact {
  const root = obj(json, 'artifact');
  if (field(root, 'format', '') !== ARTIFACT_FORMAT) throw new ArtifactError('format', `expected "${ARTIFACT_FORMAT}", got ${describe(root.format)}`);
  const version = field(root, 'version', '');
  if (version !== ARTIFACT_VERSION) {
    throw new ArtifactError('version', `this reader understands version ${ARTIFACT_VERSION}, the file is version ${describe(version)}`);
  }
  const name = str(field(root, 'name', ''), 'name', 64);
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new ArtifactError('name', 'use 1-64 letters, digits, "_" or "-"');
  const kind = oneOf(field(root, 'kind', ''), 'kind', ['classifier', 'anomaly'] as const);
  const labels = arr(field(root, 'labels', ''), 'labels', LIMITS.maxLabels).map((l, i) => str(l, `labels[${i}]`));

  const inp = obj(field(root, 'input', ''), 'input');
  const win = obj(field(inp, 'window', 'input'), 'input.window');
  const window = {
    length: int(field(win, 'length', 'input.window'), 'input.window.length', 1, LIMITS.maxTensorElements),
    axes: arr(field(win, 'axes', 'input.window'), 'input.window.axes', 64).map((a, i) => str(a, `input.window.axes[${i}]`)),
    rateHz: finite(field(win, 'rateHz', 'input.window'), 'input.window.rateHz'),
  };
  if (!(window.rateHz > 0)) throw new ArtifactError('input.window.rateHz', `must be > 0, got ${window.rateHz}`);
  const features = opaque(field(inp, 'features', 'input'), 'input.features');
  const inShape = shape(field(inp, 'shape', 'input'), 'input.shape');
  const inSize = elements(inShape);
  const norm = obj(field(inp, 'normalization', 'input'), 'input.normalization');
  const normArray = (k: string): number[] => {
    const a = arr(field(norm, k, 'input.normalization'), `input.normalization.${k}`, inSize);
    if (a.length !== inSize) throw new ArtifactError(`input.normalization.${k}`, `expected ${inSize} values (one per input element), got ${a.length}`);
    return a.map((x, i) => {
      const f = finite(x, `input.normalization.${k}[${i}]`);
      if (Math.fround(f) !== f) throw new ArtifactError(`input.normalization.${k}[${i}]`, `${f} is not a float32 value (apply Math.fround)`);
      return f;
    });
  };
  const normalization = { mean: normArray('mean'), scale: normArray('scale') };
  const inQuant = quant(field(inp, 'quantization', 'input'), 'input.quantization');

  const out = obj(field(root, 'output', ''), 'output');
  const outShape = shape(field(out, 'shape', 'output'), 'output.shape');
  const outQuant = quant(field(out, 'quantization', 'output'), 'output.quantization');

  const layerList = arr(field(root, 'layers', ''), 'layers', LIMITS.maxLayers);
  if (layerList.length === 0) throw new ArtifactError('layers', 'a model needs at least one layer');
  let totalWeights = 0;
  const layers: Layer[] = [];
  let prevShape = inShape;
  let prevQuant = inQuant;
  let prevPath = 'input';
  layerList.forEach((lv, i) => {
    const path = `layers[${i}]`;
    const layer = validateLayer(lv, path);
    if (!sameShape(layer.inputShape, prevShape)) {
      throw new ArtifactError(`${path}.inputShape`, `${fmtShape(layer.inputShape)} does not match ${prevPath === 'input' ? 'input.shape' : `${prevPath}.outputShape`} ${fmtShape(prevShape)}`);
    }
    if (layer.input.scale !== prevQuant.scale || layer.input.zeroPoint !== prevQuant.zeroPoint) {
      throw new ArtifactError(`${path}.input`, `quantization does not match ${prevPath === 'input' ? 'input.quantization' : `${prevPath}.output`}`);
    }
    if ('weights' in layer) {
      totalWeights += Math.floor((layer.weights.length * 3) / 4);
      if (totalWeights > LIMITS.maxTotalWeights) throw new ArtifactError(`${path}.weights`, `the model holds more than ${LIMITS.maxTotalWeights} weights`);
    }
    layers.push(layer);
    prevShape = layer.outputShape;
    prevQuant = layer.output;
    prevPath = path;
  });
  if (!sameShape(outShape, prevShape)) throw new ArtifactError('output.shape', `${fmtShape(outShape)} does not match the last layer's output ${fmtShape(prevShape)}`);
  if (outQuant.scale !== prevQuant.scale || outQuant.zeroPoint !== prevQuant.zeroPoint) {
    throw new ArtifactError('output.quantization', "does not match the last layer's output quantization");
  }
  if (kind === 'classifier' && labels.length !== elements(outShape)) {
    throw new ArtifactError('labels', `a classifier needs one label per output (${elements(outShape)}), got ${labels.length}`);
  }

  const artifact: Artifact = {
    format: ARTIFACT_FORMAT, version: ARTIFACT_VERSION, name, kind, labels,
    input: { window, features, normalization, shape: inShape, quantization: inQuant },
    output: { shape: outShape, quantization: outQuant },
    layers,
    hash: '',
  };
  if (root.metrics !== undefined) artifact.metrics = metricsOf(root.metrics, 'metrics');
  if (root.cost !== undefined) artifact.cost = opaque(root.cost, 'cost') as Artifact['cost'];
  if (root.training !== undefined) artifact.training = opaque(root.training, 'training');
  if (root.float !== undefined) artifact.float = floatSectionOf(root.float, layers);
  const hash = str(field(root, 'hash', ''), 'hash', 64);
  artifact.hash = hash;
  if (options.checkHash !== false) {
    const want = computeModelHash(artifact);
    if (hash !== want) throw new ArtifactError('hash', `does not match the content (expected ${want}): the file was modified or corrupted`);
  }
  return artifact;
}

/** Parses and validates artifact text; JSON syntax errors become ArtifactErrors too. */
export function parseArtifact(text: string): Artifact {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ArtifactError('artifact', `not valid JSON (${(e as Error).message})`);
  }
  return validateArtifact(json);
}

/** Sets the hash of an artifact built in code (fields must already be valid). */
export function withHash(artifact: Omit<Artifact, 'hash'> & { hash?: string }): Artifact {
  const a = { ...artifact, hash: '' } as Artifact;
  a.hash = computeModelHash(a);
  return a;
}

/** The int8 weights of a weighted layer, decoded. */
export function layerWeights(layer: WeightedLayer): Int8Array {
  const w = decodeInt8(layer.weights);
  if (!w) throw new ArtifactError('weights', 'not valid base64');
  return w;
}
