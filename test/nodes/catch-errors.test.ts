/**
 * Bad input reaches a Catch node: every node of the capture-to-dataset chain reports what was
 * wrong and where through node.error(err, msg) / done(err), with a red status, in a real
 * Node-RED runtime with Node-RED's own Catch node.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import boardModule from '../../nodes/tinyml-board';
import captureModule from '../../nodes/tinyml-capture';
import datasetModule from '../../nodes/tinyml-dataset';
import featuresModule from '../../nodes/tinyml-features';
import type { NodeDef, NodeStatus } from '../../nodes/red-types';
import windowModule from '../../nodes/tinyml-window';
import { sharedSerialPool } from '../../src/serial/serial-pool';
import { HelperNode } from '../support/node-helper';
import { catchCollector, Caught, collect, useNodeRuntime, waitFor } from '../support/node-test-runtime';
import { makeDevice } from '../support/pty';

/** The node's last status (the helper's spy on Node.prototype.status records the calls of every node). */
function lastStatus(node: HelperNode): NodeStatus | undefined {
  const calls = (node as unknown as { status: { getCalls(): Array<{ thisValue: unknown; args: [NodeStatus] }> } }).status.getCalls();
  return calls.filter((c) => c.thisValue === node).pop()?.args[0];
}

/**
 * A tab with the nodes under test and Node-RED's Catch node (scope: the whole tab; the helper
 * loads the core module) wired to a helper. Flow nodes need x/y: without them Node-RED takes
 * a node for a config node.
 */
function withCatch(nodes: NodeDef[]): NodeDef[] {
  const placed = (n: NodeDef): NodeDef => ({ ...n, z: 'tab', ...(n.type === 'tinyml-board' ? {} : { x: 100, y: 100 }) });
  return [
    { id: 'tab', type: 'tab', label: 'catch' } as NodeDef,
    ...[...nodes, ...catchCollector(null)].map(placed),
  ];
}

describe('bad input reaches a Catch node with a message naming what and where (Node-RED runtime)', function () {
  this.timeout(20000);
  const runtime = useNodeRuntime('tinyml-catch-');
  const { helper } = runtime;

  it('capture: a board that cannot open its port (two boards, other settings, one path) is caught once, naming both', async () => {
    const link = path.join(runtime.userDir, 'uno');
    const dev = await makeDevice(link);
    try {
      await helper.load([boardModule, captureModule], withCatch([
        { id: 'b1', type: 'tinyml-board', name: 'first', path: link, baud: 115200, boardType: 'uno' },
        { id: 'b2', type: 'tinyml-board', name: 'second', path: link, baud: 9600, boardType: 'uno' },
        { id: 'c1', type: 'tinyml-capture', board: 'b1', batch: 1, timestamp: 'auto', axes: '', wires: [[]] },
        { id: 'c2', type: 'tinyml-capture', board: 'b2', batch: 1, timestamp: 'auto', axes: '', wires: [[]] },
      ]));
      const caught = collect<Caught>('caught');
      await waitFor(() => caught.length >= 1, 3000, 'a caught capture error');
      await new Promise((r) => setTimeout(r, 300));
      assert.strictEqual(caught.length, 1, 'one report for one error');
      assert.strictEqual(caught[0].error.source.id, 'c2');
      assert.match(caught[0].error.message, /^second: serial port .* is already open by 'first' at 115200 baud; 'second' asks for 9600 baud/);
      assert.strictEqual(lastStatus(helper.getNode('c2') as HelperNode)?.fill, 'red');
    } finally {
      await helper.unload();
      await dev.stop();
    }
    assert.strictEqual(sharedSerialPool().size, 0);
  });

  it('capture: a port path that is no device path is caught, naming the path problem', async () => {
    await helper.load([boardModule, captureModule], withCatch([
      { id: 'b1', type: 'tinyml-board', name: 'uno', path: '/dev/../etc/passwd', baud: 115200, boardType: 'uno' },
      { id: 'c1', type: 'tinyml-capture', board: 'b1', batch: 1, timestamp: 'auto', axes: '', wires: [[]] },
    ]));
    const caught = collect<Caught>('caught');
    await waitFor(() => caught.length === 1, 3000, 'a caught capture error');
    assert.strictEqual(caught[0].error.source.id, 'c1');
    assert.match(caught[0].error.message, /^uno: .*'\.\.'/);
  });

  it('window: a sample holding a string is caught, naming the element', async () => {
    await helper.load(windowModule, withCatch([
      { id: 'w1', type: 'tinyml-window', length: 4, lengthUnit: 'samples', stride: 2, strideUnit: 'samples', partial: 'drop', wires: [[]] },
    ]));
    const caught = collect<Caught>('caught');
    const w = helper.getNode('w1') as HelperNode;
    w.receive({ payload: [[1, 2], [3, 'x']], rate: 50 });
    await waitFor(() => caught.length === 1, 3000, 'a caught window error');
    assert.strictEqual(caught[0].error.source.id, 'w1');
    assert.match(caught[0].error.message, /msg\.payload\[1\]\[1\] is "x"/);
    assert.deepStrictEqual(caught[0].payload, [[1, 2], [3, 'x']], 'the Catch node gets the offending message');
    assert.strictEqual(lastStatus(w)?.fill, 'red');
  });

  it('features: a payload that is not a window, and a window without a rate, are caught', async () => {
    await helper.load([featuresModule], withCatch([
      { id: 'f1', type: 'tinyml-features', stats: true, statList: 'mean,rms', wires: [[]] },
    ]));
    const caught = collect<Caught>('caught');
    const f = helper.getNode('f1') as HelperNode;
    f.receive({ payload: 'hello', rate: 100 });
    f.receive({ payload: [[1, 2], [3, 4]] });
    await waitFor(() => caught.length === 2, 3000, 'two caught features errors');
    assert.ok(caught.every((c) => c.error.source.id === 'f1'));
    assert.match(caught[0].error.message, /msg\.payload must be a window .* got string/);
    assert.match(caught[1].error.message, /msg\.rate .* is missing/);
    assert.strictEqual(lastStatus(f)?.fill, 'red');
  });

  it('dataset: a malformed window, a string payload and a clear without confirmation are caught; nothing is written', async () => {
    await helper.load([datasetModule], withCatch([
      { id: 'd1', type: 'tinyml-dataset', dataset: 'gest', label: 'idle', wires: [[]] },
    ]));
    const caught = collect<Caught>('caught');
    const d = helper.getNode('d1') as HelperNode;
    d.receive({ payload: [[1, 2], [3]], rate: 100 });
    d.receive({ payload: [[1, 2], [3, null]], rate: 100 });
    d.receive({ payload: 'punch' });
    d.receive({ command: 'clear' });
    await waitFor(() => caught.length === 4, 3000, 'four caught dataset errors');
    assert.ok(caught.every((c) => c.error.source.id === 'd1'));
    assert.match(caught[0].error.message, /msg\.payload\[1\] has 1 values where msg\.payload\[0\] has 2/);
    assert.match(caught[1].error.message, /msg\.payload\[1\]\[1\] is null/);
    assert.match(caught[2].error.message, /msg\.payload is "punch"/);
    assert.match(caught[3].error.message, /clear deletes all 0 records: send msg.command "clear" with msg.confirm = true/);
    assert.strictEqual(lastStatus(d)?.fill, 'red');
    const records = fs.readFileSync(path.join(runtime.userDir, 'tinyml', 'datasets', 'gest', 'records.jsonl'), 'utf8');
    assert.strictEqual(records, '');
  });
});
