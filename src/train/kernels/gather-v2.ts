/**
 * GatherV2 for the 'cpu' backend along axis 0 of a float32 tensor (taking a batch of rows from a dataset): whole rows
 * are copied, where the stock kernel (tfjs-backend-cpu kernels/GatherV2_impl.ts) maps every element's index through
 * coordinates. Out-of-range indices, other axes, batchDims and dtypes go to the stock kernel (and its errors).
 */
import { GatherV2, util } from '@tensorflow/tfjs-core';
import type { GatherV2Attrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { cpuBackend, float32Values } from './cpu-values';

/** x[indices] along axis 0; undefined for anything else. */
export function fastGatherV2(args: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const backend = cpuBackend(args.backend);
  const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
  const attrs = args.attrs as unknown as GatherV2Attrs;
  if ((attrs.batchDims ?? 0) !== 0 || x.shape.length < 1) return undefined;
  if (util.parseAxisParam(attrs.axis, x.shape)[0] !== 0) return undefined;
  const xVals = float32Values(backend, x);
  const indexVals = backend.data.get(indices.dataId).values;
  if (!xVals || !(indexVals instanceof Int32Array)) return undefined;
  const rows = x.shape[0];
  for (let i = 0; i < indexVals.length; ++i) if (indexVals[i] < 0 || indexVals[i] >= rows) return undefined;
  const rowSize = util.sizeFromShape(x.shape.slice(1));
  const out = new Float32Array(indexVals.length * rowSize);
  for (let i = 0; i < indexVals.length; ++i) {
    const from = indexVals[i] * rowSize;
    out.set(xVals.subarray(from, from + rowSize), i * rowSize);
  }
  return backend.makeTensorInfo([...indices.shape, ...x.shape.slice(1)], 'float32', out);
}

/** A kernel config running the fast path, and `stock` for what the fast path does not support. */
export function gatherV2Config(stock: KernelConfig): KernelConfig {
  return {
    kernelName: GatherV2,
    backendName: 'cpu',
    kernelFunc: (args) => fastGatherV2(args) ?? stock.kernelFunc(args),
  };
}
