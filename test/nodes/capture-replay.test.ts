import assert from 'assert';
import fs from 'fs';
import path from 'path';
import boardModule from '../../nodes/tinyml-board';
import captureModule from '../../nodes/tinyml-capture';
import type { NodeDef, NodeStatus } from '../../nodes/red-types';
import { sharedSerialPool } from '../../src/serial/serial-pool';
import { CaptureMsg } from '../../src/stream/sample';
import { HelperNode } from '../support/node-helper';
import { calls, collect, useNodeRuntime, waitFor } from '../support/node-test-runtime';
import { makeTempDir, removeTempDir } from '../support/pty';
import { SHARED_DATA_TAG, sharedDataDir, sharedDataDirsIfPresent } from '../support/shared-data';
import { requireTool } from '../support/tools';

/** Three recordings (a, b, c) of 30 samples: x = index, y = 10 * recording number. */
function smallCsv(): string {
  const rows = ['take,t_idx,x_g,y_g'];
  ['a', 'b', 'c'].forEach((take, k) => { for (let i = 0; i < 30; i++) rows.push(`${take},${i},${i},${10 * k}`); });
  return rows.join('\n');
}

describe('tinyml-capture on a replay board (CSV through the pty bridge, Node-RED runtime)', function () {
  beforeEach(() => requireTool('python3', 'python3'));
  const runtime = useNodeRuntime({
    prefix: 'tinyml-capreplay-',
    settings: () => ({ tinyml: { replayDirs: sharedDataDirsIfPresent() } }),
    afterStop: (dir) => {
      assert.strictEqual(sharedSerialPool().size, 0);
      assert.ok(!fs.existsSync(path.join(dir, 'tinyml', 'dev', 'replay-b1')), 'replay link removed on close');
    },
  });
  const { helper } = runtime;
  beforeEach(() => {
    fs.mkdirSync(path.join(runtime.userDir, 'tinyml'), { recursive: true });
    fs.writeFileSync(path.join(runtime.userDir, 'tinyml', 'small.csv'), smallCsv());
  });

  function flow(board: Record<string, unknown>, capture: Record<string, unknown> = {}): NodeDef[] {
    return [
      { id: 'b1', type: 'tinyml-board', name: 'replay', boardType: 'replay', baud: 115200, replaySpeed: 1, replayLoop: true, ...board },
      { id: 'c1', type: 'tinyml-capture', board: 'b1', batch: 1, timestamp: 'auto', axes: '', wires: [['out']], ...capture },
      { id: 'out', type: 'helper' },
    ];
  }

  it(`replays the shared gestures at 119 Hz x 2: announced axes and units, the right rate, one segment per gesture ${SHARED_DATA_TAG}`, async function () {
    this.timeout(30000);
    const file = path.join(sharedDataDir(), 'gestures', 'gestures.csv');
    await helper.load([boardModule, captureModule], flow({
      replayFile: file, replayRate: 119, replaySpeed: 2, replaySegment: 'recorder_id,gesture,rep_id', replayLabel: 'gesture',
    }));
    const msgs = collect<CaptureMsg>('out');
    const board = helper.getNode('b1') as HelperNode & { portPath: string | null };
    await waitFor(() => msgs.length >= 400, 15000, '400 samples');
    assert.strictEqual(board.portPath, path.join(runtime.userDir, 'tinyml', 'dev', 'replay-b1'));
    const m = msgs[msgs.length - 1];
    assert.deepStrictEqual(m.axes, ['ax', 'ay', 'az', 'gx', 'gy', 'gz']);
    assert.deepStrictEqual(msgs[0].payload, [-0.388, 0.297, 2.508, 24.353, 59.631, 60.974]);
    assert.ok(m.rate !== null && Math.abs(m.rate - 238) < 12, `estimated rate ${m.rate}`);
    // Each 119-sample gesture is one segment.
    const firstSeg = msgs[0].segment;
    assert.ok(msgs.slice(0, 119).every((x) => x.segment === firstSeg));
    assert.strictEqual(msgs[119].segment, firstSeg + 1);
    assert.strictEqual(msgs[119].gap, true);
    assert.strictEqual(msgs[238].segment, firstSeg + 2);
  });

  it('batches of N never span two segments; a short last batch closes each recording', async function () {
    await helper.load([boardModule, captureModule], flow({ replayFile: 'small.csv', replayRate: 200, replaySegment: 'take' }, { batch: 8 }));
    const msgs = collect<CaptureMsg>('out');
    await waitFor(() => msgs.length >= 12, 10000, '12 batches');
    const sizes = msgs.slice(0, 12).map((m) => (m.payload as number[][]).length);
    // 30 samples per recording: 8 + 8 + 8 + 6, then the next recording.
    assert.deepStrictEqual(sizes, [8, 8, 8, 6, 8, 8, 8, 6, 8, 8, 8, 6]);
    for (const m of msgs.slice(0, 12)) {
      const rows = m.payload as number[][];
      assert.ok(Array.isArray(m.time) && m.time.length === rows.length);
      assert.ok(rows.every((r) => r[1] === rows[0][1]), 'one recording per batch');
    }
    assert.strictEqual(msgs[4].seq, msgs[3].seq + 6);
    assert.strictEqual(msgs[4].segment, msgs[3].segment + 1);
  });

  it('axis names override the announced ones', async function () {
    await helper.load([boardModule, captureModule], flow({ replayFile: 'small.csv', replayRate: 200, replaySegment: 'take' }, { axes: 'left,right', timestamp: 'us' }));
    const msgs = collect<CaptureMsg>('out');
    await waitFor(() => msgs.length >= 5, 10000, 'samples');
    assert.ok(msgs.every((m) => m.axes.join() === 'left,right'), JSON.stringify(msgs[0].axes));
  });

  it('refuses a recording outside the allowed folders, with a message saying how to allow it', async function () {
    const outside = makeTempDir('tinyml-outside-');
    try {
      fs.writeFileSync(path.join(outside, 'x.csv'), 'x\n1\n');
      await helper.load([boardModule, captureModule], flow({ replayFile: path.join(outside, 'x.csv'), replayRate: 10 }));
      const statuses = calls<NodeStatus>('c1', 'status');
      const board = helper.getNode('b1') as HelperNode & { portStatus: { state: string; message?: string } };
      await waitFor(() => board.portStatus.state === 'error', 3000, 'board error');
      assert.match(board.portStatus.message ?? '', /outside the folders a replay board may read.*tinyml\.replayDirs/);
      await waitFor(() => statuses.some((s) => s.fill === 'red'), 3000, 'red status on capture');
    } finally {
      removeTempDir(outside);
    }
  });
});
