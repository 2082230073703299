/**
 * The .tflite file's structure, read back with an independent minimal reader: schema version 3,
 * "TFL3", empty buffer 0, every constant buffer 16-byte aligned, operator codes in both fields,
 * the op mapping (1-D as NHWC with H = 1, never EXPAND_DIMS).
 */
import assert from 'assert';
import { tfliteSummary, writeTflite } from '../../src/codegen/tflite-writer';
import { BuiltinOperator, TensorType } from '../../src/codegen/tflite-schema';
import { randomModel } from '../support/int8-models';
import { cnnModel, denseModel } from '../support/tflite-models';
import { inspectTflite } from '../support/tflite-inspect';

describe('tflite export: file structure', function () {
  it('is a schema-3 TFL3 flatbuffer with an empty buffer 0 and 16-byte aligned constant data', function () {
    for (const m of [denseModel(), cnnModel(), ...Array.from({ length: 20 }, (_, i) => randomModel(300 + i))]) {
      const bytes = writeTflite(m);
      const info = inspectTflite(bytes);
      assert.strictEqual(info.identifier, 'TFL3');
      assert.strictEqual(info.version, 3);
      assert.strictEqual(info.buffers[0].length, 0, 'buffer 0 must be empty');
      for (const [i, b] of info.buffers.entries()) {
        if (b.length > 0) assert.strictEqual(b.offset % 16, 0, `${m.name}: buffer ${i} starts at ${b.offset}, not 16-byte aligned`);
      }
      for (const c of info.operatorCodes) {
        assert.strictEqual(c.deprecated, c.builtin, 'deprecated_builtin_code and builtin_code both set');
        assert.ok(c.version >= 1);
      }
      assert.ok(!info.operators.includes(70), 'EXPAND_DIMS is never used');
    }
  });

  it('maps the CNN to CONV_2D, DEPTHWISE_CONV_2D, pools, RESHAPE, FULLY_CONNECTED, a 1x1 CONV_2D for per-channel dense, SOFTMAX', function () {
    const ops = inspectTflite(writeTflite(cnnModel())).operators;
    assert.deepStrictEqual(ops, [
      BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.MAX_POOL_2D, BuiltinOperator.AVERAGE_POOL_2D,
      BuiltinOperator.RESHAPE, BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.RESHAPE, BuiltinOperator.CONV_2D, BuiltinOperator.RESHAPE,
      BuiltinOperator.SOFTMAX,
    ]);
    assert.deepStrictEqual(tfliteSummary(cnnModel(), { floatInput: true, floatOutput: true }).operators.filter((o) => /QUANT/.test(o)), ['QUANTIZE', 'DEQUANTIZE']);
  });

  it('stores int8 weights, int32 biases, and float32 only at a float boundary', function () {
    const plain = inspectTflite(writeTflite(denseModel())).tensorTypes;
    assert.ok(plain.every((t) => t === TensorType.INT8 || t === TensorType.INT32));
    const float = inspectTflite(writeTflite(denseModel(), { floatInput: true, floatOutput: true })).tensorTypes;
    assert.strictEqual(float.filter((t) => t === TensorType.FLOAT32).length, 2);
  });
});
