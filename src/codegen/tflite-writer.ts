/**
 * Model artifact -> .tflite flatbuffer that TensorFlow Lite (Micro) runs with the same integer
 * arithmetic as our interpreter. Mapping (NHWC with H = 1 for 1-D tensors):
 *   artifact shape [len, ch] -> [1, 1, len, ch];  [n] -> [1, n]
 *   fully_connected, per-tensor weight scale -> FULLY_CONNECTED (a RESHAPE to [1, n] first if needed)
 *   fully_connected, per-channel scales     -> CONV_2D 1x1 between two RESHAPEs: TFLite added
 *       per-channel FULLY_CONNECTED only recently, older runtimes reject it; the arithmetic is identical.
 *   conv1d -> CONV_2D (filter OHWI [filters, 1, k, inCh]); depthwise_conv1d -> DEPTHWISE_CONV_2D
 *       (filter [1, 1, k, outCh], per-channel on dimension 3); pooling -> MAX/AVERAGE_POOL_2D;
 *   reshape -> RESHAPE (options and a constant shape tensor); softmax -> SOFTMAX.
 * Optional QUANTIZE in front (float32 input = normalized features) and DEQUANTIZE at the end.
 * Buffers are 16-byte aligned (schema: force_align 16), buffer 0 is the empty sentinel, operator
 * codes carry both deprecated_builtin_code and builtin_code.
 */
import { Builder } from 'flatbuffers';
import { Activation, Artifact, elements, Layer, QuantParams, WeightedLayer, layerWeights } from '../model/artifact';
import { Padding } from '../model/layer-geometry';
import {
  BUFFER_ALIGNMENT, BuiltinOperator, BuiltinOperatorCode, BuiltinOptions, Field, INT8_OP_VERSION, TensorType,
  TflActivation, TflPadding, TFLITE_FILE_IDENTIFIER, TFLITE_SCHEMA_VERSION,
} from './tflite-schema';

export interface TfliteExportOptions {
  /** Float32 input through a QUANTIZE op (the input is the normalized feature vector). Default false. */
  floatInput?: boolean;
  /** Float32 output through a DEQUANTIZE op. Default false. */
  floatOutput?: boolean;
}

interface TensorQuant {
  scales: number[];
  zeroPoints: number[];
  dimension: number;
}

interface TensorDef {
  name: string;
  shape: number[];
  type: number;
  buffer: number;
  quant?: TensorQuant;
}

type OptionsWriter = (b: Builder) => number;

interface OperatorDef {
  opcode: BuiltinOperatorCode;
  inputs: number[];
  outputs: number[];
  optionsType: number;
  options?: OptionsWriter;
}

/** One tensor of the graph being built and the artifact shape it stands for. */
interface Value {
  tensor: number;
  shape: number[];
  quant: QuantParams;
}

class Graph {
  readonly tensors: TensorDef[] = [];
  readonly buffers: Uint8Array[] = [new Uint8Array(0)];
  readonly operators: OperatorDef[] = [];
  readonly opcodes: BuiltinOperatorCode[] = [];

  addTensor(def: Omit<TensorDef, 'buffer'>, data?: Uint8Array): number {
    let buffer = 0;
    if (data) {
      buffer = this.buffers.length;
      this.buffers.push(data);
    }
    this.tensors.push({ ...def, buffer });
    return this.tensors.length - 1;
  }

  activation(name: string, shape: number[], q: QuantParams): number {
    return this.addTensor({ name, shape, type: TensorType.INT8, quant: perTensor(q) });
  }

  addOp(op: OperatorDef): void {
    if (!this.opcodes.includes(op.opcode)) this.opcodes.push(op.opcode);
    this.operators.push(op);
  }
}

function perTensor(q: QuantParams): TensorQuant {
  return { scales: [q.scale], zeroPoints: [q.zeroPoint], dimension: 0 };
}

/** Artifact shape (no batch) -> TFLite shape with batch. */
export function tfliteShape(shape: readonly number[]): number[] {
  return shape.length === 2 ? [1, 1, shape[0], shape[1]] : [1, ...shape];
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function int8Bytes(w: Int8Array): Uint8Array {
  return new Uint8Array(w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength));
}

