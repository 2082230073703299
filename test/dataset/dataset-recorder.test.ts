import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { DatasetMessageError } from '../../src/dataset/dataset-message-error';
import type { DatasetMessage } from '../../src/dataset/dataset-message';
import { DatasetRecorder, type DatasetRecorderOptions } from '../../src/dataset/dataset-recorder';
import { acquireDataset, DatasetStore } from '../../src/dataset/store';

const win = (k: number, label?: string): DatasetMessage => ({ payload: [[k, 1], [k, 2]], axes: ['ax', 'ay'], rate: 100, time: 1000 + k, ...(label ? { label } : {}) });

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('dataset recorder (windows, raw chunks and commands on one store)', () => {
  let base = '';
  const open: DatasetRecorder[] = [];
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-dsrec-'));
  });
  afterEach(async () => {
    for (const r of open.splice(0)) await r.close().catch(() => undefined);
    fs.rmSync(base, { recursive: true, force: true });
  });

  async function recorder(o: Partial<DatasetRecorderOptions> = {}): Promise<DatasetRecorder> {
    const r = new DatasetRecorder(await acquireDataset(base, 'gest'), { labelling: { fixedLabel: '', fromTopic: false, group: 'g1' }, recording: true, rawChunk: null, now: () => 777, ...o });
    open.push(r);
    return r;
  }
  const onDisk = async (): Promise<DatasetStore> => DatasetStore.open(base, 'gest', { readOnly: true });

  it('records windows in the order given even when not awaited, and passes each on with msg.record', async () => {
    const r = await recorder();
    const msgs = Array.from({ length: 20 }, (_, k) => win(k, k % 2 ? 'a' : 'b'));
    const outs = await Promise.all(msgs.map((m) => r.handle(m)));
    assert.deepStrictEqual(outs.map((m) => (m?.record as { id: number }).id), Array.from({ length: 20 }, (_, k) => k + 1));
    assert.strictEqual(outs[3], msgs[3], 'the window itself is passed on');
    assert.deepStrictEqual(outs[3]?.record, { dataset: 'gest', id: 4, label: 'a', group: 'g1' });
    assert.deepStrictEqual((await (await onDisk()).readAll()).map((x) => x.time), Array.from({ length: 20 }, (_, k) => 1000 + k));
  });

  it('refuses a clear without confirm and deletes nothing; clears with it', async () => {
    const r = await recorder();
    await r.handle(win(0, 'a'));
    await r.handle(win(1, 'b'));
    const e = await rejection(r.handle({ command: 'clear', confirm: 'yes' }));
    assert.ok(e instanceof DatasetMessageError);
    assert.strictEqual(e.code, 'confirm');
    assert.deepStrictEqual(e.params, { name: 'gest', count: 2 });
    assert.strictEqual((await onDisk()).count, 2, 'nothing deleted');
    // the queue goes on after a refused message
    const reply = await r.handle({ command: 'clear', confirm: true, topic: 'kept' });
    assert.deepStrictEqual(reply, { command: 'clear', confirm: true, topic: 'kept', payload: { cleared: true }, counts: {} });
    assert.strictEqual((await onDisk()).count, 0);
  });

  it('refuses an unknown command by name and writes nothing', async () => {
    const r = await recorder();
    await r.handle(win(0, 'a'));
    const e = await rejection(r.handle({ command: 'frobnicate', payload: [[1, 2]] }));
    assert.ok(e instanceof DatasetMessageError);
    assert.strictEqual(e.code, 'command');
    assert.deepStrictEqual(e.params, { command: 'frobnicate' });
    assert.match(e.message, /unknown msg\.command "frobnicate"/);
    assert.strictEqual((await onDisk()).count, 1);
  });

  it('refuses a malformed window with the problem at its index and writes nothing', async () => {
    const r = await recorder();
    const e = await rejection(r.handle({ payload: [[1, 2], [3, 'x']] }));
    assert.ok(e instanceof DatasetMessageError && e.code === 'payloadAt');
    assert.deepStrictEqual(e.params, { problem: 'msg.payload[1][1] is "x"' });
    assert.strictEqual((await onDisk()).count, 0);
  });

  it('passes windows on unrecorded after stop, records again after start, and answers counts and delete-last', async () => {
    const r = await recorder({ recording: false });
    assert.strictEqual(r.recording, false);
    const passed = await r.handle(win(0, 'a'));
    assert.strictEqual(passed?.record, undefined);
    assert.strictEqual(await r.handle({ command: 'start' }), null);
    await r.handle(win(1, 'a'));
    await r.handle(win(2, 'b'));
    assert.deepStrictEqual(await r.handle({ command: 'counts' }), { command: 'counts', payload: { a: 1, b: 1 }, total: 2 });
    assert.deepStrictEqual(await r.handle({ command: 'delete-last' }), { command: 'delete-last', payload: { id: 2, label: 'b' }, counts: { a: 1 } });
    assert.strictEqual(await r.handle({ command: 'stop' }), null);
    assert.strictEqual(r.recording, false);
    assert.strictEqual((await r.handle(win(3, 'a')))?.record, undefined);
    assert.strictEqual((await onDisk()).count, 1);
  });

  it('imports CSV text, reports its warnings, and refuses a payload that is no CSV text or a bad option', async () => {
    const warnings: string[] = [];
    const r = await recorder({ warn: (m) => warnings.push(m) });
    const reply = await r.handle({ command: 'import', payload: 'ax,ay\n1,2\n3,4\n', filename: 'wave.s1.csv' });
    assert.deepStrictEqual(reply?.payload, { imported: 1, files: 1, axes: ['ax', 'ay'], rate: null });
    assert.deepStrictEqual(reply?.counts, { wave: 1 });
    assert.deepStrictEqual((await (await onDisk()).readAll()).map((x) => [x.kind, x.label, x.group]), [['recording', 'wave', 'wave.s1']]);
    assert.deepStrictEqual(warnings, ['dataset "gest": import wave.s1.csv: no --rate and no --time column: the sample rate is unknown, so windows in ms cannot be cut from this dataset until it is given']);

    const e = await rejection(r.handle({ command: 'import', payload: 42 }));
    assert.ok(e instanceof DatasetMessageError && e.code === 'importPayload');
    assert.deepStrictEqual(e.params, { type: '42' });
    await assert.rejects(r.handle({ command: 'import', payload: 'ax\n1\n', import: { rate: -1 } }), /msg\.import\.rate must be a sample rate in Hz above 0, got -1/);
    await assert.rejects(r.handle({ command: 'import', payload: [{ filename: 'b.csv', payload: 'ax\n1\n' }], import: { time: 'when' } }), /^Error: dataset "gest": import b\.csv: .*'when'/);
    assert.strictEqual((await onDisk()).count, 1);
  });

  it('records raw capture samples in chunks, writes the chunk in progress on stop, export and close', async () => {
    const r = await recorder({ rawChunk: 3, labelling: { fixedLabel: 'wave', fromTopic: false, group: 'g1' } });
    const sample = (seq: number): DatasetMessage => ({ payload: [seq], axes: ['v'], rate: 10, time: seq * 100, seq, segment: 1, topic: 'uno' });
    for (let i = 0; i < 4; i++) assert.strictEqual(await r.handle(sample(i)), null, 'raw samples are not passed on');
    assert.strictEqual(r.pendingRawSamples, 1);
    await r.handle({ command: 'stop' });
    assert.strictEqual(r.pendingRawSamples, 0, 'stop wrote the chunk in progress');
    await r.handle(sample(99));
    assert.strictEqual(r.pendingRawSamples, 0, 'dropped while stopped');
    await r.handle({ command: 'start' });
    for (let i = 4; i < 6; i++) await r.handle(sample(i));
    const exported = await r.handle({ command: 'export', format: 'json' });
    assert.strictEqual(exported?.filename, 'gest.json');
    assert.strictEqual((exported?.payload as { records: unknown[] }).records.length, 3, 'export wrote the chunk in progress first');
    void r.handle(sample(6));
    await r.close();
    open.splice(0);
    const recs = await (await onDisk()).readAll();
    assert.deepStrictEqual(recs.map((x) => [x.kind, x.data.map((v) => v[0]), x.label, x.fields]), [
      ['recording', [0, 1, 2], 'wave', { part: '0', seq: '0' }],
      ['recording', [3], 'wave', { part: '1', seq: '3' }],
      ['recording', [4, 5], 'wave', { part: '2', seq: '4' }],
      ['recording', [6], 'wave', { part: '3', seq: '6' }],
    ]);
  });
});
