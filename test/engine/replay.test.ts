import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { readLongCsv } from '../../src/io/long-csv';
import { parseAnnouncement } from '../../src/serial/announcement';
import { CaptureStream } from '../../src/serial/capture-stream';
import { SerialPool } from '../../src/serial/serial-pool';
import { Sample } from '../../src/stream/sample';
import { ReplayDevice, rateFromTimes } from '../../src/virtual/replay-device';
import { resolveReplayFile } from '../../src/virtual/replay-file';
import { makeTempDir, removeTempDir, waitFor } from '../support/pty';
import { requireTool } from '../support/tools';

/** Two recordings of a ramp: x = index, y = -index. */
function rampCsv(n: number): string {
  const rows = ['rec,t_idx,x_g,y_g'];
  for (const rec of ['a', 'b']) for (let i = 0; i < n; i++) rows.push(`${rec},${i},${i},${-i}`);
  return rows.join('\n');
}

describe('replay device through a pty and the serial pool', function () {
  let dir: string;
  beforeEach(function () { requireTool('python3', 'python3'); dir = makeTempDir(); });
  afterEach(function () { removeTempDir(dir); });

  it('announces itself on open, plays at rate x speed, marks recordings as segments, loops', async function () {
    const data = readLongCsv(rampCsv(40), { segment: ['rec'] });
    const dev = new ReplayDevice({ data, rate: 50, speed: 4, link: path.join(dir, 'dev', 'replay'), gapMs: 250 });
    const p = await dev.start();
    assert.strictEqual(p, path.join(dir, 'dev', 'replay'));
    const pool = new SerialPool();
    const stream = new CaptureStream();
    const lines: string[] = [];
    const samples: Sample[] = [];
    const h = pool.acquire(p, { baudRate: 115200 }, 'replay');
    h.subscribe({
      onOpen: () => stream.markReset(),
      onLine: (l, t) => {
        lines.push(l);
        for (let s = stream.push(l, t); s !== null; s = stream.next()) samples.push(s);
      },
    });
    try {
      // 2 recordings x 40 samples at 200 Hz = 0.4 s + gaps; wait for a loop back to the first.
      await waitFor(() => samples.length >= 100, 8000, '100 samples');
      const ann = parseAnnouncement(lines[0]);
      assert.ok(ann, `first line is the announcement: ${lines[0]}`);
      assert.deepStrictEqual(ann.axes, ['x', 'y']);
      assert.deepStrictEqual(ann.units, ['g', 'g']);
      assert.strictEqual(ann.rate, 200);
      assert.strictEqual(ann.board, 'replay');
      assert.strictEqual(ann.time, 'us');
      assert.deepStrictEqual(stream.info.axes, ['x', 'y']);
      assert.deepStrictEqual(samples.slice(0, 40).map((s) => s.values[0]), [...Array(40).keys()]);
      assert.deepStrictEqual(samples[40].values, [0, 0]);
      // Device time steps by 5 ms inside a recording, and each recording is its own segment.
      assert.ok(Math.abs(samples[1].time - samples[0].time - 5) < 0.01, `${samples[1].time - samples[0].time}`);
      assert.strictEqual(samples[39].segment, samples[0].segment);
      assert.strictEqual(samples[40].segment, samples[0].segment + 1);
      assert.strictEqual(samples[80].segment, samples[0].segment + 2);
      assert.ok(stream.info.rate !== null && Math.abs(stream.info.rate - 200) < 10, `rate ${stream.info.rate}`);
      assert.strictEqual(stream.counters.dropped.malformed + stream.counters.dropped.arity, 0);
    } finally {
      await h.release();
      await dev.stop();
    }
    assert.ok(!fs.existsSync(path.join(dir, 'dev', 'replay')), 'link removed on stop');
  });

  it('host-side timing follows the recorded rate without drift', async function () {
    const data = readLongCsv(rampCsv(500), { segment: ['rec'] });
    const dev = new ReplayDevice({ data, rate: 100, link: path.join(dir, 'r') });
    const p = await dev.start();
    const pool = new SerialPool();
    const times: number[] = [];
    const h = pool.acquire(p, { baudRate: 115200 }, 'replay');
    h.subscribe({ onLine: (l, t) => { if (!l.startsWith('#') && l !== '') times.push(t); } });
    try {
      await waitFor(() => times.length >= 151, 6000, '151 lines');
      const hz = 150 / ((times[150] - times[0]) / 1000);
      assert.ok(Math.abs(hz - 100) < 8, `host-measured rate ${hz.toFixed(1)} Hz`);
    } finally {
      await h.release();
      await dev.stop();
    }
  });

  it('takes the rate from a time column; refuses to play without a rate', function () {
    const withTimes = readLongCsv('ms,x\n0,1\n8,2\n16,3\n24,4\n', { time: 'ms' });
    assert.strictEqual(rateFromTimes(withTimes, 'ms'), 125);
    assert.strictEqual(new ReplayDevice({ data: withTimes }).rate, 125);
    const noTimes = readLongCsv('x\n1\n2\n');
    assert.throws(() => new ReplayDevice({ data: noTimes }), /no sample rate: set the rate/);
    assert.throws(() => new ReplayDevice({ data: noTimes, rate: 10, speed: 0 }), /speed must be > 0/);
    assert.throws(() => new ReplayDevice({ data: noTimes, rate: 10, axes: ['a', 'b'] }), /2 axis names given for 1 columns/);
  });
});

