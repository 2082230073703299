/**
 * Window functions for spectral estimation, as float32 tables (the C twin receives the same
 * table as generated constants).
 */
import { f32 } from './float32';

export type WindowName = 'hann-periodic' | 'hann-symmetric' | 'rectangular';

/**
 * Hann window of length n. Periodic ("DFT-even", scipy.signal.get_window('hann', n), the one
 * Welch's method uses): w[k] = 0.5 - 0.5·cos(2πk/n). Symmetric: cos(2πk/(n-1)).
 * Computed in float64, each coefficient rounded once to float32.
 */
export function windowTable(name: WindowName, n: number): Float32Array {
  if (!Number.isInteger(n) || n < 1) throw new Error(`window length must be a positive integer, got ${n}`);
  const w = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    if (name === 'rectangular') w[k] = 1;
    else {
      const denom = name === 'hann-periodic' ? n : Math.max(1, n - 1);
      w[k] = f32(0.5 - 0.5 * Math.cos((2 * Math.PI * k) / denom));
    }
  }
  return w;
}

/** Σ w[k]² in float64 over the float32 coefficients (used for PSD normalisation constants). */
export function windowPowerSum(w: Float32Array): number {
  let s = 0;
  for (const v of w) s += v * v;
  return s;
}
