/**
 * The simulated MCU and the CLI built on it: same int8 bits as the interpreter, cost figures,
 * refusal when the model does not fit, eval's JSON contract and --dump, export's files.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { PassThrough } from 'stream';
import { main } from '../../src/cli/main';
import { estimateCost } from '../../src/boards/cost-model';
import { simulate, SimulationError } from '../../src/mcu/simulate';
import { runModel } from '../../src/mcu/interpreter';
import { quantizeInput } from '../../src/mcu/quantize-io';
import { inspectTflite } from '../support/tflite-inspect';
import { buildModel, denseModel } from '../support/tflite-models';
import { tempDir } from '../support/tflite-readers';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: string[] = [];
  const errs: string[] = [];
  out.on('data', (d: Buffer) => chunks.push(d.toString()));
  err.on('data', (d: Buffer) => errs.push(d.toString()));
  const code = await main(args, out, err);
  return { code, out: chunks.join(''), err: errs.join('') };
}

describe('simulated MCU', function () {
  it('gives the interpreter int8 output, the label of the highest score and the board cost', function () {
    const m = denseModel();
    const features = Array.from({ length: 33 }, (_, i) => Math.sin(i) * 2);
    const r = simulate(m, 'uno', features);
    assert.deepStrictEqual(r.raw, Array.from(runModel(m, quantizeInput(m, features)).output));
    assert.strictEqual(r.label, m.labels[r.raw.indexOf(Math.max(...r.raw))]);
    assert.ok(Math.abs(r.scores.reduce((a, b) => a + b, 0) - 1) < 0.05, 'softmax scores sum to ~1');
    assert.ok(r.fits && r.latencyMs > 1 && r.latencyMs < 50, `latency ${r.latencyMs}`);
    assert.ok(r.ramBytes < 2048 && r.flashBytes < 32_256);
  });

  it('refuses a model that does not fit, naming the RAM needed and the board', function () {
    const m = buildModel('wide', 3, [100, 3], [{ op: 'conv', filters: 16, kernel: 3, stride: 1, padding: 'same', activation: 'relu' }, { op: 'flatten' }, { op: 'fc', units: 2, activation: 'none', perChannel: true }], ['a', 'b']);
    const est = estimateCost(m, 'uno');
    assert.strictEqual(est.fits, false);
    assert.throws(() => simulate(m, 'uno', new Array(300).fill(0)), (e: Error) => e instanceof SimulationError && /needs ~\d+ bytes of RAM .* the Arduino Uno has 2048/.test(e.message));
    assert.strictEqual(simulate(m, 'uno', new Array(300).fill(0), { requireFit: false }).fits, false);
    const fitsBig = estimateCost(m, 'nano33ble');
    assert.ok(fitsBig.fits && fitsBig.latencyMs.value < estimateCost(m, 'uno').latencyMs.value / 10);
  });

  it('rejects inputs of the wrong size with the sizes in the message', function () {
    assert.throws(() => simulate(denseModel(), 'uno', [1, 2, 3]), /takes 33 features, got a vector of 3/);
    assert.throws(() => simulate(denseModel(), 'replay', new Array(33).fill(0)), /does not run models/);
  });
});

describe('tinyml eval / export', function () {
  const dir = tempDir('tml-cli-');
  const modelFile = path.join(dir, 'dense.json');
  const dataFile = path.join(dir, 'data.json');

  before(function () {
    const m = denseModel();
    fs.writeFileSync(modelFile, JSON.stringify(m));
    const inputs = Array.from({ length: 10 }, (_, n) => Array.from({ length: 33 }, (_, i) => Math.cos(i * (n + 1)) * 3));
    const labels = inputs.map((x) => simulate(m, 'uno', x).label as string);
    labels[0] = labels[0] === 'idle' ? 'wave' : 'idle';
    fs.writeFileSync(dataFile, JSON.stringify({ inputs, labels }));
  });

  it('eval --json prints the contract object; --dump writes N.in.bin / N.out.bin', async function () {
    const dump = path.join(dir, 'dump');
    const r = await cli(['eval', modelFile, dataFile, '--board', 'uno', '--json', '--dump', dump]);
    assert.strictEqual(r.code, 0, r.err);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    assert.deepStrictEqual(Object.keys(j).sort(), ['accuracy_float', 'accuracy_int8', 'auc', 'board', 'confusion', 'labels', 'windows'].sort());
    assert.strictEqual(j.windows, 10);
    assert.strictEqual(j.accuracy_int8, 0.9);
    const board = j.board as Record<string, unknown>;
    assert.strictEqual(board.name, 'uno');
    assert.strictEqual(board.fits, true);
    assert.strictEqual(fs.readFileSync(path.join(dump, '3.in.bin')).length, 33);
    assert.strictEqual(fs.readFileSync(path.join(dump, '3.out.bin')).length, 4);
  });

  it('eval: user errors exit 1 with one line naming the problem', async function () {
    const r = await cli(['eval', path.join(dir, 'nope.json'), dataFile]);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /cannot read model .*nope\.json/);
    const b = await cli(['eval', modelFile, dataFile, '--board', 'mega']);
    assert.strictEqual(b.code, 1);
    assert.match(b.err, /unknown board 'mega'/);
  });

  it('export writes the C header and a .tflite; --sketch refuses a model whose features cannot run on the chip', async function () {
    const tfl = path.join(dir, 'out', 'm.tflite');
    const r = await cli(['export', modelFile, '--c', path.join(dir, 'c'), '--tflite', tfl]);
    assert.strictEqual(r.code, 0, r.err);
    assert.ok(fs.readdirSync(path.join(dir, 'c')).some((f) => f.endsWith('.h')));
    assert.strictEqual(inspectTflite(fs.readFileSync(tfl)).identifier, 'TFL3');
    const s = await cli(['export', modelFile, '--sketch', dir, '--board', 'uno']);
    assert.strictEqual(s.code, 1);
    assert.match(s.err, /feature configuration cannot be compiled for the chip/);
  });
});