function int32Bytes(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setInt32(i * 4, v, true));
  return out;
}

function padding(p: Padding): number {
  return p === 'same' ? TflPadding.SAME : TflPadding.VALID;
}

function activation(a: Activation): number {
  return a === 'relu' ? TflActivation.RELU : a === 'relu6' ? TflActivation.RELU6 : TflActivation.NONE;
}

function reshape(g: Graph, x: Value, tfShape: number[], name: string): Value {
  const current = g.tensors[x.tensor].shape;
  if (sameDims(current, tfShape)) return x;
  const shapeTensor = g.addTensor({ name: `${name}/shape`, shape: [tfShape.length], type: TensorType.INT32 }, int32Bytes(tfShape));
  const out = g.activation(name, tfShape, x.quant);
  g.addOp({
    opcode: BuiltinOperator.RESHAPE, inputs: [x.tensor, shapeTensor], outputs: [out], optionsType: BuiltinOptions.ReshapeOptions,
    options: (b) => {
      const dims = intVector(b, tfShape);
      b.startObject(Field.ReshapeOptions.count);
      b.addFieldOffset(Field.ReshapeOptions.new_shape, dims, 0);
      return b.endObject();
    },
  });
  return { tensor: out, shape: x.shape, quant: x.quant };
}

/** Weights (int8, per-channel or per-tensor on `dimension`) and int32 bias tensors of a layer. */
function weightTensors(g: Graph, layer: WeightedLayer, name: string, shape: number[], dimension: number): { weights: number; bias: number } {
  const channels = layer.bias.length;
  const scales = layer.weightScales.length === 1 ? [layer.weightScales[0]] : layer.weightScales;
  const weights = g.addTensor(
    { name: `${name}/weights`, shape, type: TensorType.INT8, quant: { scales, zeroPoints: scales.map(() => 0), dimension: scales.length === 1 ? 0 : dimension } },
    int8Bytes(layerWeights(layer)),
  );
  // TFLite: bias scale = input scale * weight scale (per channel), zero point 0 (quantization spec).
  const biasScales = scales.map((s) => Math.fround(layer.input.scale * s));
  const bias = g.addTensor(
    { name: `${name}/bias`, shape: [channels], type: TensorType.INT32, quant: { scales: biasScales, zeroPoints: biasScales.map(() => 0), dimension: 0 } },
    int32Bytes(layer.bias),
  );
  return { weights, bias };
}

function conv2dOptions(pad: number, strideW: number, act: number, dilationW: number): OptionsWriter {
  return (b) => {
    const f = Field.Conv2DOptions;
    b.startObject(f.count);
    b.addFieldInt8(f.padding, pad, 0);
    b.addFieldInt32(f.stride_w, strideW, 0);
    b.addFieldInt32(f.stride_h, 1, 0);
    b.addFieldInt8(f.fused_activation_function, act, 0);
    b.addFieldInt32(f.dilation_w_factor, dilationW, 1);
    b.addFieldInt32(f.dilation_h_factor, 1, 1);
    return b.endObject();
  };
}

