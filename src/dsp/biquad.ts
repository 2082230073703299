/**
 * Biquad cascade in transposed direct form II, float32 step by step (mirrors `tml_biquad_*` in
 * firmware/arduino/tinyml_dsp/tml_dsp.c):
 *   y = b0·x + s1;  s1 = b1·x - a1·y + s2;  s2 = b2·x - a2·y.
 * The state starts at the steady state for the first input sample (as if that value had been
 * applied forever), so a low-pass does not ramp up from 0 and a high-pass does not ring on an
 * offset such as gravity.
 */
import { f32 } from './float32';
import type { BiquadSection } from './butterworth';

export class BiquadCascade {
  private readonly s1: Float32Array;
  private readonly s2: Float32Array;
  private started = false;

  constructor(private readonly sections: readonly BiquadSection[]) {
    this.s1 = new Float32Array(sections.length);
    this.s2 = new Float32Array(sections.length);
  }

  reset(): void {
    this.started = false;
  }

  /** Filter one float32 sample through every section. */
  step(input: number): number {
    let x = input;
    for (let i = 0; i < this.sections.length; i++) {
      const c = this.sections[i];
      if (!this.started) {
        const yss = f32(c.dcGain * x);
        this.s2[i] = f32(f32(c.b2 * x) - f32(c.a2 * yss));
        this.s1[i] = f32(f32(f32(c.b1 * x) - f32(c.a1 * yss)) + this.s2[i]);
      }
      const y = f32(f32(c.b0 * x) + this.s1[i]);
      this.s1[i] = f32(f32(f32(c.b1 * x) - f32(c.a1 * y)) + this.s2[i]);
      this.s2[i] = f32(f32(c.b2 * x) - f32(c.a2 * y));
      x = y;
    }
    this.started = true;
    return x;
  }
}
