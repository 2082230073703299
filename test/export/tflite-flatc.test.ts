/**
 * flatc (Debian flatbuffers-compiler) with our own transcription of the TFLite schema subset
 * (test/export/tflite-subset.fbs) dumps every exported model to JSON; the JSON must show the
 * operators, tensor shapes and quantization parameters the artifact implies. flatc is an
 * independent flatbuffer reader: a wrong field slot, union tag or vector layout shows up here.
 */
import assert from 'assert';
import { execFileSync } from 'child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { tfliteSummary, writeTflite, TfliteExportOptions } from '../../src/codegen/tflite-writer';
import { BuiltinOperator } from '../../src/codegen/tflite-schema';
import { Artifact, elements } from '../../src/model/artifact';
import { randomModel } from '../support/int8-models';
import { cnnModel, denseModel } from '../support/tflite-models';
import { requireTool } from '../support/tools';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const SCHEMA = join(REPO_ROOT, 'test', 'export', 'tflite-subset.fbs');

interface JsonQuant { scale?: number[]; zero_point?: number[]; quantized_dimension: number }
interface JsonTensor { shape?: number[]; type: string; buffer: number; name?: string; quantization?: JsonQuant }
interface JsonOperator { opcode_index: number; inputs: number[]; outputs: number[]; builtin_options_type: string; builtin_options?: Record<string, unknown> }
interface JsonModel {
  version: number;
  operator_codes: { deprecated_builtin_code: number; builtin_code: string; version: number }[];
  subgraphs: { tensors: JsonTensor[]; inputs: number[]; outputs: number[]; operators: JsonOperator[] }[];
  buffers: { data?: number[] }[];
}