function addLayer(g: Graph, layer: Layer, index: number, x: Value): Value {
  const name = layer.name ? `${index}_${layer.name}` : `layer${index}_${layer.op}`;
  const outShape = tfliteShape(layer.outputShape);
  switch (layer.op) {
    case 'fully_connected': {
      const inSize = elements(layer.inputShape);
      if (layer.weightScales.length === 1) {
        const flat = reshape(g, x, [1, inSize], `${name}/flatten`);
        const { weights, bias } = weightTensors(g, layer, name, [layer.units, inSize], 0);
        const out = g.activation(name, outShape, layer.output);
        g.addOp({
          opcode: BuiltinOperator.FULLY_CONNECTED, inputs: [flat.tensor, weights, bias], outputs: [out], optionsType: BuiltinOptions.FullyConnectedOptions,
          options: (b) => {
            b.startObject(Field.FullyConnectedOptions.count);
            b.addFieldInt8(Field.FullyConnectedOptions.fused_activation_function, activation(layer.activation), 0);
            return b.endObject();
          },
        });
        return { tensor: out, shape: layer.outputShape, quant: layer.output };
      }
      const flat = reshape(g, x, [1, 1, 1, inSize], `${name}/to_nhwc`);
      const { weights, bias } = weightTensors(g, layer, name, [layer.units, 1, 1, inSize], 0);
      const conv = g.activation(`${name}/conv1x1`, [1, 1, 1, layer.units], layer.output);
      g.addOp({
        opcode: BuiltinOperator.CONV_2D, inputs: [flat.tensor, weights, bias], outputs: [conv], optionsType: BuiltinOptions.Conv2DOptions,
        options: conv2dOptions(TflPadding.VALID, 1, activation(layer.activation), 1),
      });
      return reshape(g, { tensor: conv, shape: layer.outputShape, quant: layer.output }, outShape, name);
    }
    case 'conv1d': {
      const inCh = layer.inputShape[1];
      const { weights, bias } = weightTensors(g, layer, name, [layer.filters, 1, layer.kernelSize, inCh], 0);
      const out = g.activation(name, outShape, layer.output);
      g.addOp({
        opcode: BuiltinOperator.CONV_2D, inputs: [x.tensor, weights, bias], outputs: [out], optionsType: BuiltinOptions.Conv2DOptions,
        options: conv2dOptions(padding(layer.padding), layer.stride, activation(layer.activation), layer.dilation),
      });
      return { tensor: out, shape: layer.outputShape, quant: layer.output };
    }
    case 'depthwise_conv1d': {
      const outCh = layer.outputShape[1];
      // TFLite depthwise filters are [1, H, W, out channels], quantized per channel on dimension 3.
      const { weights, bias } = weightTensors(g, layer, name, [1, 1, layer.kernelSize, outCh], 3);
      const out = g.activation(name, outShape, layer.output);
      g.addOp({
        opcode: BuiltinOperator.DEPTHWISE_CONV_2D, inputs: [x.tensor, weights, bias], outputs: [out], optionsType: BuiltinOptions.DepthwiseConv2DOptions,
        options: (b) => {
          const f = Field.DepthwiseConv2DOptions;
          b.startObject(f.count);
          b.addFieldInt8(f.padding, padding(layer.padding), 0);
          b.addFieldInt32(f.stride_w, layer.stride, 0);
          b.addFieldInt32(f.stride_h, 1, 0);
          b.addFieldInt32(f.depth_multiplier, layer.depthMultiplier, 0);
          b.addFieldInt8(f.fused_activation_function, activation(layer.activation), 0);
          b.addFieldInt32(f.dilation_w_factor, layer.dilation, 1);
          b.addFieldInt32(f.dilation_h_factor, 1, 1);
          return b.endObject();
        },
      });
      return { tensor: out, shape: layer.outputShape, quant: layer.output };
    }
    case 'max_pool1d':
    case 'avg_pool1d': {
      const out = g.activation(name, outShape, layer.output);
      g.addOp({
        opcode: layer.op === 'max_pool1d' ? BuiltinOperator.MAX_POOL_2D : BuiltinOperator.AVERAGE_POOL_2D,
        inputs: [x.tensor], outputs: [out], optionsType: BuiltinOptions.Pool2DOptions,
        options: (b) => {
          const f = Field.Pool2DOptions;
          b.startObject(f.count);
          b.addFieldInt8(f.padding, padding(layer.padding), 0);
          b.addFieldInt32(f.stride_w, layer.stride, 0);
          b.addFieldInt32(f.stride_h, 1, 0);
          b.addFieldInt32(f.filter_width, layer.poolSize, 0);
          b.addFieldInt32(f.filter_height, 1, 0);
          b.addFieldInt8(f.fused_activation_function, activation(layer.activation), 0);
          return b.endObject();
        },
      });
      return { tensor: out, shape: layer.outputShape, quant: layer.output };
    }
    case 'reshape': {
      const r = reshape(g, x, outShape, name);
      return { tensor: r.tensor, shape: layer.outputShape, quant: layer.output };
    }
    case 'softmax': {
      const out = g.activation(name, outShape, layer.output);
      g.addOp({
        opcode: BuiltinOperator.SOFTMAX, inputs: [x.tensor], outputs: [out], optionsType: BuiltinOptions.SoftmaxOptions,
        options: (b) => {
          b.startObject(Field.SoftmaxOptions.count);
          b.addFieldFloat32(Field.SoftmaxOptions.beta, layer.beta, 0);
          return b.endObject();
        },
      });
      return { tensor: out, shape: layer.outputShape, quant: layer.output };
    }
  }
}

