import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PassThrough } from 'stream';
import { main } from '../../src/cli/main';
import { edgeImpulseLabel, recordsFromLongCsv } from '../../src/dataset/import-long-csv';
import { DatasetStore } from '../../src/dataset/store';
import { SHARED_DATA_TAG, sharedDataDir } from '../support/shared-data';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await main(args, out.stream, err.stream);
  return { code, out: out.text(), err: err.text() };
}

describe('tinyml import', () => {
  let base = '';
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-import-'));
  });
  afterEach(() => {
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('imports a generated long CSV: one record per recording, group, rate from the time column, units', async () => {
    const rows = ['session,person,label,t_ms,ax_g,ay_g'];
    const recs = [['s1', 'ann', 'wave', 3], ['s2', 'ann', 'idle', 4], ['s3', 'bob', 'wave', 5]] as const;
    for (const [s, p, l, n] of recs) for (let i = 0; i < n; i++) rows.push(`${s},${p},${l},${1000 + i * 20},${i / 2},${-i}`);
    const csv = path.join(base, 'small.csv');
    fs.writeFileSync(csv, rows.join('\n') + '\n');
    const r = await run(['import', csv, '--out', 'small', '--segment', 'session', '--label', 'label', '--time', 't_ms', '--group', 'person', '--data-dir', base, '--json']);
    assert.strictEqual(r.code, 0, r.err);
    const summary = JSON.parse(r.out) as { recordings: number; rate: number; axes: string[]; counts: Record<string, number> };
    assert.strictEqual(summary.recordings, 3);
    assert.strictEqual(summary.rate, 50);
    assert.deepStrictEqual(summary.axes, ['ax', 'ay']);
    assert.deepStrictEqual(summary.counts, { wave: 2, idle: 1 });

    const s = await DatasetStore.open(base, 'small', { readOnly: true });
    const all = await s.readAll();
    assert.deepStrictEqual(all.map((x) => [x.kind, x.label, x.group, x.data.length, x.fields?.session]), [['recording', 'wave', 'ann', 3, 's1'], ['recording', 'idle', 'ann', 4, 's2'], ['recording', 'wave', 'bob', 5, 's3']]);
    assert.deepStrictEqual(all[2].data[4], [2, -4]);
    assert.deepStrictEqual(all[0].units, ['g', 'g']);
    assert.strictEqual(all[0].time, 1000);

    const again = await run(['import', csv, '--out', 'small', '--segment', 'session', '--data-dir', base]);
    assert.strictEqual(again.code, 1);
    assert.match(again.err, /^tinyml: import: dataset "small" .* already has 3 records: add --append/);
    assert.strictEqual(again.err.trim().split('\n').length, 1);
    const appended = await run(['import', csv, '--out', 'small', '--segment', 'session', '--label', 'label', '--rate', '50', '--data-dir', base, '--append']);
    assert.strictEqual(appended.code, 0, appended.err);
    assert.match(appended.out, /imported 3 recordings .*rate 50 Hz\): wave 4, idle 2/);
  });

  it("reads Edge Impulse's CSV format: the first column 'timestamp' is the time in ms, not an axis", () => {
    const text = 'timestamp,accX,accY,accZ\r\n0,4.22,1.88,-16.89\r\n16,4.47,2.00,-17.88\r\n32,4.31,2.49,-18.92\r\n48,4.64,2.95,-18.53\r\n';
    const r = recordsFromLongCsv(text, {});
    assert.deepStrictEqual(r.columns, ['accX', 'accY', 'accZ']);
    assert.strictEqual(r.rate, 62.5);
    assert.deepStrictEqual(r.records[0].data[1], [4.47, 2, -17.88]);
    assert.match(r.warnings.join('\n'), /took the first column 'timestamp' as the sample time in ms/);
    // An explicit choice wins: a 'timestamp' named as an axis stays an axis.
    const asAxis = recordsFromLongCsv(text, { axes: ['timestamp', 'accX'] });
    assert.deepStrictEqual(asAxis.columns, ['timestamp', 'accX']);
    assert.strictEqual(asAxis.rate, null);
  });

  it("imports several Edge Impulse export files at once, each '<label>.<id>.csv' labelled by its name", async () => {
    // Edge Impulse's CSV export: one file per sample, a 'timestamp' column in ms, the label only in the name
    const files: string[] = [];
    const make = (name: string, n: number, f: number): void => {
      const rows = ['timestamp,accX,accY,accZ'];
      for (let i = 0; i < n; i++) rows.push(`${i * 10},${Math.sin(f * i).toFixed(4)},${(i / 7).toFixed(4)},9.81`);
      const file = path.join(base, name);
      fs.writeFileSync(file, rows.join('\r\n') + '\r\n');
      files.push(file);
    };
    make('wave.2hhmlk4v.csv', 40, 0.3);
    make('wave.s2.csv', 35, 0.4);
    make('idle.json.3f9a.csv', 50, 0.01);
    make('unnamed.csv', 20, 0.2);
    const r = await run(['import', ...files, '--out', 'ei', '--data-dir', base, '--json']);
    assert.strictEqual(r.code, 0, r.err);
    const summary = JSON.parse(r.out) as { files: number; recordings: number; rate: number; axes: string[]; counts: Record<string, number> };
    assert.deepStrictEqual([summary.files, summary.recordings, summary.rate, summary.axes], [4, 4, 100, ['accx', 'accy', 'accz']]);
    assert.deepStrictEqual(summary.counts, { wave: 2, idle: 1, '': 1 });
    const s = await DatasetStore.open(base, 'ei', { readOnly: true });
    const recs = await s.readAll();
    assert.deepStrictEqual(recs.map((x) => [x.label, x.group, x.data.length]), [['wave', 'wave.2hhmlk4v', 40], ['wave', 'wave.s2', 35], ['idle', 'idle.json.3f9a', 50], [undefined, 'unnamed', 20]]);
    // a label column, when named, wins over the file name
    const labelled = recordsFromLongCsv('timestamp,label,x\n0,punch,1\n10,punch,2\n', { label: 'label', fileName: 'wave.1.csv' });
    assert.strictEqual(labelled.records[0].label, 'punch');
    assert.strictEqual(edgeImpulseLabel('gestures.csv'), undefined);
    assert.strictEqual(edgeImpulseLabel('dir/updown.1a2b.CSV'), 'updown');
  });

  it('writes nothing when one of several files cannot be read', async () => {
    const good = path.join(base, 'wave.1.csv');
    fs.writeFileSync(good, 'timestamp,x\n0,1\n10,2\n');
    const r = await run(['import', good, path.join(base, 'idle.missing.csv'), '--out', 'partial', '--data-dir', base]);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /cannot read .*idle\.missing\.csv: ENOENT/);
    assert.ok(!fs.existsSync(path.join(base, 'partial')), 'no dataset was created');
  });

  it('exits 1 with one line naming the problem', async () => {
    const csv = path.join(base, 'x.csv');
    fs.writeFileSync(csv, 'a,b\n1,2\n');
    const cases: Array<[string[], RegExp]> = [
      [['import', csv], /--out DATASET is required/],
      [['import', csv, '--out', '../evil', '--data-dir', base], /invalid dataset name "..\/evil"/],
      [['import', csv, '--out', 'ok', '--label', 'gesture', '--data-dir', base], /label column 'gesture' is not in the header/],
      [['import', path.join(base, 'missing.csv'), '--out', 'ok', '--data-dir', base], /cannot read .*missing\.csv: ENOENT/],
      [['import', csv, '--out', 'ok', '--rate', 'fast'], /--rate must be a positive number/],
      [['import', csv, '--out', 'ok', '--bogus'], /unknown option --bogus/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      assert.strictEqual(r.code, 1, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
      assert.strictEqual(r.err.trim().split('\n').length, 1, r.err);
    }
    assert.ok(!fs.existsSync(path.join(base, 'ok')), 'nothing is created for a failed import');
  });

  it(`imports the shared gesture recordings: 193 recordings, counts per gesture, five recorders ${SHARED_DATA_TAG}`, async function () {
    this.timeout(60000);
    const csv = path.join(sharedDataDir(), 'gestures', 'gestures.csv');
    const r = await run(['import', csv, '--out', 'gestures', '--segment', 'recorder_id,gesture,rep_id', '--label', 'gesture', '--rate', '119', '--data-dir', base]);
    assert.strictEqual(r.code, 0, r.err);
    const s = await DatasetStore.open(base, 'gestures');
    assert.strictEqual(s.count, 193);
    assert.deepStrictEqual(s.counts(), { flex: 67, punch: 67, clap: 30, wave: 29 });
    const groups = new Map<string, number>();
    for (const x of s.summaries()) groups.set(x.group ?? '', (groups.get(x.group ?? '') ?? 0) + 1);
    assert.deepStrictEqual(Object.fromEntries(groups), { R01: 35, R03: 91, R05: 21, R06: 20, R07: 26 });
    assert.ok(s.summaries().every((x) => x.samples === 119));
    const [first] = await s.readAll();
    assert.deepStrictEqual(first.axes, ['ax', 'ay', 'az', 'gx', 'gy', 'gz']);
    assert.strictEqual(first.rate, 119);
    await s.close();
  });
});
