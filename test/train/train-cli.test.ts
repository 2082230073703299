import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PassThrough } from 'stream';
import { main } from '../../src/cli/main';
import { DatasetStore } from '../../src/dataset/store';
import { parseArtifact } from '../../src/model/artifact';
import { AXES, RATE, separableWindows } from '../support/train-data';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString()));
  err.on('data', (d: Buffer) => (e += d.toString()));
  const code = await main(args, out, err);
  return { code, out: o, err: e };
}

describe('tinyml train (CLI)', function () {
  this.timeout(120_000);

  it('trains a dataset of recordings for a board and writes a valid artifact; user errors exit 1 with one line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-cli-train-'));
    const store = await DatasetStore.open(dir, 'sep', { sync: false });
    await store.append(separableWindows(60).map((w) => ({ kind: 'recording' as const, time: 0, axes: AXES, rate: RATE, data: w.data, label: w.label, group: w.group })));
    await store.close();
    const file = path.join(dir, 'sep.json');
    const r = await run(['train', 'sep', '--out', file, '--data-dir', dir, '--board', 'uno', '--seed', '3', '--json']);
    assert.strictEqual(r.code, 0, r.err);
    const artifact = parseArtifact(fs.readFileSync(file, 'utf8'));
    assert.strictEqual(artifact.name, 'sep');
    const summary = JSON.parse(r.out) as { hash: string; cost: { uno: { fits: boolean } } };
    assert.strictEqual(summary.hash, artifact.hash);
    assert.strictEqual(summary.cost.uno.fits, true);
    const bad = await run(['train', 'nope', '--out', file, '--data-dir', dir]);
    assert.strictEqual(bad.code, 1);
    assert.match(bad.err, /^tinyml: train: dataset "nope" does not exist/m);
    const arch = await run(['train', 'sep', '--out', file, '--arch', 'rnn']);
    assert.strictEqual(arch.code, 1);
    assert.match(arch.err, /--arch must be dense or cnn/);
  });
});
