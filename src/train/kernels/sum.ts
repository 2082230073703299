/**
 * Sum for the 'cpu' backend over the leading axes of a float32 tensor (a bias gradient: [B, ..., C] → [C]); the stock
 * kernel (tfjs-backend-cpu kernels/Sum.ts) first transposes the reduced axes to the end. Same float64 sums in the same
 * order (ascending flat index of the reduced axes); everything else goes to the stock kernel.
 */
import { backend_util, Sum, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { cpuBackend, float32Values } from './cpu-values';

/** Σ over axes 0..k−1 (k < rank) of a float32 tensor; undefined for anything else. */
export function fastSum(args: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const backend = cpuBackend(args.backend);
  const { x } = args.inputs as { x: TensorInfo };
  const attrs = args.attrs as unknown as SumAttrs;
  const xVals = float32Values(backend, x);
  if (!xVals || x.shape.length < 2) return undefined;
  const axes = [...util.parseAxisParam(attrs.axis, x.shape)].sort((p, q) => p - q);
  if (axes.length === 0 || axes.length >= x.shape.length) return undefined;
  for (let i = 0; i < axes.length; ++i) if (axes[i] !== i) return undefined;
  const inner = util.sizeFromShape(x.shape.slice(axes.length));
  const acc = new Float64Array(inner);
  for (let o = 0; o < xVals.length; o += inner) {
    for (let j = 0; j < inner; ++j) acc[j] += xVals[o + j];
  }
  const outShape = attrs.keepDims ? backend_util.expandShapeToKeepDim(x.shape.slice(axes.length), axes) : x.shape.slice(axes.length);
  return backend.makeTensorInfo(outShape, 'float32', new Float32Array(acc));
}

/** A kernel config running the fast path, and `stock` for what the fast path does not support. */
export function sumConfig(stock: KernelConfig): KernelConfig {
  return {
    kernelName: Sum,
    backendName: 'cpu',
    kernelFunc: (args) => fastSum(args) ?? stock.kernelFunc(args),
  };
}
