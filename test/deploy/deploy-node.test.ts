/**
 * The tinyml-deploy node in a real Node-RED runtime with a tinyml-board of type emulated-uno
 * (optiboot + the capture sketch behind a stable link): deploy in hardware-in-the-loop mode
 * (stages as progress messages, the port lent and given back, the board reconnected), then
 * samples streamed through the firmware equal the simulator on every window. Also: a model that
 * does not fit fails at the size stage and the capture connection is never interrupted.
 */
import assert from 'assert';
import type { BoardNode } from '../../nodes/board-api';
import { NodeModule } from '../support/node-helper';
import { catchCollector, collect, useNodeRuntime, waitFor } from '../support/node-test-runtime';
import { requireAvrTools } from '../support/emulator';
import { requireTool } from '../support/tools';
import { activity } from '../../src/editor/activity-feed';
import { deployTestModel, oversizedModel, syntheticStream, WINDOW } from './deploy-fixtures';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const boardNode = require('../../nodes/tinyml-board') as NodeModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const deployNode = require('../../nodes/tinyml-deploy') as NodeModule;

interface Msg { topic?: string; payload: Record<string, unknown>; error?: { message: string } }

describe('tinyml-deploy node on an emulated-uno board', function () {
  this.timeout(180_000);
  before(() => {
    requireAvrTools();
    requireTool('avrdude', 'avrdude');
  });
  const { helper } = useNodeRuntime('tml-deploy-node-');

  const flow = [
    { id: 'b', type: 'tinyml-board', boardType: 'emulated-uno', baud: 115200 },
    { id: 'd', type: 'tinyml-deploy', board: 'b', mode: 'hil', stride: '16', wires: [['out'], ['progress']] },
    ...catchCollector(['d'], 'err'),
    { id: 'out', type: 'helper' }, { id: 'progress', type: 'helper' },
  ];

  it('deploys, reports stages, gives the port back, and streams samples equal to the simulator', async () => {
    await helper.load([boardNode, deployNode], flow);
    const board = helper.getNode('b') as unknown as BoardNode;
    await waitFor(() => board.portStatus.state === 'connected', 60_000, 'the emulated Uno connected');
    assert.match(board.portPath ?? '', /tinyml[\\/]dev[\\/]emulated-uno-b$/);
    const states: string[] = [];
    board.subscribe({ onState: (s) => states.push(s.state) });
    const progress = collect<Msg>('progress');
    const results = collect<Msg>('out');
    const errors: string[] = [];
    helper.getNode('err')!.on('input', (m: never) => errors.push((m as Msg).error?.message ?? '?'));

    const artifact = deployTestModel();
    helper.getNode('d')!.receive({ model: JSON.parse(JSON.stringify(artifact)) });
    await waitFor(() => results.length > 0 || errors.length > 0, 120_000, 'the deploy finished');
    assert.deepStrictEqual(errors, []);
    assert.strictEqual(results[0].topic, 'deployed');
    assert.strictEqual(results[0].payload.hash, artifact.hash);
    assert.deepStrictEqual(progress.filter((p) => p.payload.state === 'done').map((p) => p.payload.stage), ['generate', 'compile', 'size', 'upload', 'verify']);
    assert.ok(states.includes('lent'), `the port was lent (${states.join(',')})`);
    assert.strictEqual(board.portStatus.state, 'connected');
    // The sidebar's "last deploy" shows this run, every stage done.
    const shown = activity.snapshot().deploy;
    assert.ok(shown && shown.model === artifact.name && shown.state === 'done', JSON.stringify(shown));
    assert.deepStrictEqual(shown.stages.filter((st) => st.state === 'done').map((st) => st.name), ['generate', 'compile', 'size', 'upload', 'verify']);

    const samples = syntheticStream(5, WINDOW + 16 * 20);
    helper.getNode('d')!.receive({ topic: 'samples', payload: samples });
    await waitFor(() => results.length > 1 || errors.length > 0, 60_000, 'the stream finished');
    assert.deepStrictEqual(errors, []);
    assert.strictEqual(results[1].topic, 'hil');
    assert.strictEqual(results[1].payload.windows, 21);
    assert.strictEqual(results[1].payload.matched, 21);
    assert.strictEqual(progress.filter((p) => p.topic === 'window' && p.payload.match === true).length, 21);
  });

  it('fails at the size stage for a model that does not fit, without lending the port', async () => {
    await helper.load([boardNode, deployNode], flow);
    const board = helper.getNode('b') as unknown as BoardNode;
    await waitFor(() => board.portStatus.state === 'connected', 60_000, 'the emulated Uno connected');
    const states: string[] = [];
    board.subscribe({ onState: (s) => states.push(s.state) });
    const errors: string[] = [];
    helper.getNode('err')!.on('input', (m: never) => errors.push((m as Msg).error?.message ?? '?'));
    helper.getNode('d')!.receive({ model: JSON.parse(JSON.stringify(oversizedModel())) });
    await waitFor(() => errors.length > 0, 120_000, 'the refusal');
    assert.match(errors[0], /size: model "too_big" does not fit the Virtual: emulated Uno \(simavr\), nothing was uploaded: flash: the sketch needs \d+ bytes/);
    assert.ok(!states.includes('lent'), states.join(','));
    const shown = activity.snapshot().deploy;
    assert.ok(shown && shown.model === 'too_big' && shown.state === 'failed' && shown.stages.some((st) => st.name === 'size' && st.state === 'failed'), JSON.stringify(shown));
  });
});
