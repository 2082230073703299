/**
 * MaxPoolGrad for the 'cpu' backend over flat typed arrays: each pooling window's dy goes to the input element holding
 * the window's maximum. Ties go to the first maximum in row-major window order and NaN never wins (strict `>` from
 * −∞), a window with no value above −∞ passes no gradient: tfjs-backend-cpu's utils/pool_utils.ts maxPoolPositions
 * and kernels/MaxPoolGrad.ts, which the stock kernel evaluates per input element with TensorBuffer.get.
 */
import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { cpuBackend, float32Values } from './cpu-values';

/** Computes dx for NHWC float32 tensors (the op has no other layout); undefined for other dtypes. */
export function fastMaxPoolGrad(args: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const backend = cpuBackend(args.backend);
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const attrs = args.attrs as unknown as MaxPoolGradAttrs;
  const xVals = float32Values(backend, input);
  const dyVals = float32Values(backend, dy);
  if (!xVals || !dyVals) return undefined;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad,
    attrs.dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowStride = inWidth * inChannels;
  // Overlapping windows add into one element: float64 sums in the stock order (ascending window row, then column).
  // Without overlap each element gets at most one dy, so a float32 array holds the same result.
  const overlap = strideHeight < filterHeight || strideWidth < filterWidth;
  const acc = overlap ? new Float64Array(xVals.length) : new Float32Array(xVals.length);
  for (let b = 0; b < batchSize; ++b) {
    const xBatch = b * inHeight * rowStride;
    for (let yR = 0; yR < outHeight; ++yR) {
      const xRCorner = yR * strideHeight - top;
      const xRMin = Math.max(0, xRCorner);
      const xRMax = Math.min(inHeight, xRCorner + filterHeight);
      for (let yC = 0; yC < outWidth; ++yC) {
        const xCCorner = yC * strideWidth - left;
        const xCMin = Math.max(0, xCCorner);
        const xCMax = Math.min(inWidth, xCCorner + filterWidth);
        const dyOff = ((b * outHeight + yR) * outWidth + yC) * inChannels;
        for (let d = 0; d < inChannels; ++d) {
          let maxValue = Number.NEGATIVE_INFINITY;
          let maxIndex = -1;
          for (let xR = xRMin; xR < xRMax; ++xR) {
            const row = xBatch + xR * rowStride + d;
            for (let xC = xCMin; xC < xCMax; ++xC) {
              const i = row + xC * inChannels;
              const v = xVals[i];
              if (v > maxValue) {
                maxValue = v;
                maxIndex = i;
              }
            }
          }
          if (maxIndex >= 0) acc[maxIndex] += dyVals[dyOff + d];
        }
      }
    }
  }
  return backend.makeTensorInfo(input.shape, 'float32', acc instanceof Float32Array ? acc : new Float32Array(acc));
}

/** A kernel config running the fast path, and `stock` for what the fast path does not support. */
export function maxPoolGradConfig(stock: KernelConfig): KernelConfig {
  return {
    kernelName: MaxPoolGrad,
    backendName: 'cpu',
    kernelFunc: (args) => fastMaxPoolGrad(args) ?? stock.kernelFunc(args),
  };
}
