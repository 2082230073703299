import assert from 'assert';
import { bufferBytes, computeFeatures } from '../../src/dsp/feature-pipeline';
import { f32, float32Bits, float32FromBits } from '../../src/dsp/float32';
import { log10_32, sqrt32 } from '../../src/dsp/float32-math';
import { quantizeInput, roundHalfAwayFromZero } from '../../src/dsp/input-quantization';
import { GOLDEN_CASES, goldenPlan, goldenWindows } from '../support/dsp-golden';
import { mulberry32 } from '../../src/random/mulberry32';
import { runAvrFeatures, runAvrFloatOps } from '../support/dsp-avr';

const hex = (v: number): string => float32Bits(v).toString(16).padStart(8, '0');

describe('feature twin on an emulated ATmega328P (avr-gcc -Os, simavr)', function () {
  this.timeout(300000);

  // Finding (avr-libc 2.0 on simavr): +, -, * and / round like IEEE binary32 round-to-nearest-even,
  // subnormal operands included, EXCEPT a division whose result is subnormal (|q| < 2^-126): it can
  // be one subnormal ulp off. Feature values never come near 1e-38 (band powers get + epsilon).
  it('avr-libc float +, -, *, / round like IEEE binary32 (one-ulp exception: subnormal quotients)', async () => {
    const rnd = mulberry32(7);
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < 600; i++) {
      const k = i % 6;
      const bits = (max: number): number => float32FromBits(Math.floor(rnd() * max) | (rnd() < 0.5 ? 0x80000000 : 0));
      if (k === 0) pairs.push([f32((rnd() - 0.5) * 10), f32((rnd() - 0.5) * 10)]);
      else if (k === 1) pairs.push([bits(0x7f000000), bits(0x7f000000)]);
      else if (k === 2) pairs.push([f32(1 + Math.floor(rnd() * 8388608) / 8388608), f32(1 + Math.floor(rnd() * 8388608) / 8388608)]); // ties in + and *
      else if (k === 3) pairs.push([f32(Math.floor(rnd() * 200) - 100 + 0.5), f32(rnd() * 2 + 0.01)]);
      else if (k === 4) pairs.push([bits(0x00800000), bits(0x00800000)]); // both subnormal
      else pairs.push([bits(0x01000000), f32(rnd() * 4)]); // tiny results around the subnormal range
    }
    pairs.push([1, 2 ** -24], [1, 3 * 2 ** -25], [1.5, 0.5], [-2.5, 1], [f32(0.49999997), 1]);
    const rows = await runAvrFloatOps(pairs);
    const bad: string[] = [];
    let subnormalDivOffByOne = 0;
    rows.forEach((r, i) => {
      const [a, b] = pairs[i];
      const want = { add: f32(a + b), sub: f32(a - b), mul: f32(a * b), div: f32(a / b), sqrt: sqrt32(a), log10: log10_32(a) };
      for (const [op, v] of Object.entries(want)) {
        const got = r[op as keyof typeof want];
        if (hex(got) === hex(v) || (Number.isNaN(got) && Number.isNaN(v))) continue;
        const subnormalQuotient = op === 'div' && Math.abs(v) < 2 ** -126 && Math.abs(float32Bits(got) - float32Bits(v)) === 1;
        if (subnormalQuotient) subnormalDivOffByOne++;
        else bad.push(`${op}(${a}, ${b}) = ${got}, want ${v}`);
      }
      if (r.round !== roundHalfAwayFromZero(a)) bad.push(`round(${a}) = ${r.round}`);
      if (r.quantized !== quantizeInput(a, b, 3)) bad.push(`quantize(${a}, ${b}) = ${r.quantized}`);
    });
    assert.deepStrictEqual(bad.slice(0, 10), [], `${bad.length} of ${rows.length * 8} results differ`);
    assert.ok(subnormalDivOffByOne < pairs.length / 20, `${subnormalDivOffByOne} subnormal quotients off by one ulp`);
  });

  // the first golden case keeps the whole window for the mean-crossing rate: 3.2 KB, more than the Uno has
  for (const c of GOLDEN_CASES.slice(1)) {
    it(`reproduces golden case '${c.name}' bit for bit, in exactly bufferBytes() of RAM`, async () => {
      const plan = goldenPlan(c);
      const windows = goldenWindows(c.shape, 6, 99);
      const run = await runAvrFeatures(plan, windows);
      assert.strictEqual(run.stateBytes, bufferBytes(c.config, c.shape.windowLength, c.shape.axes.length).total);
      windows.forEach((w, i) => assert.deepStrictEqual(Array.from(run.features[i], hex), computeFeatures(plan, w).map(hex), `window ${i}`));
    });
  }
});
