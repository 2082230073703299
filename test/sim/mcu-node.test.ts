/**
 * The tinyml-mcu node in a real Node-RED runtime (node-red-node-test-helper): feature vector in,
 * label/scores/raw/cost out, the model from a file under <userDir>/tinyml/models or msg.model,
 * and a clear refusal when the model does not fit.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { NodeModule } from '../support/node-helper';
import { catchCollector, useNodeRuntime } from '../support/node-test-runtime';
import { buildModel, denseModel } from '../support/tflite-models';
import { simulate } from '../../src/mcu/simulate';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mcuNode = require('../../nodes/tinyml-mcu') as NodeModule;

interface Payload { label: string; scores: number[]; raw: number[]; latencyMs: number; ramBytes: number; flashBytes: number; fits: boolean; board: string }

describe('tinyml-mcu node', function () {
  // One userDir for the file: the model file is written once, before the tests.
  const runtime = useNodeRuntime({ prefix: 'tml-mcu-node-', per: 'file' });
  const { helper } = runtime;
  before(function () {
    fs.mkdirSync(path.join(runtime.userDir, 'tinyml', 'models'), { recursive: true });
    fs.writeFileSync(path.join(runtime.userDir, 'tinyml', 'models', 'dense.json'), JSON.stringify(denseModel()));
  });

  it('runs a model file on the Uno: label, scores, raw int8, latency, RAM, flash, fits', async function () {
    const flow = [{ id: 'm', type: 'tinyml-mcu', model: 'dense', board: 'uno', wires: [['out']] }, { id: 'out', type: 'helper' }];
    await helper.load(mcuNode, flow);
    const features = Array.from({ length: 33 }, (_, i) => Math.cos(i) * 2);
    const got = new Promise<Payload>((resolve) => helper.getNode('out')!.on('input', (msg: never) => resolve((msg as { payload: Payload }).payload)));
    helper.getNode('m')!.receive({ payload: features });
    const p = await got;
    const want = simulate(denseModel(), 'uno', features);
    assert.deepStrictEqual(p.raw, want.raw);
    assert.strictEqual(p.label, want.label);
    assert.strictEqual(p.board, 'uno');
    assert.ok(p.fits && p.latencyMs > 0 && p.ramBytes > 0 && p.flashBytes > 0);
  });

  it('refuses a model that does not fit, with done(err) naming RAM and the board', async function () {
    const big = buildModel('wide', 3, [100, 3], [{ op: 'conv', filters: 16, kernel: 3, stride: 1, padding: 'same', activation: 'relu' }, { op: 'flatten' }, { op: 'fc', units: 2, activation: 'none', perChannel: true }], ['a', 'b']);
    const flow = [{ id: 'm', type: 'tinyml-mcu', board: 'uno', wires: [['out']] }, ...catchCollector(['m'], 'err'), { id: 'out', type: 'helper' }];
    await helper.load(mcuNode, flow);
    const caught = new Promise<string>((resolve) => helper.getNode('err')!.on('input', (msg: never) => resolve((msg as { error: { message: string } }).error.message)));
    helper.getNode('m')!.receive({ payload: new Array(300).fill(0), model: JSON.parse(JSON.stringify(big)) });
    assert.match(await caught, /does not fit the Arduino Uno: needs ~\d+ bytes of RAM/);
  });

  it('says what is missing when no model is configured or sent', async function () {
    const flow = [{ id: 'm', type: 'tinyml-mcu', board: 'uno', wires: [[]] }, ...catchCollector(['m'], 'err')];
    await helper.load(mcuNode, flow);
    const caught = new Promise<string>((resolve) => helper.getNode('err')!.on('input', (msg: never) => resolve((msg as { error: { message: string } }).error.message)));
    helper.getNode('m')!.receive({ payload: [1, 2, 3] });
    assert.match(await caught, /no model/);
  });
});
