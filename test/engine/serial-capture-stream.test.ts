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
  for (const [line, host] of lines) for (let s = stream.push(line, host); s !== null; s = stream.next()) samples.push(s);
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
    it('detects a ms column from host time; the held detection lines come out first, with device time', () => {
      const lines = Array.from({ length: 20 }, (_, i): [string, number] => [`${1000 + i * 10},${(i * 7) % 5},${(i * 3) % 4}`, 50 + i * 10]);
      const r = feed(lines);
      assert.deepStrictEqual(r.stream.info.axes, ['a0', 'a1']);
      assert.deepStrictEqual(r.samples.map((s) => s.seq), [...Array(20).keys()]);
      assert.deepStrictEqual(r.samples.map((s) => s.time), lines.map((_, i) => 1000 + i * 10));
      assert.deepStrictEqual(r.samples.slice(0, 3).map((s) => s.values), [[0, 0], [2, 3], [4, 2]]);
      assert.deepStrictEqual([r.stream.counters.accepted, r.stream.counters.ignored], [20, 0]);
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
      assert.deepStrictEqual(r.samples.map((s) => [s.seq, s.time]), lines.map(([, host], i) => [i, host]), 'the held lines keep their own host times');
      assert.deepStrictEqual(r.samples.slice(0, 2).map((s) => s.values), [[0, 0], [4, 1]]);
    });

    describe('held lines are emitted once the layout is decided, as if it had been known from the start', () => {
      /** Device time in ms at 100 Hz with a lost sample at i = 150, and a clock restart at i = 250. */
      const timed = Array.from({ length: 300 }, (_, i): [string, number] => [`${i < 250 ? 5000 + i * 10 + (i >= 150 ? 10 : 0) : i * 10},${(i * 7) % 5},${(i * 3) % 4 - 1.5}`, 20 + i * 10 + (i % 3)]);
      /** Host time only at 50 Hz, with a 400 ms silence before i = 120. */
      const plain = Array.from({ length: 200 }, (_, i): [string, number] => [`${(i * 37) % 11},${i % 4},-${i % 3}`, i * 20 + (i >= 120 ? 400 : 0)]);

      it('timestamp column in ms: the first 8 lines are samples seq 0..7 with device time; all equal to timestamp=ms', () => {
        const auto = feed(timed);
        const ms = feed(timed, { timestamp: 'ms' });
        assert.deepStrictEqual(auto.samples.slice(0, DETECT_LINES).map((s) => [s.seq, s.time, s.segment]), [...Array(DETECT_LINES).keys()].map((i) => [i, 5000 + i * 10, 0]));
        assert.deepStrictEqual(auto.samples.slice(0, 2).map((s) => s.values), [[0, -1.5], [2, 1.5]]);
        assert.deepStrictEqual(auto.samples, ms.samples);
        assert.deepStrictEqual(auto.stream.info, ms.stream.info);
        assert.deepStrictEqual(auto.stream.counters, ms.stream.counters);
        assert.deepStrictEqual(auto.stream.counters, { accepted: 300, dropped: { malformed: 0, binary: 0, tooLong: 0, arity: 0 }, ignored: 0, gaps: 1, resets: 1 });
      });

      it('no timestamp column: the first 8 lines are samples seq 0..7 with their own host times; all equal to timestamp=none', () => {
        const auto = feed(plain);
        const none = feed(plain, { timestamp: 'none' });
        assert.deepStrictEqual(auto.samples.slice(0, DETECT_LINES).map((s) => [s.seq, s.time, ...s.values]), plain.slice(0, DETECT_LINES).map(([l, host], i) => [i, host, ...l.split(',').map(Number)]));
        assert.deepStrictEqual(auto.samples, none.samples);
        assert.deepStrictEqual(auto.stream.info, none.stream.info);
        assert.deepStrictEqual(auto.stream.counters, none.stream.counters);
        assert.deepStrictEqual(auto.samples.filter((s) => s.gap === true).map((s) => s.seq), [120]);
        assert.deepStrictEqual([auto.stream.counters.accepted, auto.stream.counters.ignored], [200, 0]);
      });

      it('held lines count as ignored; the deciding push returns seq 0 and next() the rest, in order', () => {
        const stream = new CaptureStream();
        for (let i = 0; i < DETECT_LINES - 1; i++) assert.strictEqual(stream.push(timed[i][0], timed[i][1]), null);
        assert.strictEqual(stream.heldLines, DETECT_LINES - 1);
        assert.deepStrictEqual([stream.counters.accepted, stream.counters.ignored], [0, DETECT_LINES - 1]);
        const seqs = [stream.push(timed[DETECT_LINES - 1][0], timed[DETECT_LINES - 1][1])?.seq];
        for (let s = stream.next(); s !== null; s = stream.next()) seqs.push(s.seq);
        assert.deepStrictEqual(seqs, [...Array(DETECT_LINES).keys()]);
        assert.deepStrictEqual([stream.heldLines, stream.counters.accepted, stream.counters.ignored], [0, DETECT_LINES, 0]);
      });

      it('a caller that only calls push still gets every sample, in order', () => {
        const stream = new CaptureStream();
        const seqs: number[] = [];
        for (const [line, host] of plain) {
          const s = stream.push(line, host);
          if (s !== null) seqs.push(s.seq);
        }
        assert.deepStrictEqual(seqs, [...Array(plain.length - DETECT_LINES + 1).keys()]);
        const rest: number[] = [];
        for (let s = stream.next(); s !== null; s = stream.next()) rest.push(s.seq);
        assert.deepStrictEqual(rest, [...Array(DETECT_LINES - 1).keys()].map((i) => plain.length - DETECT_LINES + 1 + i));
      });

      it('a port re-open while lines are held: the lines after it start a new segment (reset), as with timestamp=none', () => {
        const run = (opts: CaptureStreamOptions): Sample[] => {
          const stream = new CaptureStream(opts);
          const r = feed(plain.slice(0, 3), {}, stream);
          stream.markReset();
          return r.samples.concat(feed(plain.slice(3, 20), {}, stream).samples);
        };
        const auto = run({});
        assert.deepStrictEqual(auto, run({ timestamp: 'none' }));
        assert.deepStrictEqual(auto.slice(0, 5).map((s) => [s.values[0], s.segment, s.reset === true]), [[0, 0, false], [4, 0, false], [8, 0, false], [1, 1, true], [5, 1, false]]);
      });

      it('an announcement while lines are held: they are emitted with its layout when their value count fits it', () => {
        const ann: [string, number] = ['# tinyml proto=1 rate=100 axes=x,y time=ms', 45];
        const late = feed([...timed.slice(0, 3), ann, ...timed.slice(3, 40)]);
        const first = feed([ann, ...timed.slice(0, 40)]);
        assert.deepStrictEqual(late.samples, first.samples);
        assert.deepStrictEqual(late.samples.slice(0, 3).map((s) => [s.seq, s.time]), [[0, 5000], [1, 5010], [2, 5020]]);
        assert.deepStrictEqual(late.stream.info, first.stream.info);
        assert.deepStrictEqual(late.stream.counters, { accepted: 40, dropped: { malformed: 0, binary: 0, tooLong: 0, arity: 0 }, ignored: 1, gaps: 0, resets: 0 });
        assert.deepStrictEqual(late.warnings.map((w) => w[0]), []);
      });

      it('an announcement while lines are held: they are dropped as arity, with the reason, when their value count does not fit it', () => {
        const r = feed([...timed.slice(0, 3), ['# tinyml proto=1 axes=x,y,z,w', 45], ['1,2,3,4', 50], ['5,6,7,8', 60]]);
        assert.deepStrictEqual(r.samples.map((s) => [s.seq, s.time, ...s.values]), [[0, 50, 1, 2, 3, 4], [1, 60, 5, 6, 7, 8]]);
        assert.deepStrictEqual(r.stream.counters.dropped, { malformed: 0, binary: 0, tooLong: 0, arity: 3 });
        assert.deepStrictEqual([r.stream.counters.accepted, r.stream.counters.ignored], [2, 1]);
        assert.deepStrictEqual(r.warnings.map((w) => w[0]), ['arity']);
        assert.match(r.warnings[0][1], /3 values where the stream has 4 axes \(x,y,z,w\)/);
      });

      it('a value count change while lines are held: the earlier lines were noise and are dropped as arity', () => {
        const r = feed([['7,7', 0], ['8,8', 5], ...plain.slice(0, 10)]);
        assert.deepStrictEqual(r.samples.map((s) => s.seq), [...Array(10).keys()]);
        assert.deepStrictEqual(r.samples.map((s) => s.values), feed(plain.slice(0, 10), { timestamp: 'none' }).samples.map((s) => s.values));
        assert.deepStrictEqual(r.stream.counters.dropped, { malformed: 0, binary: 0, tooLong: 0, arity: 2 });
        assert.deepStrictEqual([r.stream.counters.accepted, r.stream.counters.ignored], [10, 0]);
        assert.match(r.warnings[0][1], /dropped 2 lines held for timestamp detection, from "7,7": 2 values each, then a line with 3/);
        // A one-value line ends detection too: the held lines before it are dropped the same way.
        const one = feed([['1,2', 0], ['3,4', 10], ['5', 20], ['6', 30]]);
        assert.deepStrictEqual(one.samples.map((s) => [s.seq, ...s.values]), [[0, 5], [1, 6]]);
        assert.strictEqual(one.stream.counters.dropped.arity, 2);
        assert.strictEqual(one.stream.heldLines, 0);
      });

      it('a keyed line while lines are held: held lines with its value count come first, as samples', () => {
        const r = feed(at(['1,2', '3,4', 'ax:5 ay:6', 'ax:7 ay:8']));
        assert.deepStrictEqual(r.samples.map((s) => [s.seq, ...s.values]), [[0, 1, 2], [1, 3, 4], [2, 5, 6], [3, 7, 8]]);
        assert.deepStrictEqual(r.stream.info.axes, ['ax', 'ay']);
        assert.deepStrictEqual([r.stream.counters.accepted, r.stream.counters.ignored], [4, 0]);
      });
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
