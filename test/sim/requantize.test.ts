/**
 * The kernels' inlined requantization (src/mcu/ops/requantize.ts, SRDHM fast path for |x| < 2^22)
 * equals tflite::MultiplyByQuantizedMultiplier as src/quant/fixed-point.ts computes it (itself
 * checked against BigInt), on random values and on the edges of the fast path.
 */
import assert from 'assert';
import { requantize } from '../../src/mcu/ops/requantize';
import { multiplyByQuantizedMultiplier, INT32_MAX, INT32_MIN } from '../../src/quant/fixed-point';
import { mulberry32 } from '../../src/random/mulberry32';

describe('kernel requantization', function () {
  it('equals MultiplyByQuantizedMultiplier on 500,000 random values and the fast-path edges', function () {
    const r = mulberry32(42);
    const edges = [0, 1, -1, 4194303, -4194303, 4194304, -4194304, 2097152, -2097153, INT32_MAX, INT32_MIN, 1 << 30, -(1 << 30)];
    const multipliers = [1 << 30, INT32_MAX, 1073741825, 1518500250, 2147483000];
    let n = 0;
    for (let i = 0; i < 500_000 + edges.length * multipliers.length * 8; i++) {
      const e = i - 500_000;
      const acc = e >= 0 ? edges[Math.floor(e / (multipliers.length * 8)) % edges.length] : (r() < 0.5 ? Math.floor((r() - 0.5) * 2 ** 24) : Math.floor((r() - 0.5) * 2 ** 32));
      const multiplier = e >= 0 ? multipliers[Math.floor(e / 8) % multipliers.length] : (1 << 30) + Math.floor(r() * (2 ** 30 - 1));
      const shift = e >= 0 ? (e % 8) - 5 : Math.floor(r() * 40) - 31;
      const want = multiplyByQuantizedMultiplier(acc, multiplier, shift);
      const got = requantize(acc, multiplier, shift);
      if (got !== want) assert.fail(`requantize(${acc}, ${multiplier}, ${shift}) = ${got}, MultiplyByQuantizedMultiplier gives ${want}`);
      n++;
    }
    assert.ok(n > 500_000);
  });
});
