/**
 * The int8 interpreter: runs a validated model artifact layer by layer with the TFLite reference
 * integer kernels (one file per op in ./ops). Bit-exact with the C runtime in
 * firmware/arduino/tinyml_runtime and with TFLite Micro's reference kernels.
 */
import { Artifact, elements } from '../model/artifact';
import { prepareModel, PreparedLayer, PreparedModel } from './prepared-model';
import { fullyConnected } from './ops/fully-connected';
import { conv1d } from './ops/conv1d';
import { depthwiseConv1d } from './ops/depthwise-conv1d';
import { maxPool1d } from './ops/max-pool1d';
import { avgPool1d } from './ops/avg-pool1d';
import { softmaxInt8 } from './ops/softmax';

export interface RunResult {
  output: Int8Array;
  /** Every layer's output tensor, when asked for with `trace`. */
  layerOutputs?: Int8Array[];
}

function runLayer(p: PreparedLayer, input: Int8Array): Int8Array {
  const { layer } = p;
  const output = p.out;
  switch (layer.op) {
    case 'fully_connected': fullyConnected(layer, p.weighted!, input, output); break;
    case 'conv1d': conv1d(layer, p.weighted!, p.padBefore, input, output); break;
    case 'depthwise_conv1d': depthwiseConv1d(layer, p.weighted!, p.padBefore, input, output); break;
    case 'max_pool1d': maxPool1d(layer, p.padBefore, p.actMin, p.actMax, input, output); break;
    case 'avg_pool1d': avgPool1d(layer, p.padBefore, p.actMin, p.actMax, input, output); break;
    case 'softmax': softmaxInt8(p.softmax!, layer.inputShape[layer.inputShape.length - 1], input, output, p.softmaxExp); break;
    case 'reshape': output.set(input); break;
  }
  return output;
}

/** Runs the model on one quantized input tensor (int8, `elements(artifact.input.shape)` values). */
export function runModel(artifact: Artifact, input: Int8Array, options: { trace?: boolean } = {}): RunResult {
  const want = elements(artifact.input.shape);
  if (input.length !== want) throw new Error(`runModel: model "${artifact.name}" takes ${want} int8 inputs, got ${input.length}`);
  const prepared = prepareModel(artifact);
  if (!options.trace) return { output: runPrepared(prepared, input).slice() };
  const trace: Int8Array[] = [];
  let x = input;
  for (const p of prepared.layers) {
    x = runLayer(p, x);
    trace.push(x.slice());
  }
  return { output: x.slice(), layerOutputs: trace };
}

/**
 * Runs a prepared model without allocating: the result is the last layer's own buffer, valid
 * until the next run of the same prepared model (copy it to keep it).
 */
export function runPrepared(prepared: PreparedModel, input: Int8Array): Int8Array {
  let x = input;
  const layers = prepared.layers;
  for (let i = 0; i < layers.length; i++) x = runLayer(layers[i], x);
  return x;
}
