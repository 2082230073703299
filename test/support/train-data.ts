/**
 * Generated training data for the train tests: classes that are separable by construction
 * (different frequency and offset per class, small noise), and normal/anomalous vibration.
 */
import { mulberry32 } from '../../src/random/mulberry32';
import type { WindowInput } from '../../src/train/train-model';

export const RATE = 64;
export const AXES = ['x', 'y'];

/** `n` windows of 64 samples × 2 axes, classes a/b/c in turn, groups g0..g3. */
export function separableWindows(n: number, seed = 1, length = 64): WindowInput[] {
  const r = mulberry32(seed);
  const out: WindowInput[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    const freq = [2, 5, 11][c];
    const phase = r() * 6.28;
    const data: number[][] = [];
    for (let t = 0; t < length; t++) data.push([Math.sin((2 * Math.PI * freq * t) / RATE + phase) + 0.2 * (r() - 0.5), (c - 1) * 0.5 + 0.2 * (r() - 0.5)]);
    out.push({ data, label: ['a', 'b', 'c'][c], group: `g${i % 4}` });
  }
  return out;
}

/** Vibration at 8 Hz; anomalies add a 20 Hz component (a loose part). Label 'normal' or 'anomaly'. */
export function vibrationWindows(n: number, anomalous: boolean, seed = 2): WindowInput[] {
  const r = mulberry32(seed);
  const out: WindowInput[] = [];
  for (let i = 0; i < n; i++) {
    const phase = r() * 6.28;
    const amp = 1 + 0.1 * (r() - 0.5);
    const data: number[][] = [];
    for (let t = 0; t < 64; t++) {
      const base = amp * Math.sin((2 * Math.PI * 8 * t) / RATE + phase);
      const extra = anomalous ? 0.5 * Math.sin((2 * Math.PI * 20 * t) / RATE + phase * 2) : 0;
      data.push([base + extra + 0.1 * (r() - 0.5), 0.3 * base + 0.1 * (r() - 0.5)]);
    }
    out.push({ data, label: anomalous ? 'anomaly' : 'normal', group: `g${i % 3}` });
  }
  return out;
}
