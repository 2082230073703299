/**
 * Property-based fuzz of LineSplitter + LineParser + CaptureStream (fast-check, fixed seeds):
 * over 100,000 random lines of random bytes, numeric lines, JSON, name:value, announcements and
 * over-long lines, cut into random chunks, with random port re-opens. Nothing may throw, the
 * buffers stay bounded, every line is accounted for exactly once, every accepted line comes out
 * as a sample (held lines included), and emitted samples keep the sample contract (seq +1,
 * monotonic time, non-decreasing segment, one finite value per axis).
 */
import assert from 'assert';
import fc from 'fast-check';
import { CaptureStream } from '../../src/serial/capture-stream';
import { LineParser, MAX_VALUES_PER_LINE } from '../../src/serial/line-parser';
import { DETECT_LINES } from '../../src/serial/capture-stream';
import { LineSplitter } from '../../src/serial/line-splitter';
import { mulberry32 } from '../../src/random/mulberry32';

const MAX_LINE = 4096;
const sep = fc.constantFrom(',', '\t', ' ', ', ', '  ');
const num = fc.oneof(
  fc.integer({ min: -100000, max: 100000 }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((d) => d.toFixed(4)),
  fc.double().map(String), // NaN, Infinity, -0, 1e-300 ...
);
const numericLine = fc.tuple(fc.array(num, { minLength: 1, maxLength: 8 }), sep).map(([v, s]) => v.join(s));
const jsonLine = fc.dictionary(fc.constantFrom('ax', 'ay', 'az', 'gx', 't', 'label'), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string()), { maxKeys: 5 }).map((o) => JSON.stringify(o));
const namedLine = fc.tuple(fc.array(fc.tuple(fc.constantFrom('ax', 'ay', 'az', 'x'), num), { minLength: 1, maxLength: 4 }), sep).map(([pairs, s]) => pairs.map(([k, v]) => `${k}:${v}`).join(s));
const announcement = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.array(fc.constantFrom('ax', 'ay', 'az', 'gx'), { maxLength: 4 }), fc.constantFrom('', ' time=ms', ' time=us', ' time=s'), fc.constantFrom('', ' rate=100', ' rate=0')).map(
  ([proto, axes, time, rate]) => `# tinyml proto=${proto}${axes.length ? ` axes=${axes.join(',')}` : ''}${time}${rate}`,
);
const bytes = fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b).toString('latin1'));
const unicode = fc.string({ unit: 'binary', maxLength: 60 });
const overlong = fc.integer({ min: MAX_LINE + 1, max: MAX_LINE + 3000 }).map((n) => '1,'.repeat(n).slice(0, n));
const line = fc.oneof(
  { arbitrary: numericLine, weight: 6 },
  { arbitrary: bytes, weight: 3 },
  { arbitrary: unicode, weight: 2 },
  { arbitrary: jsonLine, weight: 1 },
  { arbitrary: namedLine, weight: 1 },
  { arbitrary: announcement, weight: 1 },
  { arbitrary: fc.constantFrom('', '# comment', '#', '\r'), weight: 1 },
  { arbitrary: overlong, weight: 1 },
);
// Latin-1 lines keep their bytes 1:1 (random bytes); other lines are UTF-8.
const wide = (l: string): boolean => {
  for (let i = 0; i < l.length; i++) if (l.charCodeAt(i) > 255) return true;
  return false;
};
const encoded = line.map((l) => (wide(l) ? Buffer.from(l, 'utf8') : Buffer.from(l, 'latin1')));

interface Session {
  lines: Buffer[];
  seed: number;
  timestamp: 'auto' | 'none' | 'ms' | 'us';
}

