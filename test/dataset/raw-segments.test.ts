import assert from 'assert';
import { RawSegmentRecorder, type RawSample } from '../../src/dataset/raw-segments';

const ctx = { axes: ['x'], rate: 10, label: 'a', group: 'g' };
const samples = (from: number, n: number, extra: Partial<RawSample> = {}): RawSample[] => Array.from({ length: n }, (_, i) => ({ values: [from + i], time: (from + i) * 100, seq: from + i, segment: 1, ...extra }));

describe('raw segment recorder (chunks of capture samples)', () => {
  it('cuts a long stream into chunks of at most maxSamples, holding at most one chunk', () => {
    const r = new RawSegmentRecorder(100);
    const out = [];
    for (let k = 0; k < 25; k++) {
      out.push(...r.push(samples(k * 37, 37), ctx));
      assert.ok(r.pending < 100, `pending ${r.pending}`);
    }
    out.push(...r.flush());
    assert.deepStrictEqual(out.map((c) => c.data.length), [...Array(9).fill(100), 25]);
    assert.deepStrictEqual(out.flatMap((c) => c.data.map((v) => v[0])), Array.from({ length: 925 }, (_, i) => i), 'every sample once, in order');
    assert.deepStrictEqual(out.map((c) => c.fields?.part), Array.from({ length: 10 }, (_, i) => String(i)));
    assert.deepStrictEqual(out[1].fields, { part: '1', seq: '100' });
    assert.strictEqual(out[1].time, 10000);
    assert.deepStrictEqual(r.flush(), []);
  });

  it('ends a chunk at a new segment, a gap or reset, and a change of label or axes', () => {
    const r = new RawSegmentRecorder(1000);
    const out = [...r.push(samples(0, 3), ctx), ...r.push(samples(3, 2, { segment: 2 }), ctx)];
    out.push(...r.push([{ values: [5], time: 500, segment: 2, gap: true }], ctx));
    out.push(...r.push(samples(6, 2, { segment: 2 }), { ...ctx, label: 'b' }));
    out.push(...r.push([{ values: [8, 8], time: 800, segment: 2 }], { ...ctx, axes: ['x', 'y'], label: 'b' }));
    out.push(...r.flush());
    assert.deepStrictEqual(out.map((c) => [c.data.map((v) => v[0]), c.segment, c.label, c.fields?.part]), [
      [[0, 1, 2], 1, 'a', '0'], [[3, 4], 2, 'a', '0'], [[5], 2, 'a', '0'], [[6, 7], 2, 'b', '1'], [[8], 2, 'b', '2'],
    ]);
    assert.deepStrictEqual(out[4].axes, ['x', 'y']);
    assert.ok(out.every((c) => c.kind === 'recording' && c.group === 'g' && c.rate === 10));
  });

  it('refuses a chunk size that is not a positive whole number', () => {
    assert.throws(() => new RawSegmentRecorder(0), /positive whole number/);
  });
});
