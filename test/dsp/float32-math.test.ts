import assert from 'assert';
import fc from 'fast-check';
import { f32, float32Bits, float32FromBits, hexFloat32 } from '../../src/dsp/float32';
import { log10_32, sqrt32 } from '../../src/dsp/float32-math';
import { quantizeInput, roundHalfAwayFromZero } from '../../src/dsp/input-quantization';

function ulpDiff(a: number, b: number): number {
  return Math.abs(float32Bits(a) - float32Bits(b));
}

describe('float32 helpers and our own sqrt/log10', () => {
  it('emits C hex float literals that denote the exact float32 bits', () => {
    assert.strictEqual(hexFloat32(1), '0x1.000000p+0f');
    assert.strictEqual(hexFloat32(-0.75), '-0x1.800000p-1f');
    assert.strictEqual(hexFloat32(-0), '-0.0f');
    assert.strictEqual(hexFloat32(float32FromBits(1)), '0x0.000002p-126f');
    assert.throws(() => hexFloat32(Infinity), /not finite/);
    fc.assert(fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
      const m = /^(-?)0x([01])\.([0-9a-f]{6})p([+-]\d+)f$/.exec(hexFloat32(x));
      if (!m) return hexFloat32(x).endsWith('0.0f') && x === 0;
      const value = (m[1] ? -1 : 1) * (Number(m[2]) + parseInt(m[3], 16) / 2 ** 24) * 2 ** Number(m[4]);
      return Object.is(value, f32(x));
    }));
  });

  it('sqrt32 is within one ulp of the correctly rounded square root, subnormals included', () => {
    fc.assert(fc.property(fc.float({ min: 0, noNaN: true, noDefaultInfinity: true }), (x) => ulpDiff(sqrt32(x), f32(Math.sqrt(x))) <= 1));
    assert.strictEqual(sqrt32(4), 2);
    assert.strictEqual(sqrt32(0), 0);
    assert.strictEqual(sqrt32(-1), 0);
    assert.strictEqual(sqrt32(Infinity), Infinity);
  });

  it('log10_32 is within 3 ulp (or 2e-7 absolute near 1) of log10', () => {
    fc.assert(fc.property(fc.float({ min: f32(1e-37), noNaN: true, noDefaultInfinity: true }), (x) => {
      const exact = Math.log10(x);
      return ulpDiff(log10_32(x), f32(exact)) <= 3 || Math.abs(log10_32(x) - exact) < 2e-7;
    }));
    assert.strictEqual(log10_32(1), 0);
    assert.ok(Math.abs(log10_32(1000) - 3) < 1e-6);
    assert.strictEqual(log10_32(0), -Infinity);
    assert.ok(Math.abs(log10_32(float32FromBits(1)) - Math.log10(float32FromBits(1))) < 1e-5, 'subnormal');
  });

  it('rounds half away from zero as TFLite does (Math.round does not)', () => {
    assert.strictEqual(roundHalfAwayFromZero(-2.5), -3);
    assert.strictEqual(Math.round(-2.5), -2);
    assert.strictEqual(roundHalfAwayFromZero(2.5), 3);
    assert.strictEqual(roundHalfAwayFromZero(f32(0.49999997)), 0);
    assert.strictEqual(roundHalfAwayFromZero(-0.4), 0);
    assert.ok(Object.is(roundHalfAwayFromZero(-0.4), 0), 'no negative zero');
    assert.strictEqual(roundHalfAwayFromZero(1e30), 8388608);
  });

  it('quantizes like TFLite QUANTIZE: float32 division, round, add zero point, clamp to int8', () => {
    assert.strictEqual(quantizeInput(0.25, 0.1, 0), 3); // 2.5 -> 3
    assert.strictEqual(quantizeInput(-0.25, 0.1, 0), -3);
    assert.strictEqual(quantizeInput(100, 0.1, 0), 127);
    assert.strictEqual(quantizeInput(-100, 0.1, -5), -128);
    assert.strictEqual(quantizeInput(0, 0.5, -7), -7);
  });
});
