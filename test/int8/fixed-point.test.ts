/**
 * Fixed-point helpers: literal golden values worked out from TFLite's definitions (common.h,
 * gemmlowp fixedpoint.h, quantization_util.cc), and the BigInt-free SRDHM against a BigInt
 * reference on two million random pairs plus edge cases.
 */
import { strict as assert } from 'assert';
import {
  srdhm, srdhmBigInt, roundingDivideByPot, multiplyByQuantizedMultiplier, INT32_MIN, INT32_MAX,
} from '../../src/quant/fixed-point';
import { quantizeMultiplier, activationRange, softmaxParams } from '../../src/quant/quantize-multiplier';
import { softmaxInt8 } from '../../src/mcu/ops/softmax';
import { quantizeValue } from '../../src/mcu/quantize-io';
import { mulberry32 } from '../../src/random/mulberry32';

describe('fixed point (TFLite semantics)', () => {
  it('SRDHM golden values: ties round up, INT32_MIN^2 saturates', () => {
    assert.equal(srdhm(INT32_MIN, INT32_MIN), INT32_MAX);
    assert.equal(srdhm(3, 1 << 30), 2); // 1.5 -> 2
    assert.equal(srdhm(-3, 1 << 30), -1); // -1.5 -> -1: the negative nudge 1 - 2^30 then truncation
    assert.equal(srdhm(-5, 1 << 30), -2); // -2.5 -> -2
    assert.equal(srdhm(INT32_MAX, INT32_MAX), 2147483646);
    assert.equal(srdhm(INT32_MIN, INT32_MAX), -2147483647);
    assert.equal(srdhm(1000, 1073741824), 500);
    assert.equal(srdhm(0, INT32_MIN), 0);
  });

  it('RoundingDivideByPOT rounds half away from zero', () => {
    assert.deepEqual([[3, 1], [-3, 1], [-5, 2], [-6, 2], [5, 2], [6, 2], [INT32_MIN, 31], [INT32_MAX, 31], [-1, 31], [7, 0]]
      .map(([x, e]) => roundingDivideByPot(x, e)), [2, -2, -1, -2, 1, 2, -1, 1, 0, 7]);
  });

  it('QuantizeMultiplier and MultiplyByQuantizedMultiplier', () => {
    assert.deepEqual(quantizeMultiplier(0.5), { multiplier: 1 << 30, shift: 0 });
    assert.deepEqual(quantizeMultiplier(1), { multiplier: 1 << 30, shift: 1 });
    assert.deepEqual(quantizeMultiplier(0.25), { multiplier: 1 << 30, shift: -1 });
    assert.deepEqual(quantizeMultiplier(0.1), { multiplier: 1717986918, shift: -3 });
    assert.deepEqual(quantizeMultiplier(2 ** -40), { multiplier: 0, shift: 0 });
    // 0.9999999999 rounds up to 2^31: halved, shift + 1.
    assert.deepEqual(quantizeMultiplier(0.99999999999), { multiplier: 1 << 30, shift: 1 });
    assert.equal(multiplyByQuantizedMultiplier(100, 1 << 30, 0), 50);
    assert.equal(multiplyByQuantizedMultiplier(-300, 1717986918, -3), -30);
    assert.equal(multiplyByQuantizedMultiplier(-305, 1717986918, -3), -31); // SRDHM -> -244, then -30.5 rounds away to -31
    assert.equal(multiplyByQuantizedMultiplier(7, 1 << 30, 1), 7);
  });

  it('activation ranges come from the output quantization (CalculateActivationRangeQuantized)', () => {
    assert.deepEqual(activationRange('relu', { scale: 0.1, zeroPoint: -10 }), { min: -10, max: 127 });
    assert.deepEqual(activationRange('relu6', { scale: 0.05, zeroPoint: -128 }), { min: -128, max: -8 });
    assert.deepEqual(activationRange('relu6', { scale: 0.01, zeroPoint: 0 }), { min: 0, max: 127 });
    assert.deepEqual(activationRange('none', { scale: 0.01, zeroPoint: 100 }), { min: -128, max: 127 });
  });

  it('quantizes float values as TFLite QUANTIZE (round half away, clamp, NaN to zero point)', () => {
    assert.deepEqual([2.5, -2.5, 0.49999997, 1e30, -1e30, Number.NaN].map((v) => quantizeValue(Math.fround(v), 1, 3)), [6, 0, 3, 127, -128, 3]);
  });

  it('SRDHM without BigInt equals the BigInt reference on 2,000,000 random pairs and the edges', () => {
    const edges = [0, 1, -1, 2, -2, 32767, 32768, -32768, 65535, 65536, -65536, 2097151, -2097151, 2097152, -2097152, 1 << 30, -(1 << 30), INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1];
    for (const a of edges) for (const b of edges) assert.equal(srdhm(a, b), srdhmBigInt(a, b), `srdhm(${a}, ${b})`);
    const r = mulberry32(42);
    const draw = (): number => {
      const k = r();
      if (k < 0.6) return (r() * 4294967296) | 0;
      if (k < 0.8) return ((r() - 0.5) * 2 ** (1 + Math.floor(r() * 31))) | 0;
      return edges[Math.floor(r() * edges.length)] + Math.floor(r() * 5) - 2 | 0;
    };
    let mismatches = 0;
    for (let i = 0; i < 2_000_000; i++) {
      const a = draw();
      const b = draw();
      if (srdhm(a, b) !== srdhmBigInt(a, b)) { mismatches++; if (mismatches < 5) console.error('mismatch', a, b); }
    }
    assert.equal(mismatches, 0);
  });

  it('int8 softmax: golden values and agreement with the float softmax within one step', () => {
    const params = softmaxParams(1, 0.1);
    const out = new Int8Array(4);
    softmaxInt8(params, 4, new Int8Array([5, 5, 5, 5]), out);
    assert.deepEqual(Array.from(out), [-64, -64, -64, -64]); // 0.25 * 256 - 128
    softmaxInt8(params, 4, new Int8Array([127, -128, -128, -128]), out);
    assert.deepEqual(Array.from(out), [127, -128, -128, -128]);
    const r = mulberry32(7);
    for (let t = 0; t < 500; t++) {
      const depth = 2 + Math.floor(r() * 10);
      const scale = Math.fround(0.01 + r() * 0.2);
      const p = softmaxParams(1, scale);
      const x = Int8Array.from({ length: depth }, () => Math.floor(r() * 256) - 128);
      const y = new Int8Array(depth);
      softmaxInt8(p, depth, x, y);
      const m = Math.max(...x);
      const e = Array.from(x, (v) => Math.exp((v - m) * scale));
      const s = e.reduce((a, b) => a + b, 0);
      e.forEach((v, i) => assert.ok(Math.abs(Math.min(127, Math.round((v / s) * 256) - 128) - y[i]) <= 1, `softmax ${x} -> ${y}`));
    }
  });
});
