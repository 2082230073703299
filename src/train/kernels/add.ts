/**
 * Add for the 'cpu' backend when one float32 operand is a per-channel vector broadcast along the other's last axis
 * (a bias add: [..., C] + [1, ..., C]); the stock kernel (tfjs-backend-cpu utils/binary_impl.ts) converts every
 * output index to coordinates and back when broadcasting. Same float32 sums; everything else goes to the stock kernel.
 */
import { Add } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { cpuBackend, float32Values } from './cpu-values';

/** True when `vector`'s shape is [1, ..., 1, C] with no more axes than `full`, whose last axis is C. */
function isLastAxisVector(vector: readonly number[], full: readonly number[]): boolean {
  if (vector.length === 0 || full.length === 0 || vector.length > full.length) return false;
  if (vector[vector.length - 1] !== full[full.length - 1]) return false;
  for (let i = 0; i < vector.length - 1; ++i) if (vector[i] !== 1) return false;
  return true;
}

/** a + b for a per-channel broadcast of float32 tensors; undefined for anything else. */
export function fastAdd(args: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const backend = cpuBackend(args.backend);
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  let full = a;
  let vector = b;
  if (!isLastAxisVector(b.shape, a.shape)) {
    if (!isLastAxisVector(a.shape, b.shape)) return undefined;
    full = b;
    vector = a;
  }
  const fullVals = float32Values(backend, full);
  const vectorVals = float32Values(backend, vector);
  if (!fullVals || !vectorVals) return undefined;
  const channels = vectorVals.length;
  const out = new Float32Array(fullVals.length);
  // a + b keeps the operand order of the stock op (a float addition is commutative, but say what it computes).
  const vectorFirst = vector === a;
  for (let i = 0; i < fullVals.length; i += channels) {
    for (let c = 0; c < channels; ++c) {
      out[i + c] = vectorFirst ? vectorVals[c] + fullVals[i + c] : fullVals[i + c] + vectorVals[c];
    }
  }
  return backend.makeTensorInfo(full.shape, 'float32', out);
}

/** A kernel config running the fast path, and `stock` for what the fast path does not support. */
export function addConfig(stock: KernelConfig): KernelConfig {
  return {
    kernelName: Add,
    backendName: 'cpu',
    kernelFunc: (args) => fastAdd(args) ?? stock.kernelFunc(args),
  };
}
