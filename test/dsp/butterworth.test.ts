import assert from 'assert';
import { BiquadCascade } from '../../src/dsp/biquad';
import { butterworthSections, filterProblems, type BiquadSection } from '../../src/dsp/butterworth';

/** |H(e^jw)| of a cascade, in float64 from the float32 coefficients. */
function gain(sections: BiquadSection[], f: number, rate: number): number {
  const w = (2 * Math.PI * f) / rate;
  let g = 1;
  for (const s of sections) {
    const num = [s.b0 + s.b1 * Math.cos(w) + s.b2 * Math.cos(2 * w), -(s.b1 * Math.sin(w) + s.b2 * Math.sin(2 * w))];
    const den = [1 + s.a1 * Math.cos(w) + s.a2 * Math.cos(2 * w), -(s.a1 * Math.sin(w) + s.a2 * Math.sin(2 * w))];
    g *= Math.hypot(num[0], num[1]) / Math.hypot(den[0], den[1]);
  }
  return g;
}

describe('Butterworth biquad cascade', () => {
  for (const order of [2, 4, 6, 8]) {
    it(`order ${order}: -3 dB at the cut-off, flat pass band, 2n-pole roll-off`, () => {
      const lp = butterworthSections({ type: 'lowpass', cutoffHz: 10, order }, 100);
      const hp = butterworthSections({ type: 'highpass', cutoffHz: 10, order }, 100);
      assert.strictEqual(lp.length, order / 2);
      assert.ok(Math.abs(gain(lp, 10, 100) - Math.SQRT1_2) < 1e-4, `lp at fc ${gain(lp, 10, 100)}`);
      assert.ok(Math.abs(gain(hp, 10, 100) - Math.SQRT1_2) < 1e-4);
      assert.ok(Math.abs(gain(lp, 0, 100) - 1) < 1e-5);
      assert.ok(gain(hp, 0, 100) < 1e-5);
      assert.ok(Math.abs(gain(hp, 50, 100) - 1) < 1e-5);
      // maximally flat: monotonic fall above the cut-off
      assert.ok(gain(lp, 20, 100) < gain(lp, 15, 100) && gain(lp, 15, 100) < Math.SQRT1_2);
    });
  }

  it('starts in the steady state: a constant passes a low-pass unchanged and vanishes in a high-pass', () => {
    const lp = new BiquadCascade(butterworthSections({ type: 'lowpass', cutoffHz: 5, order: 4 }, 100));
    const hp = new BiquadCascade(butterworthSections({ type: 'highpass', cutoffHz: 5, order: 4 }, 100));
    for (let i = 0; i < 50; i++) {
      assert.ok(Math.abs(lp.step(1) - 1) < 1e-5);
      assert.ok(Math.abs(hp.step(1)) < 1e-5);
    }
  });

  it('attenuates a tone above a low-pass cut-off', () => {
    const lp = new BiquadCascade(butterworthSections({ type: 'lowpass', cutoffHz: 5, order: 4 }, 100));
    let peak = 0;
    for (let t = 0; t < 400; t++) {
      const y = lp.step(Math.fround(Math.sin((2 * Math.PI * 30 * t) / 100)));
      if (t > 200) peak = Math.max(peak, Math.abs(y));
    }
    assert.ok(peak < 0.01, `peak ${peak}`);
  });

  it('names the field of every invalid filter setting', () => {
    assert.match(filterProblems({ type: 'lowpass', cutoffHz: 60 }, 100).join(), /cutoffHz .*50 Hz/);
    assert.match(filterProblems({ type: 'lowpass', cutoffHz: 10, order: 3 }, 100).join(), /filter.order/);
    assert.throws(() => butterworthSections({ type: 'highpass', cutoffHz: 0 }, 100), /cutoffHz/);
  });
});
