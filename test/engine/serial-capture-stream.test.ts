import assert from 'assert';
import { Sample } from '../../src/stream/sample';
import { CaptureStream, CaptureStreamOptions, DETECT_LINES, detectTimestamp } from '../../src/serial/capture-stream';

interface Run {
  stream: CaptureStream;
  samples: Sample[];
  warnings: Array<[string, string]>;
}

/** Pushes [line, hostMs] pairs; returns the samples and warnings. */
function feed(lines: Array<[string, number]>, opts: CaptureStreamOptions = {}, stream = new CaptureStream(opts)): Run {
  const warnings: Array<[string, string]> = [];
  stream.onWarning = (kind, message) => warnings.push([kind, message]);
  const samples: Sample[] = [];
  for (const [line, host] of lines) {
    const s = stream.push(line, host);
    if (s !== null) samples.push(s);
  }
  return { stream, samples, warnings };
}

const at = (lines: string[], start = 0, step = 10): Array<[string, number]> => lines.map((l, i) => [l, start + i * step]);

describe('serial capture stream', () => {
  it('plain numeric lines: default axes, seq, host time, one segment', () => {
    const r = feed(at(['1,2,3', '4\t5\t6', '7 8 9']), { timestamp: 'none' });
    assert.deepStrictEqual(r.stream.info.axes, ['a0', 'a1', 'a2']);
    assert.deepStrictEqual(r.samples.map((s) => s.values), [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    assert.deepStrictEqual(r.samples.map((s) => [s.seq, s.time, s.segment]), [[0, 0, 0], [1, 10, 0], [2, 20, 0]]);
    assert.strictEqual(r.stream.counters.accepted, 3);
  });

  it('the announcement gives axes, units, rate, board and the time column', () => {
    const r = feed([
      ['# tinyml proto=1 board=uno rate=100 axes=ax,ay units=g,g time=ms sensor=synthetic', 0],
      ['1000,0.5,-0.5', 3],
      ['1010,0.25,0.75', 4],
    ]);
    assert.deepStrictEqual(r.stream.info, { axes: ['ax', 'ay'], units: ['g', 'g'], rate: null, announcedRate: 100, board: 'uno' });
    assert.strictEqual(r.stream.sampleRate, 100, 'the announced rate is given downstream until one is measured');
    assert.deepStrictEqual(r.samples.map((s) => [s.time, ...s.values]), [[1000, 0.5, -0.5], [1010, 0.25, 0.75]]);
    assert.deepStrictEqual(r.warnings, []);
  });

  it('microsecond timestamps are converted to ms', () => {
    const r = feed([['# tinyml proto=1 axes=x time=us', 0], ['5000,1', 0], ['7500,2', 1]]);
    assert.deepStrictEqual(r.samples.map((s) => s.time), [5, 7.5]);
  });

  it('configured axes and timestamp column', () => {
    const r = feed(at(['100,1,2', '110,3,4']), { axes: ['x', 'y'], timestamp: 'ms' });
    assert.deepStrictEqual(r.stream.info.axes, ['x', 'y']);
    assert.deepStrictEqual(r.samples.map((s) => [s.time, ...s.values]), [[100, 1, 2], [110, 3, 4]]);
  });

  it('JSON names define the axes; members may come in any order', () => {
    const r = feed(at(['{"ax":1,"ay":2}', '{"ay":4,"ax":3}', '{"ax":5}', '{"ax":5,"ay":6,"az":7}']));
    assert.deepStrictEqual(r.stream.info.axes, ['ax', 'ay']);
    assert.deepStrictEqual(r.samples.map((s) => s.values), [[1, 2], [3, 4]]);
    assert.strictEqual(r.stream.counters.dropped.arity, 2);
  });

  it('name:value pairs define the axes', () => {
    const r = feed(at(['ax:0.1 ay:0.2', 'ax:0.3,ay:0.4', 'ax:1 az:2']));
    assert.deepStrictEqual(r.stream.info.axes, ['ax', 'ay']);
    assert.deepStrictEqual(r.samples.map((s) => s.values), [[0.1, 0.2], [0.3, 0.4]]);
    assert.strictEqual(r.stream.counters.dropped.arity, 1);
  });

  it('announced axes select from JSON members', () => {
    const r = feed(at(['# tinyml proto=1 axes=ay,ax', '{"ax":1,"ay":2,"t":99}']));
    assert.deepStrictEqual(r.samples[0].values, [2, 1]);
  });

  it('counts each malformed kind, warns once per kind, ignores comments and empty lines', () => {
    const r = feed(
      at(['1,2,3', '', '# a comment', '# tinyml-result hash=1', '1,2', '1,2,3,4', 'x,y,z', '1,,3', '\u0000\u0001', '\ufffd1,2', 'z'.repeat(5000), '4,5,6']),
      { timestamp: 'none' },
    );
    assert.deepStrictEqual(r.stream.counters.dropped, { malformed: 2, binary: 2, tooLong: 1, arity: 2 });
    assert.strictEqual(r.stream.counters.accepted, 2);
    assert.strictEqual(r.stream.counters.ignored, 3);
    assert.deepStrictEqual(r.warnings.map((w) => w[0]).sort(), ['arity', 'binary', 'malformed', 'tooLong']);
    const arity = r.warnings.find((w) => w[0] === 'arity');
    assert.match(arity?.[1] ?? '', /2 values where the stream has 3 axes \(a0,a1,a2\)/);
    r.stream.noteDropped('tooLong');
    assert.strictEqual(r.stream.counters.dropped.tooLong, 2);
  });

  it('a malformed announcement is counted with the reason', () => {
    const r = feed(at(['# tinyml proto=1 rate=fast axes=a']));
    assert.strictEqual(r.stream.counters.dropped.malformed, 1);
    assert.match(r.warnings[0][1], /rate=fast/);
  });

  describe('timestamp detection (auto, no announcement)', () => {
    it('detects a ms column from host time and holds the detection lines', () => {
      const lines = Array.from({ length: 20 }, (_, i): [string, number] => [`${1000 + i * 10},${(i * 7) % 5},${(i * 3) % 4}`, 50 + i * 10]);
      const r = feed(lines);
      assert.strictEqual(r.samples.length, 20 - DETECT_LINES);
      assert.deepStrictEqual(r.stream.info.axes, ['a0', 'a1']);
      assert.strictEqual(r.samples[0].time, 1000 + DETECT_LINES * 10);
      assert.deepStrictEqual(r.warnings.map((w) => w[0]), ['timestamp']);
    });

    it('detects µs, and refuses a counter that does not follow host time', () => {
      const rows = (step: number): number[][] => Array.from({ length: 8 }, (_, i) => [i * step, i % 3]);
      const host = Array.from({ length: 8 }, (_, i) => i * 10);
      assert.strictEqual(detectTimestamp(rows(10), host), 'ms');
      assert.strictEqual(detectTimestamp(rows(10000), host), 'us');
      assert.strictEqual(detectTimestamp(rows(1), host), 'none'); // a sample counter, not a clock
      assert.strictEqual(detectTimestamp(rows(10000), host.map(() => 0)), 'us'); // one burst: by step size
      assert.strictEqual(detectTimestamp(rows(10).map((r) => [r[0], r[0] * 2]), host), 'none'); // ambiguous
      assert.strictEqual(detectTimestamp([[1, 0], [3, 0], [2, 0], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0]], host), 'none');
    });

    it('plain sensor lines are not taken for timestamps', () => {
      const lines = Array.from({ length: 20 }, (_, i): [string, number] => [`${(i * 37) % 11},${i}`, i * 10]);
      const r = feed(lines);
      assert.deepStrictEqual(r.stream.info.axes, ['a0', 'a1']);
      assert.strictEqual(r.samples[0].values.length, 2);
      assert.strictEqual(r.samples[0].time, DETECT_LINES * 10);
    });
  });

  describe('gaps and resets', () => {
    it('device time: a step over 1.5 periods is a gap and starts a segment', () => {
      const lines: Array<[string, number]> = [['# tinyml proto=1 rate=100 axes=x time=ms', 0]];
      for (let i = 0; i < 60; i++) if (i !== 40) lines.push([`${i * 10 + (i % 2)},${i}`, i * 10]);
      const r = feed(lines);
      const gaps = r.samples.filter((s) => s.gap === true);
      assert.deepStrictEqual(gaps.map((s) => s.values[0]), [41]);
      assert.strictEqual(r.samples[r.samples.length - 1].segment, 1);
      assert.strictEqual(r.samples.find((s) => s.values[0] === 39)?.segment, 0);
      assert.strictEqual(r.stream.counters.gaps, 1);
      assert.strictEqual(r.stream.info.rate !== null && Math.abs(r.stream.info.rate - 100) < 1, true);
    });

    it('host time: a silence over max(5 periods, 200 ms) is a gap, shorter jitter is not', () => {
      const lines: Array<[string, number]> = [];
      let t = 0;
      for (let i = 0; i < 100; i++) {
        t += i === 50 ? 150 : i === 80 ? 260 : 10;
        lines.push([`${i}`, t]);
      }
      const r = feed(lines, { timestamp: 'none' });
      assert.deepStrictEqual(r.samples.filter((s) => s.gap === true).map((s) => s.values[0]), [80]);
    });

    it('device time going backwards is a reset; time stays monotonic', () => {
      const lines: Array<[string, number]> = [['# tinyml proto=1 rate=100 axes=x time=ms', 0]];
      for (let i = 0; i < 50; i++) lines.push([`${5000 + i * 10},${i}`, i * 10]);
      for (let i = 0; i < 10; i++) lines.push([`${i * 10},${100 + i}`, 600 + i * 10]);
      const r = feed(lines);
      const reset = r.samples.filter((s) => s.reset === true);
      assert.deepStrictEqual(reset.map((s) => s.values[0]), [100]);
      assert.strictEqual(reset[0].segment, 1);
      for (let i = 1; i < r.samples.length; i++) assert.ok(r.samples[i].time > r.samples[i - 1].time);
      assert.strictEqual(r.samples[r.samples.length - 1].time - r.samples[r.samples.length - 2].time, 10);
    });

    it('a 32-bit micros() wrap is not a reset', () => {
      const base = 4294967296 - 25000;
      const lines: Array<[string, number]> = [['# tinyml proto=1 rate=100 axes=x time=us', 0]];
      for (let i = 0; i < 6; i++) lines.push([`${(base + i * 10000) % 4294967296},${i}`, i * 10]);
      const r = feed(lines);
      assert.deepStrictEqual(r.samples.map((s) => s.time - r.samples[0].time), [0, 10, 20, 30, 40, 50]);
      assert.ok(r.samples.every((s) => s.reset !== true && s.gap !== true));
    });

    it('markReset: boot noise and a cut line are ignored silently; the next sample is reset', () => {
      const stream = new CaptureStream({ timestamp: 'none' });
      const r = feed(at(['1,2,3', '4,5,6']), {}, stream);
      stream.markReset();
      feed([['\u0000\u00ff garbage', 100], ['Booting...', 101], ['5,6', 102], ['7,8,9', 110], ['1,1,1', 120]], {}, stream).samples.forEach((s) => r.samples.push(s));
      assert.deepStrictEqual(r.samples.map((s) => [s.values[0], s.segment, s.reset === true]), [[1, 0, false], [4, 0, false], [7, 1, true], [1, 1, false]]);
      assert.deepStrictEqual(stream.counters.dropped, { malformed: 0, binary: 0, tooLong: 0, arity: 0 });
      assert.strictEqual(stream.counters.resets, 1);
    });

    it('markReset without an announcement: a changed arity is learnt after two matching lines', () => {
      const stream = new CaptureStream({ timestamp: 'none' });
      feed(at(['1,2,3']), {}, stream);
      stream.markReset();
      const r = feed(at(['9,9', '1,2', '3,4', '5,6,7'], 100), {}, stream);
      assert.deepStrictEqual(r.samples.map((s) => s.values), [[1, 2], [3, 4]]);
      assert.deepStrictEqual(stream.info.axes, ['a0', 'a1']);
      assert.strictEqual(r.samples[0].reset, true);
    });

    it('a different announcement after samples means another sketch started; the same one again does not', () => {
      const r = feed(at(['# tinyml proto=1 axes=a,b', '1,2', '# tinyml proto=1 axes=a,b', '3,4', '# tinyml proto=1 axes=a,b,c', '5,6,7']));
      assert.deepStrictEqual(r.samples.map((s) => [s.segment, s.reset === true]), [[0, false], [0, false], [1, true]]);
      assert.deepStrictEqual(r.stream.info.axes, ['a', 'b', 'c']);
    });

    it('warns when the announcement overrides the configuration', () => {
      const r = feed(at(['# tinyml proto=1 axes=a,b', '1,2']), { axes: ['x', 'y'], timestamp: 'ms' });
      assert.deepStrictEqual(r.samples[0].values, [1, 2]);
      assert.deepStrictEqual(r.warnings.map((w) => w[0]), ['config']);
    });
  });

  it('estimates the rate into info.rate', () => {
    const lines = Array.from({ length: 100 }, (_, i): [string, number] => [`${i % 7},${i % 5}`, i * 20]);
    const r = feed(lines, { timestamp: 'none' });
    assert.strictEqual(r.stream.info.rate, 50);
  });
});