describe('replay file resolution', function () {
  let root: string;
  let roots: { dataDir: string; examplesDir: string; extraDirs: string[] };
  before(function () {
    root = makeTempDir('tinyml-replay-');
    roots = { dataDir: path.join(root, 'user', 'tinyml'), examplesDir: path.join(root, 'pack', 'examples', 'data'), extraDirs: [path.join(root, 'extra')] };
    for (const d of [roots.dataDir, roots.examplesDir, roots.extraDirs[0], path.join(root, 'secret')]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(roots.dataDir, 'mine.csv'), 'x\n1\n');
    fs.writeFileSync(path.join(roots.examplesDir, 'demo.csv'), 'x\n1\n');
    fs.writeFileSync(path.join(roots.extraDirs[0], 'lab.csv'), 'x\n1\n');
    fs.writeFileSync(path.join(root, 'secret', 'passwd.csv'), 'x\n1\n');
    fs.symlinkSync(path.join(root, 'secret', 'passwd.csv'), path.join(roots.dataDir, 'sneaky.csv'));
  });
  after(function () { removeTempDir(root); });

  it('resolves relative names in the data folder, then the examples', function () {
    assert.strictEqual(resolveReplayFile('mine.csv', roots), fs.realpathSync(path.join(roots.dataDir, 'mine.csv')));
    assert.strictEqual(resolveReplayFile('demo.csv', roots), fs.realpathSync(path.join(roots.examplesDir, 'demo.csv')));
  });

  it('accepts absolute paths only inside the allowed folders', function () {
    assert.strictEqual(resolveReplayFile(path.join(roots.extraDirs[0], 'lab.csv'), roots), fs.realpathSync(path.join(roots.extraDirs[0], 'lab.csv')));
    assert.throws(() => resolveReplayFile(path.join(root, 'secret', 'passwd.csv'), roots), /outside the folders a replay board may read.*tinyml\.replayDirs/);
    assert.throws(() => resolveReplayFile('sneaky.csv', roots), /outside the folders/);
    assert.throws(() => resolveReplayFile('../secret/passwd.csv', roots), /must not contain '\.\.'/);
    assert.throws(() => resolveReplayFile('nope.csv', roots), /not found/);
    assert.throws(() => resolveReplayFile(' ', roots), /no recording file set/);
  });
});