function runSession(s: Session): number {
  const rnd = mulberry32(s.seed);
  const splitter = new LineSplitter(MAX_LINE);
  const stream = new CaptureStream({ timestamp: s.timestamp });
  splitter.onOverlong = () => stream.noteDropped('tooLong');
  const warned = new Set<string>();
  stream.onWarning = (kind) => {
    assert.ok(!warned.has(kind), `warning ${kind} twice`);
    warned.add(kind);
  };
  const parts: Buffer[] = [];
  for (const l of s.lines) parts.push(l, Buffer.from(rnd() < 0.5 ? '\n' : '\r\n'));
  const all = Buffer.concat(parts);
  let pushed = 0;
  let samples = 0;
  let lastSeq = -1;
  let lastTime = -Infinity;
  let lastSegment = 0;
  let host = 0;
  for (let pos = 0; pos < all.length; ) {
    const size = 1 + Math.floor(rnd() * (rnd() < 0.1 ? 6000 : 64));
    if (rnd() < 0.002) {
      splitter.discardPartial();
      stream.markReset();
    }
    for (const text of splitter.push(all.subarray(pos, pos + size))) {
      host += rnd() < 0.01 ? 1000 : rnd() * 20;
      pushed++;
      for (let sample = stream.push(text, host); sample !== null; sample = stream.next()) {
        assert.strictEqual(sample.seq, lastSeq + 1);
        assert.ok(sample.time >= lastTime, `time went back: ${sample.time} < ${lastTime}`);
        assert.ok(sample.segment >= lastSegment);
        assert.strictEqual(sample.values.length, stream.info.axes.length);
        assert.ok(sample.values.length <= MAX_VALUES_PER_LINE && sample.values.every(Number.isFinite));
        lastSeq = sample.seq;
        lastTime = sample.time;
        lastSegment = sample.segment;
        samples++;
      }
      assert.ok(splitter.bufferedBytes <= MAX_LINE);
      assert.ok(stream.heldLines < DETECT_LINES);
    }
    assert.ok(splitter.bufferedBytes <= MAX_LINE, `splitter holds ${splitter.bufferedBytes} bytes`);
    pos += size;
  }
  const c = stream.counters;
  const dropped = c.dropped.malformed + c.dropped.binary + c.dropped.tooLong + c.dropped.arity;
  assert.strictEqual(c.accepted + dropped + c.ignored, pushed + splitter.overlongCount, 'every line is counted exactly once');
  assert.strictEqual(samples, c.accepted, 'every accepted line came out as a sample');
  assert.ok(c.ignored >= stream.heldLines, 'held lines are counted as ignored until released');
  return s.lines.length;
}

/** fc.assert, but the failure names the seed, path and error without dumping 100 KB of counterexample. */
function check<T>(property: fc.IProperty<T>, params: fc.Parameters<T>): void {
  const details = fc.check(property, params);
  if (!details.failed) return;
  const example = JSON.stringify(details.counterexample, (_k, v: unknown) => {
    const buf = v !== null && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('latin1') : v;
    return typeof buf === 'string' && buf.length > 80 ? `${buf.slice(0, 80)}…(${buf.length})` : buf;
  });
  throw new Error(`property failed (seed ${details.seed}, path ${details.counterexamplePath}): ${String(details.errorInstance)}\n${(example ?? '').slice(0, 3000)}`);
}

describe('serial fuzz (fast-check)', () => {
  it('splitter + parser + capture stream: 100,000+ random lines, never a throw, bounded buffers', () => {
    let total = 0;
    const session = fc.record({
      lines: fc.array(encoded, { minLength: 300, maxLength: 700 }),
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      timestamp: fc.constantFrom('auto' as const, 'none' as const, 'ms' as const, 'us' as const),
    });
    check(
      fc.property(session, (s) => {
        total += runSession(s);
      }),
      { seed: 20240601, numRuns: 300 },
    );
    assert.ok(total >= 100000, `only ${total} lines`);
  });

  it('the parser never throws on arbitrary strings and keeps counts in range', () => {
    const p = new LineParser();
    check(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const kind = p.parse(text);
        if (kind === 'numbers' || kind === 'named') assert.ok(p.count >= 1 && p.count <= MAX_VALUES_PER_LINE);
      }),
      { seed: 7, numRuns: 20000 },
    );
  });

  it('numeric lines parse to the values Number() gives', () => {
    const p = new LineParser();
    check(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 10 }), sep, (values, s) => {
        const text = values.map(String).join(s);
        assert.strictEqual(p.parse(text), 'numbers');
        assert.deepStrictEqual(Array.from(p.values.subarray(0, p.count)), values.map((v) => Number(String(v))));
      }),
      { seed: 99, numRuns: 5000 },
    );
  });
});