/** flatc writes NAME.json beside its output dir for the binary NAME.tflite. */
function dumpJson(bytes: Uint8Array, name: string): JsonModel {
  const dir = join(REPO_ROOT, 'build', 'export-flatc');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.tflite`), bytes);
  execFileSync('flatc', ['-t', '--strict-json', '--defaults-json', '--raw-binary', '-o', dir, SCHEMA, '--', join(dir, `${name}.tflite`)], { stdio: 'pipe' });
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as JsonModel;
}

const product = (s: number[] | undefined): number => (s ?? []).reduce((a, b) => a * b, 1);

/** flatc 2.0.8 prints floats with 6 decimals (no precision option): equal to half a unit in the 6th place. */
function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 5.01e-7, `${what}: ${actual} vs ${expected}`);
}

function check(m: Artifact, options: TfliteExportOptions, tag: string): void {
  const json = dumpJson(writeTflite(m, options), `${m.name}-${tag}`);
  const where = `${m.name} (${tag})`;
  assert.strictEqual(json.version, 3, where);
  assert.strictEqual(json.subgraphs.length, 1, where);
  const g = json.subgraphs[0];
  const opNames = g.operators.map((o) => json.operator_codes[o.opcode_index].builtin_code);
  assert.deepStrictEqual(opNames, tfliteSummary(m, options).operators, `${where}: operators`);
  for (const c of json.operator_codes) {
    const code = BuiltinOperator[c.builtin_code as keyof typeof BuiltinOperator];
    assert.ok(code !== undefined, `${where}: operator code ${c.builtin_code}`);
    assert.strictEqual(c.deprecated_builtin_code, Math.min(127, code), `${where}: deprecated_builtin_code of ${c.builtin_code}`);
  }
  assert.strictEqual(json.buffers[0].data?.length ?? 0, 0, `${where}: buffer 0 is empty`);

  // Model boundary: shapes and quantization (an int8 boundary carries the artifact's parameters).
  const input = g.tensors[g.inputs[0]];
  const output = g.tensors[g.outputs[0]];
  assert.strictEqual(product(input.shape), elements(m.input.shape), `${where}: input elements`);
  assert.strictEqual(product(output.shape), elements(m.output.shape), `${where}: output elements`);
  if (options.floatInput) assert.strictEqual(input.type, 'FLOAT32', where);
  else {
    assert.strictEqual(input.type, 'INT8', where);
    close(input.quantization!.scale![0], m.input.quantization.scale, `${where}: input scale`);
    assert.deepStrictEqual(input.quantization!.zero_point, [m.input.quantization.zeroPoint], `${where}: input zero point`);
  }
  if (options.floatOutput) assert.strictEqual(output.type, 'FLOAT32', where);
  else {
    assert.strictEqual(output.type, 'INT8', where);
    close(output.quantization!.scale![0], m.output.quantization.scale, `${where}: output scale`);
    assert.deepStrictEqual(output.quantization!.zero_point, [m.output.quantization.zeroPoint], `${where}: output zero point`);
  }

  // Weighted operators (three inputs) in order are the weighted layers in order.
  const weighted = m.layers.filter((l) => l.op === 'fully_connected' || l.op === 'conv1d' || l.op === 'depthwise_conv1d');
  const weightedOps = g.operators.filter((o) => o.inputs.length === 3);
  assert.strictEqual(weightedOps.length, weighted.length, `${where}: one weighted operator per weighted layer`);
  weightedOps.forEach((o, i) => {
    const layer = weighted[i];
    if (layer.op !== 'fully_connected' && layer.op !== 'conv1d' && layer.op !== 'depthwise_conv1d') return;
    const [x, w, b] = o.inputs.map((t) => g.tensors[t]);
    const out = g.tensors[o.outputs[0]];
    const at = `${where}: layer ${m.layers.indexOf(layer)} (${layer.op})`;
    assert.strictEqual(w.type, 'INT8', at);
    assert.strictEqual(b.type, 'INT32', at);
    assert.strictEqual(product(out.shape), elements(layer.outputShape), `${at}: output elements`);
    assert.strictEqual(product(x.shape), elements(layer.inputShape), `${at}: input elements`);
    const channels = layer.bias.length;
    assert.deepStrictEqual(b.shape, [channels], `${at}: bias shape`);
    assert.strictEqual(json.buffers[w.buffer].data!.length, product(w.shape), `${at}: weight buffer bytes`);
    assert.strictEqual(json.buffers[b.buffer].data!.length, 4 * channels, `${at}: bias buffer bytes`);
    const scales = w.quantization!.scale!;
    assert.ok(scales.length === 1 || scales.length === channels, `${at}: ${scales.length} weight scales for ${channels} channels`);
    scales.forEach((s, c) => close(s, layer.weightScales[layer.weightScales.length === 1 ? 0 : c], `${at}: weight scale ${c}`));
    assert.ok(w.quantization!.zero_point!.every((z) => z === 0), `${at}: symmetric weights`);
    b.quantization!.scale!.forEach((s, c) => close(s, Math.fround(layer.input.scale * layer.weightScales[layer.weightScales.length === 1 ? 0 : c]), `${at}: bias scale ${c}`));
    close(out.quantization!.scale![0], layer.output.scale, `${at}: output scale`);
    assert.deepStrictEqual(out.quantization!.zero_point, [layer.output.zeroPoint], `${at}: output zero point`);
    if (scales.length > 1) assert.strictEqual(w.quantization!.quantized_dimension, layer.op === 'depthwise_conv1d' ? 3 : 0, `${at}: quantized dimension`);
    if (o.builtin_options_type === 'Conv2DOptions' || o.builtin_options_type === 'DepthwiseConv2DOptions') {
      const stride = layer.op === 'fully_connected' ? 1 : layer.stride;
      assert.strictEqual(o.builtin_options!.stride_w, stride, `${at}: stride`);
      assert.strictEqual(o.builtin_options!.stride_h, 1, `${at}: stride_h`);
    }
    const act = o.builtin_options!.fused_activation_function;
    assert.strictEqual(act, { none: 'NONE', relu: 'RELU', relu6: 'RELU6' }[layer.activation], `${at}: fused activation`);
  });
  for (const o of g.operators) {
    assert.ok(o.builtin_options_type === 'NONE' || o.builtin_options !== undefined, `${where}: options table present for ${o.builtin_options_type}`);
  }
}

describe('tflite export: flatc with the TFLite schema dumps every exported model to JSON', function () {
  this.timeout(120_000);

  before(function () {
    requireTool('flatc', 'flatbuffers-compiler');
  });

  it('dense, CNN and 20 random models, int8 and float boundaries: operators, shapes, quantization', function () {
    const models = [denseModel(), cnnModel(), ...Array.from({ length: 20 }, (_, i) => randomModel(300 + i))];
    for (const m of models) {
      check(m, {}, 'int8');
      check(m, { floatInput: true, floatOutput: true }, 'float-io');
    }
  });
});
