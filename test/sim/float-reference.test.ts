/**
 * The optional float section (float32 weights per layer, not hashed) and the float reference of the
 * simulated MCU: validated on load, run by src/mcu/float-reference.ts, and compared with the int8
 * result. With float weights that are exactly the dequantized int8 weights, the float model differs
 * from the int8 one only by activation rounding: a layout mistake would show as a large error.
 */
import assert from 'assert';
import { Artifact, elements, layerWeights, parseArtifact, validateArtifact, withHash } from '../../src/model/artifact';
import { floatSection, decodeFloat32 } from '../../src/model/float-section';
import { McuSimulator } from '../../src/mcu/simulate';
import { runFloatReference } from '../../src/mcu/float-reference';
import { runModel } from '../../src/mcu/interpreter';
import { quantizeInput } from '../../src/mcu/quantize-io';
import { randomInput } from '../support/int8-models';
import { cnnModel, denseModel } from '../support/tflite-models';

/** The int8 weights and biases dequantized: w * weight scale, bias * input scale * weight scale. */
export function dequantizedFloat(a: Artifact): Artifact {
  const section = floatSection(a.layers.map((l) => {
    if (l.op !== 'fully_connected' && l.op !== 'conv1d' && l.op !== 'depthwise_conv1d') return null;
    const w = layerWeights(l);
    const channels = l.bias.length;
    const scale = (c: number): number => l.weightScales[l.weightScales.length === 1 ? 0 : c];
    const channelOf = (i: number): number => (l.op === 'depthwise_conv1d' ? i % channels : Math.floor(i / (w.length / channels)));
    return { weights: Array.from(w, (v, i) => v * scale(channelOf(i))), bias: l.bias.map((b, c) => b * l.input.scale * scale(c)) };
  }));
  return { ...a, float: section };
}

describe('float reference (artifact float section)', function () {
  it('is excluded from the hash, validated on load, and round-trips float32 exactly', function () {
    const a = dequantizedFloat(denseModel());
    assert.strictEqual(withHash(a).hash, denseModel().hash, 'the float section does not change the hash');
    const back = parseArtifact(JSON.stringify(a));
    assert.deepStrictEqual(back.float, a.float);
    const w = decodeFloat32(a.float!.layers[0]!.weights)!;
    assert.strictEqual(w.length, layerWeights(a.layers[0] as Parameters<typeof layerWeights>[0]).length);
    const broken = JSON.parse(JSON.stringify(a));
    broken.float.layers[0].bias = broken.float.layers[1].bias;
    assert.throws(() => validateArtifact(broken), /float\.layers\[0\]\.bias: expected 20 float32 values, got 10/);
    broken.float.layers = broken.float.layers.slice(1);
    assert.throws(() => validateArtifact(broken), /float\.layers: expected one entry per layer \(4\)/);
    const notNull = JSON.parse(JSON.stringify(a));
    notNull.float.layers[3] = notNull.float.layers[0];
    assert.throws(() => validateArtifact(notNull), /float\.layers\[3\]: must be null: layer 3 \(softmax\) has no weights/);
    const junk = JSON.parse(JSON.stringify(a));
    junk.float.layers[0].weights = 'not base64!';
    assert.throws(() => validateArtifact(junk), /float\.layers\[0\]\.weights: not base64 of finite float32 values/);
  });

  it('each float layer on the dequantized int8 input gives the int8 output within half a step (where int8 does not saturate)', function () {
    for (const base of [denseModel(), cnnModel()]) {
      const a = dequantizedFloat(base);
      const q = quantizeInput(a, Array.from(randomInput(501, elements(a.input.shape)), (v) => v * a.input.quantization.scale * 0.9));
      const outs = runModel(a, q, { trace: true }).layerOutputs!;
      const ins = [q, ...outs];
      a.layers.forEach((layer, i) => {
        const x = Float64Array.from(ins[i], (v) => (v - layer.input.zeroPoint) * layer.input.scale);
        const y = runFloatReference({ ...a, layers: [layer], float: { layers: [a.float!.layers[i]] } }, x)!;
        const o = layer.output;
        y.forEach((v, j) => {
          const steps = v / o.scale + o.zeroPoint;
          if (steps > 127.5 || steps < -128.5 || ('activation' in layer && layer.activation === 'relu6' && v > 5.99)) return; // int8 saturates there
          assert.ok(Math.abs(steps - outs[i][j]) <= 0.51, `${base.name} layer ${i} (${layer.op}) element ${j}: float ${steps.toFixed(3)} steps, int8 ${outs[i][j]}`);
        });
      });
    }
  });

  it('runs the float model beside the int8 one: label and quantization error in the result', function () {
    const a = dequantizedFloat(denseModel());
    const sim = new McuSimulator(a, 'uno');
    let agree = 0;
    let worst = 0;
    const n = 50;
    for (let s = 0; s < n; s++) {
      const x = Array.from(randomInput(500 + s, 33), (v) => v * a.input.quantization.scale * 0.9);
      const r = sim.run(x, { floatReference: true });
      assert.ok(r.float, 'float result present');
      assert.strictEqual(r.float!.scores.length, r.scores.length);
      assert.ok(Math.abs(r.float!.scores.reduce((p, v) => p + v, 0) - 1) < 1e-9, 'float softmax sums to 1');
      assert.strictEqual(r.float!.maxAbsError, Math.max(...r.float!.scores.map((v, i) => Math.abs(v - r.scores[i]))));
      if (r.float!.label === r.label) agree++;
      worst = Math.max(worst, r.float!.maxAbsError);
    }
    assert.ok(worst > 0 && worst < 0.15, `worst |int8 - float| ${worst}`);
    assert.ok(agree >= 0.8 * n, `labels agree on ${agree} of ${n}`);
  });

  it('says why there is no float reference when the artifact has no float section', function () {
    const r = new McuSimulator(denseModel(), 'uno').run(new Array(33).fill(0), { floatReference: true });
    assert.strictEqual(r.float, undefined);
    assert.match(r.floatReferenceNote, /no "float" section/);
  });
});
