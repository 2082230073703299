import assert from 'assert';
import fc from 'fast-check';
import { Windower, samplesOfMessage, toSamples, type Window, type WindowerOptions, type WindowInput } from '../../src/stream/windower';
import { triggerMagnitude } from '../../src/stream/trigger';

const AXES = { axes: ['a', 'b'], rate: 100 };

function feed(w: Windower, samples: WindowInput[], label?: string, rate: number | null = 100): Window[] {
  const out: Window[] = [];
  for (const s of samples) out.push(...w.push(s, { axes: AXES.axes, rate }, label));
  return out;
}

/** Sample i of segment seg: values [i, seg], time 10 ms × i. */
function seq(from: number, to: number, seg = 0): WindowInput[] {
  const r: WindowInput[] = [];
  for (let i = from; i < to; i++) r.push({ values: [i, seg], time: i * 10, segment: seg });
  return r;
}

const opts = (o: Partial<WindowerOptions>): WindowerOptions => ({ length: 4, lengthUnit: 'samples', stride: 2, strideUnit: 'samples', partial: 'drop', ...o });
const firstCol = (w: Window): number[] => w.data.map((r) => r[0]);

describe('windower', () => {
  it('slides windows by samples: length 4, stride 2', () => {
    const ws = feed(new Windower(opts({})), seq(0, 10));
    assert.deepStrictEqual(ws.map(firstCol), [[0, 1, 2, 3], [2, 3, 4, 5], [4, 5, 6, 7], [6, 7, 8, 9]]);
    assert.deepStrictEqual(ws.map((w) => w.time), [0, 20, 40, 60]);
    assert.deepStrictEqual(ws.map((w) => w.index), [0, 1, 2, 3]);
    assert.deepStrictEqual(ws[0].axes, ['a', 'b']);
  });

  it('converts ms to samples with the stream rate (50 Hz: 100 ms = 5 samples, stride 40 ms = 2)', () => {
    assert.strictEqual(toSamples(100, 'ms', 50), 5);
    assert.strictEqual(toSamples(100, 'ms', null), null);
    const w = new Windower(opts({ length: 100, lengthUnit: 'ms', stride: 40, strideUnit: 'ms' }));
    const ws = feed(w, seq(0, 9), undefined, 50);
    assert.deepStrictEqual(ws.map(firstCol), [[0, 1, 2, 3, 4], [2, 3, 4, 5, 6], [4, 5, 6, 7, 8]]);
    assert.strictEqual(ws[0].rate, 50);
  });

  it('waits for the rate when sizes are in ms, counting the samples it could not use', () => {
    const w = new Windower(opts({ length: 40, lengthUnit: 'ms', stride: 40, strideUnit: 'ms' }));
    assert.deepStrictEqual(feed(w, seq(0, 3), undefined, null), []);
    assert.strictEqual(w.counters.waitingForRate, 3);
    assert.deepStrictEqual(feed(w, seq(3, 11), undefined, 100).map(firstCol), [[3, 4, 5, 6], [7, 8, 9, 10]]);
  });

  it('leaves samples out when the stride is longer than the window', () => {
    const ws = feed(new Windower(opts({ length: 2, stride: 5 })), seq(0, 12));
    assert.deepStrictEqual(ws.map(firstCol), [[0, 1], [5, 6], [10, 11]]);
  });

  it('never joins two segments: drops the partial window and counts it', () => {
    const w = new Windower(opts({ stride: 4 }));
    const ws = feed(w, [...seq(0, 6, 0), ...seq(6, 12, 1)]);
    assert.deepStrictEqual(ws.map(firstCol), [[0, 1, 2, 3], [6, 7, 8, 9]]);
    assert.deepStrictEqual(ws.map((x) => x.segment), [0, 1]);
    assert.strictEqual(w.counters.partialDropped, 1);
    assert.deepStrictEqual(w.endSegment(), []);
    assert.strictEqual(w.counters.partialDropped, 2);
  });

  it('pads the partial window with zeros or the last sample, and a gap flag alone starts a new segment', () => {
    const z = new Windower(opts({ stride: 4, partial: 'zero' }));
    const zs = feed(z, [...seq(0, 6, 0), { values: [6, 0], time: 60, segment: 0, gap: true }]);
    assert.deepStrictEqual(zs.map(firstCol), [[0, 1, 2, 3], [4, 5, 0, 0]]);
    assert.strictEqual(zs[1].padded, 2);
    assert.strictEqual(z.counters.partialPadded, 1);

    const e = new Windower(opts({ stride: 4, partial: 'edge' }));
    const es = feed(e, [...seq(0, 5, 0), { values: [5, 0], time: 50, segment: 0, reset: true }]);
    assert.deepStrictEqual(es.map(firstCol), [[0, 1, 2, 3], [4, 4, 4, 4]]);
    // A segment whose samples are all inside emitted windows leaves nothing to pad.
    const f = new Windower(opts({ stride: 2, partial: 'zero' }));
    feed(f, seq(0, 4, 0));
    assert.deepStrictEqual(f.endSegment(), []);
  });

  it('keeps every window inside one segment for arbitrary segment layouts (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 }), fc.constantFrom('drop', 'zero', 'edge'), (lens, len, stride, partial) => {
        const w = new Windower(opts({ length: len, stride, partial: partial as 'drop' | 'zero' | 'edge' }));
        const samples = lens.flatMap((n, seg) => seq(0, n, seg));
        const ws = [...feed(w, samples), ...w.endSegment()];
        for (const x of ws) {
          assert.strictEqual(x.data.length, len);
          const real = x.data.slice(0, len - x.padded);
          assert.ok(real.every((r) => r[1] === x.segment), 'a window mixes segments');
          real.forEach((r, i) => i > 0 && assert.strictEqual(r[0], real[i - 1][0] + 1));
        }
        const full = ws.filter((x) => x.padded === 0).length;
        const expected = lens.reduce((acc, n) => acc + (n >= len ? Math.floor((n - len) / stride) + 1 : 0), 0);
        assert.strictEqual(full, expected);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('starts event windows on a trigger with a pre-trigger part, refractory until the window completes', () => {
    // Generated signal: small noise, two 8-sample bursts of 1.2 g on each of x, y, z (sum 3.6 >= 2.5).
    const samples: WindowInput[] = [];
    for (let i = 0; i < 300; i++) {
      const burst = (i >= 50 && i < 58) || (i >= 200 && i < 208);
      const v = burst ? 1.2 : 0.1 * Math.sin(i);
      samples.push({ values: [v, -v, v], time: i * 10, segment: 0 });
    }
    const w = new Windower({ length: 20, lengthUnit: 'samples', stride: 1, strideUnit: 'samples', partial: 'drop', trigger: { magnitude: 'sumAbs', threshold: 2.5, axes: ['ax', 'ay', 'az'], preTrigger: 0.25 } });
    const ws: Window[] = [];
    for (const s of samples) ws.push(...w.push(s, { axes: ['ax', 'ay', 'az'], rate: 100 }, 'punch'));
    assert.deepStrictEqual(ws.map((x) => x.time), [450, 1950]);
    assert.deepStrictEqual(ws.map((x) => x.trigger?.offset), [5, 5]);
    assert.ok(Math.abs((ws[0].trigger?.magnitude ?? 0) - 3.6) < 1e-12);
    assert.deepStrictEqual(ws[0].data[5], [1.2, -1.2, 1.2]);
    assert.deepStrictEqual(ws[0].data[4], samples[49].values);
    assert.ok(ws.every((x) => x.label === 'punch' && x.data.length === 20));
  });

  it('re-triggers inside a long burst only after the window completes, without reusing its samples', () => {
    const w = new Windower({ length: 10, lengthUnit: 'samples', stride: 1, strideUnit: 'samples', partial: 'drop', trigger: { magnitude: 'norm', threshold: 1, preTrigger: 0.5 } });
    const ws: Window[] = [];
    for (let i = 0; i < 40; i++) ws.push(...w.push({ values: [i >= 10 && i < 30 ? 2 : 0, 0], time: i, segment: 0 }, AXES));
    assert.deepStrictEqual(ws.map((x) => x.time), [5, 15, 25]);
    assert.deepStrictEqual(ws.map((x) => x.trigger?.offset), [5, 0, 0]);
    assert.strictEqual(triggerMagnitude('norm', [3, 4], [0, 1]), 5);
    assert.strictEqual(triggerMagnitude('maxAbs', [3, -4], [0, 1]), 4);
  });

  it('passes the label current at the window end through', () => {
    const w = new Windower(opts({ stride: 4 }));
    const ws = [...feed(w, seq(0, 3), 'idle'), ...feed(w, seq(3, 8), 'wave')];
    assert.deepStrictEqual(ws.map((x) => x.label), ['wave', 'wave']);
    const u = feed(new Windower(opts({ stride: 4 })), seq(0, 4));
    assert.strictEqual(u[0].label, undefined);
  });

  it('reads single samples and batches from capture messages', () => {
    assert.deepStrictEqual(samplesOfMessage({ payload: [1, 2], time: 5, segment: 3, gap: true }, 0), [{ values: [1, 2], time: 5, segment: 3, gap: true }]);
    const b = samplesOfMessage({ payload: [[1, 2], [3, 4]], time: [10, 20], segment: 1, reset: true }, 0);
    assert.deepStrictEqual(b, [{ values: [1, 2], time: 10, segment: 1, reset: true }, { values: [3, 4], time: 20, segment: 1 }]);
    assert.deepStrictEqual(samplesOfMessage({ payload: [[1], [2]], rate: 100 }, 1000)?.map((s) => s.time), [1000, 1010]);
    assert.strictEqual(samplesOfMessage({ payload: 'start' }, 0), null);
    assert.throws(() => samplesOfMessage({ payload: [1, 'x'] }, 0), /payload must be a sample/);
    assert.throws(() => new Windower(opts({ length: 0 })), /length must be a positive number/);
  });
});
