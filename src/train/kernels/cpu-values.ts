/** Reads a tensor's data from the pure-JS CPU backend as the flat typed array the kernels loop over. */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

/** The backend argument of a 'cpu' kernel function, typed as what it is at run time. */
export function cpuBackend(backend: unknown): MathBackendCPU {
  return backend as MathBackendCPU;
}

/** The float32 values of `t`, or undefined when they are not a Float32Array (complex, int, string): the caller then falls back to the stock kernel. */
export function float32Values(backend: MathBackendCPU, t: TensorInfo): Float32Array | undefined {
  if (t.dtype !== 'float32') return undefined;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array ? values : undefined;
}
