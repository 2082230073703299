/** Helpers for the fast-kernel tests: a seeded generator and runs of one computation under stock and fast kernels. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's CommonJS bundle registers no gradients; tfjs-layers' bundle registers them all (its ESM file cannot be required).
import '@tensorflow/tfjs-layers';
import { registerFastKernels, restoreStockKernels } from '../../src/train/kernels';

/** An integer in [lo, hi]. */
export function intIn(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/** A float32 tensor of the shape with values in [−1, 1). */
export function randomTensor(r: () => number, shape: number[]): tf.Tensor {
  const size = shape.reduce((p, q) => p * q, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => r() * 2 - 1), shape, 'float32');
}

/** The values of what `compute` returns, run once with the stock kernels and once with the fast ones. */
export function stockAndFast(compute: () => tf.Tensor[]): { stock: Float32Array[]; fast: Float32Array[] } {
  const run = (): Float32Array[] => tf.tidy(compute).map((t) => {
    const v = Float32Array.from(t.dataSync());
    t.dispose();
    return v;
  });
  restoreStockKernels();
  const stock = run();
  registerFastKernels();
  const fast = run();
  return { stock, fast };
}

/** max |fast − stock| / max |stock| (NaN-aware: a NaN in one and not the other is an infinite error). */
export function relativeError(fast: Float32Array, stock: Float32Array): number {
  if (fast.length !== stock.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < stock.length; ++i) {
    if (Number.isNaN(fast[i]) !== Number.isNaN(stock[i])) return Infinity;
    if (Number.isNaN(stock[i])) continue;
    if (fast[i] !== stock[i]) diff = Math.max(diff, Math.abs(fast[i] - stock[i]));
    if (Number.isFinite(stock[i])) scale = Math.max(scale, Math.abs(stock[i]));
  }
  return diff === 0 ? 0 : diff / Math.max(scale, 1e-30);
}

/** True when both arrays hold the same float32 bit patterns (NaNs compare equal). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; ++i) if (ua[i] !== ub[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}