/** The graph (tensors, buffers, operators) of an artifact; exported for tests and size reports. */
function buildGraph(artifact: Artifact, options: TfliteExportOptions): { graph: Graph; input: number; output: number } {
  const g = new Graph();
  const inShape = tfliteShape(artifact.input.shape);
  const inQuant = artifact.input.quantization;
  let input: number;
  let x: Value;
  if (options.floatInput) {
    input = g.addTensor({ name: 'input_float', shape: inShape, type: TensorType.FLOAT32 });
    const q = g.activation('input', inShape, inQuant);
    g.addOp({ opcode: BuiltinOperator.QUANTIZE, inputs: [input], outputs: [q], optionsType: BuiltinOptions.NONE });
    x = { tensor: q, shape: artifact.input.shape, quant: inQuant };
  } else {
    input = g.activation('input', inShape, inQuant);
    x = { tensor: input, shape: artifact.input.shape, quant: inQuant };
  }
  artifact.layers.forEach((layer, i) => {
    x = addLayer(g, layer, i, x);
  });
  let output = x.tensor;
  if (options.floatOutput) {
    output = g.addTensor({ name: 'output_float', shape: g.tensors[x.tensor].shape, type: TensorType.FLOAT32 });
    g.addOp({ opcode: BuiltinOperator.DEQUANTIZE, inputs: [x.tensor], outputs: [output], optionsType: BuiltinOptions.NONE });
  }
  if (output === input) {
    // A model of reshapes only: TFLite needs an operator between input and output.
    const out = g.activation('output', g.tensors[input].shape, x.quant);
    const shapeTensor = g.addTensor({ name: 'output/shape', shape: [g.tensors[input].shape.length], type: TensorType.INT32 }, int32Bytes(g.tensors[input].shape));
    g.addOp({ opcode: BuiltinOperator.RESHAPE, inputs: [input, shapeTensor], outputs: [out], optionsType: BuiltinOptions.NONE });
    output = out;
  }
  return { graph: g, input, output };
}

// ---------------------------------------------------------------------------------------------
// Flatbuffer serialization.

function intVector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
  return b.endVector();
}

function floatVector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]);
  return b.endVector();
}

function longVector(b: Builder, values: readonly number[]): number {
  b.startVector(8, values.length, 8);
  for (let i = values.length - 1; i >= 0; i--) b.addInt64(BigInt(values[i]));
  return b.endVector();
}

function offsetVector(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
  return b.endVector();
}

/** A byte vector whose first byte is 16-byte aligned in the final file (flatc's TS helper ignores force_align). */
function alignedBytes(b: Builder, data: Uint8Array): number {
  b.startVector(1, data.length, BUFFER_ALIGNMENT);
  for (let i = data.length - 1; i >= 0; i--) b.addInt8(data[i]);
  return b.endVector();
}

function writeTensor(b: Builder, t: TensorDef): number {
  const shape = intVector(b, t.shape);
  const name = b.createString(t.name);
  let quant = 0;
  if (t.quant) {
    const scale = floatVector(b, t.quant.scales);
    const zp = longVector(b, t.quant.zeroPoints);
    const f = Field.QuantizationParameters;
    b.startObject(f.count);
    b.addFieldOffset(f.scale, scale, 0);
    b.addFieldOffset(f.zero_point, zp, 0);
    b.addFieldInt32(f.quantized_dimension, t.quant.dimension, 0);
    quant = b.endObject();
  }
  const f = Field.Tensor;
  b.startObject(f.count);
  b.addFieldOffset(f.shape, shape, 0);
  b.addFieldInt8(f.type, t.type, 0);
  b.addFieldInt32(f.buffer, t.buffer, 0);
  b.addFieldOffset(f.name, name, 0);
  if (quant) b.addFieldOffset(f.quantization, quant, 0);
  return b.endObject();
}

