import assert from 'assert';
import fs from 'fs';
import path from 'path';
import datasetModule from '../../nodes/tinyml-dataset';
import type { NodeDef, NodeStatus } from '../../nodes/red-types';
import { DatasetStore } from '../../src/dataset/store';
import { HelperNode } from '../support/node-helper';
import { calls, collect, useNodeRuntime, waitFor } from '../support/node-test-runtime';

type Msg = Record<string, unknown>;

const win = (label: string | undefined, k: number): Msg => ({ payload: [[k, 1], [k, 2], [k, 3]], axes: ['ax', 'ay'], rate: 100, time: 1000 + k, segment: 2, ...(label ? { label } : {}) });

describe('tinyml-dataset node (Node-RED runtime)', () => {
  const runtime = useNodeRuntime('tinyml-dsnode-');
  const { helper } = runtime;

  const flow = (cfg: Record<string, unknown> = {}): NodeDef[] => [
    { id: 'd1', type: 'tinyml-dataset', dataset: 'gest', group: 'ann', wires: [['out']], ...cfg },
    { id: 'out', type: 'helper' },
  ];

  const statuses = (node: HelperNode): NodeStatus[] => calls<NodeStatus>(node, 'status');

  it('records labelled windows to disk, counts them in the status, and restores the counts after a reload', async () => {
    await helper.load(datasetModule, flow({ label: 'idle' }));
    let d = helper.getNode('d1') as HelperNode;
    let st = statuses(d);
    const out = collect('out');
    for (let k = 0; k < 3; k++) d.receive(win('punch', k));
    d.receive(win('flex', 3));
    d.receive(win(undefined, 4));
    await waitFor(() => out.length === 5, 5000, '5 recorded windows');
    assert.deepStrictEqual(out.map((m) => (m.record as { id: number }).id), [1, 2, 3, 4, 5]);
    assert.deepStrictEqual(out.map((m) => (m.record as { label: string }).label), ['punch', 'punch', 'punch', 'flex', 'idle']);
    assert.strictEqual(st[st.length - 1].text, 'punch 3 · flex 1 · idle 1');

    const s = await DatasetStore.open(path.join(runtime.userDir, 'tinyml', 'datasets'), 'gest', { readOnly: true });
    const recs = await s.readAll();
    assert.strictEqual(recs.length, 5);
    assert.deepStrictEqual(recs[3], { id: 4, kind: 'window', time: 1003, axes: ['ax', 'ay'], rate: 100, data: [[3, 1], [3, 2], [3, 3]], label: 'flex', group: 'ann', segment: 2 });

    await helper.unload();
    await helper.load(datasetModule, flow({ label: 'idle' }));
    d = helper.getNode('d1') as HelperNode;
    st = statuses(d);
    await waitFor(() => st.some((x) => x.text === 'punch 3 · flex 1 · idle 1'), 5000, 'counts restored after reload');
  });

  it('obeys start/stop, delete-last, clear only with confirm, counts and export commands', async () => {
    await helper.load(datasetModule, flow());
    const d = helper.getNode('d1') as HelperNode;
    const st = statuses(d);
    const out = collect('out');
    const errors = calls<unknown>(d, 'error');

    d.receive(win('a', 0));
    d.receive(win('b', 1));
    d.receive({ command: 'stop' });
    d.receive(win('a', 2));
    await waitFor(() => out.length === 3, 5000, 'two records and one pass-through');
    assert.strictEqual(out[2].record, undefined, 'not recorded while stopped');
    assert.match(st[st.length - 1].text ?? '', /\(paused\)$/);
    d.receive({ command: 'start' });
    d.receive(win('a', 3));
    d.receive({ command: 'delete-last' });
    await waitFor(() => out.length === 5, 5000, 'delete-last reply');
    assert.deepStrictEqual(out[4].payload, { id: 3, label: 'a' });
    d.receive({ command: 'counts' });
    await waitFor(() => out.length === 6, 5000, 'counts');
    assert.deepStrictEqual(out[5].payload, { a: 1, b: 1 });

    d.receive({ command: 'export' });
    d.receive({ command: 'export', format: 'json' });
    await waitFor(() => out.length === 8, 5000, 'exports');
    assert.strictEqual(out[6].payload, 'record_id,label,group,t_idx,ax,ay\n1,a,ann,0,0,1\n1,a,ann,1,0,2\n1,a,ann,2,0,3\n2,b,ann,0,1,1\n2,b,ann,1,1,2\n2,b,ann,2,1,3\n');
    assert.strictEqual(out[6].filename, 'gest.csv');
    assert.strictEqual((out[7].payload as { records: unknown[] }).records.length, 2);

    d.receive({ command: 'clear' });
    await waitFor(() => errors.length === 1, 5000, 'clear refused');
    assert.match(String(errors[0]), /clear deletes all 2 records: send msg.command "clear" with msg.confirm = true/);
    d.receive({ command: 'clear', confirm: true });
    await waitFor(() => out.length === 9, 5000, 'cleared');
    assert.strictEqual(st[st.length - 1].text, 'empty');
    d.receive({ command: 'frobnicate' });
    await waitFor(() => errors.length === 2, 5000, 'unknown command');
    assert.match(String(errors[1]), /unknown msg.command "frobnicate"/);
  });

  it('imports long-format CSV text by command (one recording per segment) and names a bad option', async () => {
    await helper.load(datasetModule, flow());
    const d = helper.getNode('d1') as HelperNode;
    const out = collect('out');
    const errors = calls<unknown>(d, 'error');
    const csv = 'subject,gesture,t_ms,ax_g,ay_g\nR01,punch,0,1,2\nR01,punch,10,3,4\nR01,flex,0,5,6\nR02,flex,0,7,8\nR02,flex,10,9,10\n';
    d.receive({ command: 'import', payload: csv, import: { label: 'gesture', segment: 'subject,gesture', group: 'subject', time: 't_ms' } });
    await waitFor(() => out.length === 1, 5000, 'import reply');
    assert.deepStrictEqual(out[0].payload, { imported: 3, files: 1, axes: ['ax', 'ay'], rate: 100 });
    assert.deepStrictEqual(out[0].counts, { punch: 1, flex: 2 });
    const s = await DatasetStore.open(path.join(runtime.userDir, 'tinyml', 'datasets'), 'gest', { readOnly: true });
    const recs = await s.readAll();
    assert.deepStrictEqual(recs.map((r) => [r.kind, r.label, r.group, r.data]), [
      ['recording', 'punch', 'R01', [[1, 2], [3, 4]]],
      ['recording', 'flex', 'R01', [[5, 6]]],
      ['recording', 'flex', 'R02', [[7, 8], [9, 10]]],
    ]);
    d.receive({ command: 'import', payload: csv, import: { lable: 'gesture' } });
    d.receive({ command: 'import', payload: { file: 'x.csv' } });
    d.receive({ command: 'import', payload: csv, import: { time: 'when' } });
    await waitFor(() => errors.length === 3, 5000, 'three refused imports');
    assert.match(String(errors[0]), /msg\.import\.lable is not an import option/);
    assert.match(String(errors[1]), /needs the CSV text in msg\.payload .* got object/);
    assert.match(String(errors[2]), /the time column 'when' is not in the header/);
  });

  it('imports several Edge Impulse CSV files by command, the label taken from each file name', async () => {
    await helper.load(datasetModule, flow());
    const d = helper.getNode('d1') as HelperNode;
    const out = collect('out');
    const ei = (k: number): string => 'timestamp,accX,accY\r\n' + Array.from({ length: 5 }, (_, i) => `${i * 16},${k + i},${-i}`).join('\r\n') + '\r\n';
    d.receive({ command: 'import', payload: [{ filename: 'wave.2hhmlk4v.csv', payload: ei(1) }, { filename: 'uploads/idle.s1.csv', payload: ei(2) }, { filename: 'wave.9x.csv', payload: ei(3) }] });
    await waitFor(() => out.length === 1, 5000, 'import reply');
    assert.deepStrictEqual(out[0].payload, { imported: 3, files: 3, axes: ['accx', 'accy'], rate: 62.5 });
    assert.deepStrictEqual(out[0].counts, { wave: 2, idle: 1 });
    const s = await DatasetStore.open(path.join(runtime.userDir, 'tinyml', 'datasets'), 'gest', { readOnly: true });
    const recs = await s.readAll();
    assert.deepStrictEqual(recs.map((r) => [r.label, r.group, r.data.length, r.data[1][0]]), [['wave', 'wave.2hhmlk4v', 5, 2], ['idle', 'idle.s1', 5, 3], ['wave', 'wave.9x', 5, 4]]);
  });

  it('records the raw capture samples wired to it in chunks (recordRaw), beside the windows, never holding more than one chunk', async () => {
    await helper.load(datasetModule, flow({ recordRaw: true, rawChunk: 4, label: 'wave' }));
    const d = helper.getNode('d1') as HelperNode;
    const out = collect('out');
    const sample = (seq: number, segment: number): Msg => ({ payload: [seq, -seq], axes: ['ax', 'ay'], rate: 100, time: 5000 + seq * 10, seq, segment, topic: 'uno' });
    for (let i = 0; i < 6; i++) d.receive(sample(i, 1));
    // a batch message of the capture node (3 samples in one payload), then a new segment
    d.receive({ payload: [[6, -6], [7, -7], [8, -8]], axes: ['ax', 'ay'], rate: 100, time: [5060, 5070, 5080], seq: 6, segment: 1 });
    for (let i = 9; i < 11; i++) d.receive(sample(i, 2));
    d.receive(win(undefined, 1));
    await waitFor(() => out.length === 1, 5000, 'the window passed on');
    assert.deepStrictEqual(out[0].payload, [[1, 1], [1, 2], [1, 3]], 'only the window is passed on, not the raw samples');
    const base = path.join(runtime.userDir, 'tinyml', 'datasets');
    const before = await (await DatasetStore.open(base, 'gest', { readOnly: true })).readAll();
    // full chunks are on disk already: seq 0-3, 4-7; the rest (8 ends segment 1; 9, 10) waits
    assert.deepStrictEqual(before.filter((r) => r.kind === 'recording').map((r) => r.data.map((x) => x[0])), [[0, 1, 2, 3], [4, 5, 6, 7], [8]]);
    d.receive({ command: 'stop' });
    d.receive({ command: 'counts' });
    await waitFor(() => out.length === 2, 5000, 'counts');
    const recs = (await (await DatasetStore.open(base, 'gest', { readOnly: true })).readAll()).filter((r) => r.kind === 'recording');
    assert.deepStrictEqual(recs.map((r) => [r.data.map((x) => x[0]), r.segment, r.fields, r.label, r.group, r.rate, r.axes, r.time]), [
      [[0, 1, 2, 3], 1, { part: '0', seq: '0' }, 'wave', 'ann', 100, ['ax', 'ay'], 5000],
      [[4, 5, 6, 7], 1, { part: '1', seq: '4' }, 'wave', 'ann', 100, ['ax', 'ay'], 5040],
      [[8], 1, { part: '2', seq: '8' }, 'wave', 'ann', 100, ['ax', 'ay'], 5080],
      [[9, 10], 2, { part: '0', seq: '9' }, 'wave', 'ann', 100, ['ax', 'ay'], 5090],
    ]);
    // stopped: raw samples are dropped, like windows
    d.receive(sample(11, 2));
    d.receive({ command: 'counts' });
    await waitFor(() => out.length === 3, 5000, 'counts after stop');
    assert.deepStrictEqual(out[2].payload, { wave: 5 });
  });

  it('writes the raw chunk in progress when the flow is redeployed', async () => {
    await helper.load(datasetModule, flow({ recordRaw: true }));
    const d = helper.getNode('d1') as HelperNode;
    for (let i = 0; i < 7; i++) d.receive({ payload: [i], axes: ['v'], rate: 50, time: i * 20, seq: 100 + i, segment: 0 });
    await helper.unload();
    const recs = await (await DatasetStore.open(path.join(runtime.userDir, 'tinyml', 'datasets'), 'gest', { readOnly: true })).readAll();
    assert.deepStrictEqual(recs.map((r) => [r.kind, r.data.length, r.fields]), [['recording', 7, { part: '0', seq: '100' }]]);
  });

  it('lists the datasets and their counts for the editor', async () => {
    await helper.load(datasetModule, flow());
    const d = helper.getNode('d1') as HelperNode;
    const out = collect('out');
    d.receive(win('punch', 0));
    await waitFor(() => out.length === 1, 5000, 'recorded');
    const res = await helper.request().get('/tinyml/datasets').expect(200);
    assert.deepStrictEqual(res.body, [{ name: 'gest', records: 1, counts: { punch: 1 } }]);
  });

  it('refuses an invalid dataset name with a red status', async () => {
    await helper.load(datasetModule, flow({ dataset: '../etc' }));
    const d = helper.getNode('d1') as HelperNode & { status: { lastCall?: { args: [NodeStatus] } } };
    assert.strictEqual(d.status.lastCall?.args[0].fill, 'red');
    assert.ok(!fs.existsSync(path.join(runtime.userDir, 'tinyml')));
  });
});
