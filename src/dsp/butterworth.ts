/**
 * Butterworth low/high-pass filters as cascaded second-order sections, designed with the
 * bilinear transform (frequency pre-warped at the cut-off) in float64, then rounded to float32.
 *
 * Each section is the RBJ Audio EQ Cookbook LPF/HPF biquad (R. Bristow-Johnson, "Cookbook
 * formulae for audio EQ biquad filter coefficients": w0 = 2π·f0/fs, α = sin(w0)/(2Q)), which is
 * the bilinear transform of 1/(s² + s/Q + 1) pre-warped at f0. A Butterworth filter of even order
 * n is the cascade of such sections with Q_k = 1 / (2·sin(π(2k+1)/(2n))), k = 0..n/2-1 (the
 * standard Butterworth pole placement on the unit circle at angles π(2k+1)/(2n) from the jω axis).
 */
import { f32 } from './float32';

export type FilterType = 'lowpass' | 'highpass';

export interface FilterConfig {
  type: FilterType;
  /** cut-off (-3 dB) frequency in Hz, 0 < cutoffHz < rate/2 */
  cutoffHz: number;
  /** even order 2, 4, 6 or 8 (default 2) */
  order?: number;
}

/** Normalised biquad (a0 = 1), float32 coefficients, and its DC gain for the initial state. */
export interface BiquadSection {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
  /** H(z=1) = (b0+b1+b2)/(1+a1+a2), float32: the section's output for a constant input */
  dcGain: number;
}

export function filterProblems(filter: FilterConfig, rate: number): string[] {
  const problems: string[] = [];
  if (filter.type !== 'lowpass' && filter.type !== 'highpass') problems.push(`filter.type must be 'lowpass' or 'highpass', got '${String(filter.type)}'`);
  const order = filter.order ?? 2;
  if (![2, 4, 6, 8].includes(order)) problems.push(`filter.order must be 2, 4, 6 or 8, got ${order}`);
  if (!(filter.cutoffHz > 0 && filter.cutoffHz < rate / 2)) {
    problems.push(`filter.cutoffHz must be between 0 and half the sample rate (${rate / 2} Hz at ${rate} Hz), got ${filter.cutoffHz}`);
  }
  return problems;
}

export function butterworthSections(filter: FilterConfig, rate: number): BiquadSection[] {
  const problems = filterProblems(filter, rate);
  if (problems.length) throw new Error(problems.join('; '));
  const order = filter.order ?? 2;
  const w0 = (2 * Math.PI * filter.cutoffHz) / rate;
  const cosw = Math.cos(w0);
  const sections: BiquadSection[] = [];
  for (let k = 0; k < order / 2; k++) {
    const q = 1 / (2 * Math.sin((Math.PI * (2 * k + 1)) / (2 * order)));
    const alpha = Math.sin(w0) / (2 * q);
    const a0 = 1 + alpha;
    const lp = filter.type === 'lowpass';
    const b0 = (lp ? (1 - cosw) / 2 : (1 + cosw) / 2) / a0;
    const b1 = (lp ? 1 - cosw : -(1 + cosw)) / a0;
    const a1 = (-2 * cosw) / a0;
    const a2 = (1 - alpha) / a0;
    const s = { b0: f32(b0), b1: f32(b1), b2: f32(b0), a1: f32(a1), a2: f32(a2) };
    sections.push({ ...s, dcGain: f32((s.b0 + s.b1 + s.b2) / (1 + s.a1 + s.a2)) });
  }
  return sections;
}