function serialize(artifact: Artifact, graph: Graph, input: number, output: number): Uint8Array {
  const b = new Builder(1024 + graph.buffers.reduce((n, d) => n + d.length + 32, 0));
  // Buffers first: the large aligned data sits at the end of the file.
  const bufferOffsets = graph.buffers.map((data) => {
    const vec = data.length > 0 ? alignedBytes(b, data) : 0;
    b.startObject(Field.Buffer.count);
    if (vec) b.addFieldOffset(Field.Buffer.data, vec, 0);
    return b.endObject();
  });
  const tensorOffsets = graph.tensors.map((t) => writeTensor(b, t));
  const operatorOffsets = graph.operators.map((op) => {
    const inputs = intVector(b, op.inputs);
    const outputs = intVector(b, op.outputs);
    const options = op.options ? op.options(b) : 0;
    const f = Field.Operator;
    b.startObject(f.count);
    b.addFieldInt32(f.opcode_index, graph.opcodes.indexOf(op.opcode), 0);
    b.addFieldOffset(f.inputs, inputs, 0);
    b.addFieldOffset(f.outputs, outputs, 0);
    if (options) {
      b.addFieldInt8(f.builtin_options_type, op.optionsType, 0);
      b.addFieldOffset(f.builtin_options, options, 0);
    }
    return b.endObject();
  });
  const subgraphName = b.createString('main');
  const tensors = offsetVector(b, tensorOffsets);
  const inputs = intVector(b, [input]);
  const outputs = intVector(b, [output]);
  const operators = offsetVector(b, operatorOffsets);
  const sg = Field.SubGraph;
  b.startObject(sg.count);
  b.addFieldOffset(sg.tensors, tensors, 0);
  b.addFieldOffset(sg.inputs, inputs, 0);
  b.addFieldOffset(sg.outputs, outputs, 0);
  b.addFieldOffset(sg.operators, operators, 0);
  b.addFieldOffset(sg.name, subgraphName, 0);
  const subgraph = b.endObject();

  const codeOffsets = graph.opcodes.map((code) => {
    const f = Field.OperatorCode;
    b.startObject(f.count);
    // Codes below 127 fit the deprecated byte field; readers take max(deprecated, builtin_code).
    b.addFieldInt8(f.deprecated_builtin_code, Math.min(code, 127), 0);
    b.addFieldInt32(f.version, INT8_OP_VERSION[code], 1);
    b.addFieldInt32(f.builtin_code, code, 0);
    return b.endObject();
  });
  const codes = offsetVector(b, codeOffsets);
  const subgraphs = offsetVector(b, [subgraph]);
  const buffers = offsetVector(b, bufferOffsets);
  const description = b.createString(`TinyML Flow model ${artifact.name} (hash ${artifact.hash})`);
  const m = Field.Model;
  b.startObject(m.count);
  b.addFieldInt32(m.version, TFLITE_SCHEMA_VERSION, 0);
  b.addFieldOffset(m.operator_codes, codes, 0);
  b.addFieldOffset(m.subgraphs, subgraphs, 0);
  b.addFieldOffset(m.description, description, 0);
  b.addFieldOffset(m.buffers, buffers, 0);
  const model = b.endObject();
  b.finish(model, TFLITE_FILE_IDENTIFIER);
  return b.asUint8Array().slice();
}

/** Serializes a validated artifact as a .tflite flatbuffer. */
export function writeTflite(artifact: Artifact, options: TfliteExportOptions = {}): Uint8Array {
  const { graph, input, output } = buildGraph(artifact, options);
  return serialize(artifact, graph, input, output);
}

/** What the export will contain, for reports: operator names in order and constant bytes. */
export function tfliteSummary(artifact: Artifact, options: TfliteExportOptions = {}): { operators: string[]; constantBytes: number; tensors: number } {
  const { graph } = buildGraph(artifact, options);
  const names = new Map<number, string>(Object.entries(BuiltinOperator).map(([k, v]) => [v, k]));
  return {
    operators: graph.operators.map((o) => names.get(o.opcode) ?? String(o.opcode)),
    constantBytes: graph.buffers.reduce((n, d) => n + d.length, 0),
    tensors: graph.tensors.length,
  };
}
