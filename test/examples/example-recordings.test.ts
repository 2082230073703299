import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { readLongCsv } from '../../src/io/long-csv';
import { writeExampleRecordings } from '../support/example-recordings';
import { repoRoot } from '../support/node-red-process';

describe('the example recordings shipped in examples/data', function () {
  it('are exactly what the generator writes (regenerate with node dist/test/support/example-recordings.js)', function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-examples-'));
    try {
      for (const file of writeExampleRecordings(dir)) {
        const shipped = path.join(repoRoot, 'examples', 'data', path.basename(file));
        assert.ok(fs.readFileSync(shipped, 'utf8') === fs.readFileSync(file, 'utf8'), `${path.basename(file)} differs from the generator`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('read as long-format CSV with the labels and takes the example flows use', function () {
    const read = (name: string, label: string, segment: string) =>
      readLongCsv(fs.readFileSync(path.join(repoRoot, 'examples', 'data', name), 'utf8'), { label, segment: [segment] });
    const gestures = read('gestures-synthetic.csv', 'gesture', 'take');
    assert.deepStrictEqual([...new Set(gestures.recordings.map((r) => r.label))], ['punch', 'flex', 'wave']);
    assert.ok(gestures.recordings.every((r) => r.samples.length === 119 && r.samples[0].length === 6));
    const fan = read('fan-synthetic.csv', 'condition', 'sample_id');
    assert.deepStrictEqual([...new Set(fan.recordings.map((r) => r.label))], ['normal', 'coin']);
    assert.ok(fan.recordings.every((r) => r.samples.length === 200));
    const activity = read('activity-synthetic.csv', 'activity', 'exp_id');
    assert.strictEqual(activity.recordings.length, 30);
  });
});
