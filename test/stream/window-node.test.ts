import assert from 'assert';
import windowModule from '../../nodes/tinyml-window';
import type { NodeDef, NodeStatus } from '../../nodes/red-types';
import { HelperNode } from '../support/node-helper';
import { calls, collect, useNodeRuntime } from '../support/node-test-runtime';

interface WindowMsg {
  payload: number[][];
  axes: string[];
  rate: number;
  time: number;
  segment: number;
  window: number;
  label?: string;
  topic?: string;
  padded?: number;
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('tinyml-window node (Node-RED runtime)', () => {
  const { helper } = useNodeRuntime('tinyml-window-');

  const flow = (cfg: Record<string, unknown>): NodeDef[] => [
    { id: 'w1', type: 'tinyml-window', wires: [['out']], ...cfg },
    { id: 'out', type: 'helper' },
  ];

  it('emits sliding windows in ms from single samples and batches, never across a segment, with the label from a label-only message', async () => {
    await helper.load(windowModule, flow({ mode: 'sliding', length: 40, lengthUnit: 'ms', stride: 40, strideUnit: 'ms', partial: 'zero' }));
    const w = helper.getNode('w1') as HelperNode;
    const msgs = collect<WindowMsg>('out');
    const statuses = calls<NodeStatus>(w, 'status');
    w.receive({ label: 'wave' });
    for (let i = 0; i < 6; i++) w.receive({ payload: [i, -i], axes: ['x', 'y'], rate: 100, time: i * 10, segment: 0, topic: 'board' });
    w.receive({ payload: [[6, -6], [7, -7], [8, -8], [9, -9]], time: [60, 70, 80, 90], axes: ['x', 'y'], rate: 100, segment: 1, gap: true });
    await tick();
    assert.deepStrictEqual(msgs.map((m) => m.payload.map((r) => r[0])), [[0, 1, 2, 3], [4, 5, 0, 0], [6, 7, 8, 9]]);
    assert.deepStrictEqual(msgs.map((m) => m.segment), [0, 0, 1]);
    assert.deepStrictEqual(msgs.map((m) => m.window), [0, 1, 2]);
    assert.ok(msgs.every((m) => m.label === 'wave' && m.topic === 'wave' && m.rate === 100 && m.axes.join() === 'x,y'));
    assert.strictEqual(msgs[1].padded, 2);
    assert.strictEqual(msgs[2].time, 60);
    assert.match(statuses[statuses.length - 1].text ?? '', /3 windows.*0 dropped, 1 padded.*wave/);
  });

  it('uses msg.topic as the label only when configured, and reports bad samples through done(err)', async () => {
    await helper.load(windowModule, flow({ mode: 'sliding', length: 2, lengthUnit: 'samples', stride: 2, strideUnit: 'samples', labelFromTopic: true, defaultLabel: 'idle' }));
    const w = helper.getNode('w1') as HelperNode;
    const msgs = collect<WindowMsg>('out');
    const errors = calls<unknown>(w, 'error');
    w.receive({ payload: [1] });
    w.receive({ payload: [2] });
    w.receive({ payload: [3], topic: 'flex' });
    w.receive({ payload: [4] });
    w.receive({ payload: [5, 'x'] });
    await tick();
    assert.deepStrictEqual(msgs.map((m) => m.label), ['idle', 'flex']);
    assert.strictEqual(errors.length, 1);
    assert.match(String(errors[0]), /payload must be a sample/);
  });

  it('cuts triggered windows with a pre-trigger part', async () => {
    await helper.load(windowModule, flow({ mode: 'trigger', length: 10, lengthUnit: 'samples', magnitude: 'sumAbs', threshold: 2.5, triggerAxes: 'ax,ay,az', preTrigger: 0.3 }));
    const w = helper.getNode('w1') as HelperNode;
    const msgs = collect<WindowMsg>('out');
    for (let i = 0; i < 60; i++) {
      const v = i >= 20 && i < 23 ? 1 : 0.01;
      w.receive({ payload: [v, v, v, 100], axes: ['ax', 'ay', 'az', 'gx'], rate: 119, time: i, segment: 0 });
    }
    await tick();
    assert.strictEqual(msgs.length, 1);
    assert.strictEqual(msgs[0].time, 17);
    assert.deepStrictEqual(msgs[0].payload[3], [1, 1, 1, 100]);
  });

  it('shows a red status for an invalid configuration', async () => {
    await helper.load(windowModule, flow({ mode: 'trigger', length: 10, lengthUnit: 'samples', threshold: 1, preTrigger: 2 }));
    const w = helper.getNode('w1') as HelperNode & { status: { lastCall?: { args: [NodeStatus] } } };
    const last = w.status.lastCall?.args[0];
    assert.strictEqual(last?.fill, 'red');
  });
});
