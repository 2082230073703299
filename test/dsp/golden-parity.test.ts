import assert from 'assert';
import fs from 'fs';
import fc from 'fast-check';
import { generateFeatureHeader } from '../../src/codegen/c-features';
import { computeFeatures } from '../../src/dsp/feature-pipeline';
import { float32Bits, float32FromBits } from '../../src/dsp/float32';
import { log10_32, sqrt32 } from '../../src/dsp/float32-math';
import { quantizeInput, roundHalfAwayFromZero } from '../../src/dsp/input-quantization';
import { normalize } from '../../src/dsp/normalization';
import { computeGolden, GOLDEN_CASES, GOLDEN_FILE, goldenPlan, goldenWindows, GOLDEN_WINDOWS_PER_CASE, type GoldenFile } from '../support/dsp-golden';
import { buildHostFeatures, runHostFeatures, runHostMath, runHostNormalize } from '../support/dsp-host';

const hex = (v: number): string => float32Bits(v).toString(16).padStart(8, '0');

describe('feature twin: golden vectors, TypeScript vs C on the host (gcc, no FMA)', () => {
  const golden = JSON.parse(fs.readFileSync(GOLDEN_FILE, 'utf8')) as GoldenFile;

  it('the engine still produces the committed golden features, bit for bit', () => {
    const now = computeGolden();
    assert.strictEqual(now.cases.length, golden.cases.length);
    now.cases.forEach((c, i) => {
      assert.deepStrictEqual(c.names, golden.cases[i].names, `${c.name}: names`);
      assert.deepStrictEqual(c.features, golden.cases[i].features, `${c.name}: features changed; if intended, regenerate with dsp-golden.js --write`);
    });
  });

  for (const [k, c] of GOLDEN_CASES.entries()) {
    it(`C host harness reproduces golden case '${c.name}' bit for bit`, () => {
      const plan = goldenPlan(c);
      const windows = goldenWindows(c.shape, GOLDEN_WINDOWS_PER_CASE, golden.cases[k].seed);
      const out = runHostFeatures(buildHostFeatures(plan), plan, windows);
      out.forEach((v, i) => assert.deepStrictEqual(Array.from(v, hex), golden.cases[k].features[i], `${c.name} window ${i}`));
    });
  }

  it('C sqrt, log10, rounding and quantization equal the TypeScript twins on random and edge values', () => {
    const plan = goldenPlan(GOLDEN_CASES[1]);
    const exe = buildHostFeatures(plan);
    const xs: number[] = [0, -0, 1, -1, 0.5, -2.5, 2.5, Math.fround(0.49999997), 1e-45, 1.17e-38, 3.4e38, -7.5, 1e-10];
    fc.sample(fc.float({ noNaN: true, noDefaultInfinity: true }), 3000).forEach((v) => xs.push(v));
    fc.sample(fc.integer({ min: 0, max: 0x7f7fffff }), 3000).forEach((b) => xs.push(float32FromBits(b)));
    fc.sample(fc.integer({ min: -2000, max: 2000 }), 500).forEach((i) => xs.push(i / 4));
    const arr = Float32Array.from(xs);
    const scale = Math.fround(0.0372);
    const r = runHostMath(exe, arr, scale, -5);
    arr.forEach((x, i) => {
      assert.strictEqual(hex(r.sqrt[i]), hex(sqrt32(x)), `sqrt(${x})`);
      assert.strictEqual(hex(r.log10[i]), hex(log10_32(x)), `log10(${x})`);
      assert.strictEqual(r.round[i], roundHalfAwayFromZero(x), `round(${x})`);
      assert.strictEqual(r.quantized[i], quantizeInput(x, scale, -5), `quantize(${x})`);
    });
  });

  it('C normalization equals the TypeScript twin', () => {
    const exe = buildHostFeatures(goldenPlan(GOLDEN_CASES[1]));
    const params = { mean: [0.5, -3.25, Math.fround(0.1)], std: [2, Math.fround(0.3), 1] };
    const vectors = fc.sample(fc.array(fc.float({ noNaN: true, min: -1000, max: 1000 }), { minLength: 3, maxLength: 3 }), 200);
    const c = runHostNormalize(exe, params.mean, params.std, vectors);
    vectors.forEach((v, i) => assert.deepStrictEqual(Array.from(c[i], hex), normalize(params, v).map(hex)));
  });

  it('the generated header carries the engine tables as exact hex floats', () => {
    const plan = goldenPlan(GOLDEN_CASES[1]);
    const h = generateFeatureHeader(plan);
    assert.match(h, /#define TML_FEAT_OUT 39\b/);
    assert.match(h, /#define TML_FEAT_FFT_N 32\b/);
    assert.match(h, /#define TML_FEAT_FILTER_SECTIONS 2\b/);
    assert.ok(h.includes('0x1.000000p+0f'), 'window peak 1.0 as hex');
    assert.ok(!/\/work\//.test(h), 'no machine path');
    assert.deepStrictEqual(computeFeatures(plan, goldenWindows(plan.shape, 1, 1)[0]).length, 39);
  });
});
