import assert from 'assert';
import fs from 'fs';
import path from 'path';
import boardModule from '../../nodes/tinyml-board';
import captureModule from '../../nodes/tinyml-capture';
import windowModule from '../../nodes/tinyml-window';
import datasetModule from '../../nodes/tinyml-dataset';
import type { NodeDef } from '../../nodes/red-types';
import { readLongCsv } from '../../src/io/long-csv';
import { DatasetStore } from '../../src/dataset/store';
import { sharedSerialPool } from '../../src/serial/serial-pool';
import { collect, useNodeRuntime, waitFor } from '../support/node-test-runtime';
import { SHARED_DATA_TAG, sharedDataDir } from '../support/shared-data';
import { requireTool } from '../support/tools';

describe(`flow: replay board -> capture -> window -> dataset (real gesture recordings) ${SHARED_DATA_TAG}`, function () {
  beforeEach(() => requireTool('python3', 'python3'));
  const runtime = useNodeRuntime({
    prefix: 'tinyml-flow-',
    settings: () => ({ tinyml: { replayDirs: [sharedDataDir()] } }),
    afterStop: () => assert.strictEqual(sharedSerialPool().size, 0),
  });
  const { helper } = runtime;

  it('records one 119-sample window per replayed gesture, each equal to its recording, none across two gestures', async function () {
    this.timeout(40000);
    const file = path.join(sharedDataDir(), 'gestures', 'gestures.csv');
    const flow: NodeDef[] = [
      { id: 'b1', type: 'tinyml-board', name: 'replay', boardType: 'replay', baud: 115200, replayFile: file, replayRate: 119, replaySpeed: 4, replayLoop: false, replaySegment: 'recorder_id,gesture,rep_id', replayLabel: 'gesture' },
      { id: 'c1', type: 'tinyml-capture', board: 'b1', batch: 16, timestamp: 'auto', axes: '', wires: [['w1']] },
      { id: 'w1', type: 'tinyml-window', mode: 'sliding', length: 119, lengthUnit: 'samples', stride: 119, strideUnit: 'samples', partial: 'drop', wires: [['d1']] },
      { id: 'd1', type: 'tinyml-dataset', dataset: 'replayed', label: 'gesture', group: 'replay', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ];
    await helper.load([boardModule, captureModule, windowModule, datasetModule], flow);
    const recorded = collect<{ record: { id: number } }>('out');
    await waitFor(() => recorded.length >= 12, 30000, '12 recorded windows');
    await helper.unload();

    const s = await DatasetStore.open(path.join(runtime.userDir, 'tinyml', 'datasets'), 'replayed', { readOnly: true });
    const recs = await s.readAll();
    assert.ok(recs.length >= 12);
    const gestures = readLongCsv(fs.readFileSync(file, 'utf8'), { segment: ['recorder_id', 'gesture', 'rep_id'], label: 'gesture' }).recordings;
    // The replay starts at the first gesture; a gesture cut by the port opening would be dropped, not joined.
    const keyOf = (data: number[][]): number => gestures.findIndex((g) => JSON.stringify(g.samples) === JSON.stringify(data));
    const found = recs.map((r) => keyOf(r.data));
    assert.ok(found.every((k) => k >= 0), `windows not equal to one whole gesture: ${JSON.stringify(found)}`);
    assert.deepStrictEqual(found, found.slice().sort((a, b) => a - b), 'in recording order');
    assert.strictEqual(new Set(recs.map((r) => r.segment)).size, recs.length, 'one window per segment');
    assert.ok(recs.every((r) => r.data.length === 119 && r.axes.join() === 'ax,ay,az,gx,gy,gz' && r.label === 'gesture' && r.group === 'replay'));
  });
});
