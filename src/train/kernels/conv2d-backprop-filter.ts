/**
 * Conv2DBackpropFilter for the 'cpu' backend over flat typed arrays: the gradient of a convolution with respect to
 * its filter, dW[wR,wC,d1,d2] = Σ_b Σ_yR Σ_yC x[b, yR·sH + wR − top, yC·sW + wC − left, d1] · dy[b,yR,yC,d2]
 * (same sum as tfjs-backend-cpu's kernels/Conv2DBackpropFilter.ts, which calls TensorBuffer.get per element).
 */
import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { cpuBackend, float32Values } from './cpu-values';

/** Computes dW for NHWC float32 tensors; returns undefined for what it does not support (NCHW, other dtypes). */
export function fastConv2DBackpropFilter(
  args: Parameters<KernelFunc>[0],
): TensorInfo | undefined {
  const backend = cpuBackend(args.backend);
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  if (backend_util.convertConv2DDataFormat(attrs.dataFormat) !== 'channelsLast') return undefined;
  const xVals = float32Values(backend, x);
  const dyVals = float32Values(backend, dy);
  if (!xVals || !dyVals) return undefined;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad,
    attrs.dimRoundingMode, false, 'channelsLast');
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xColStep = strideWidth * inChannels;
  const dW = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
  // One dot product per filter element, summed in the stock kernel's (b, yR, yC) order in float64 registers (so the
  // float32 result is the same), four output channels at a time to share each x load.
  for (let wR = 0; wR < filterHeight; ++wR) {
    const yRMin = Math.max(0, Math.ceil((top - wR) / strideHeight));
    const yRMax = Math.min(outHeight, Math.ceil((inHeight + top - wR) / strideHeight));
    for (let wC = 0; wC < filterWidth; ++wC) {
      const yCMin = Math.max(0, Math.ceil((left - wC) / strideWidth));
      const yCMax = Math.min(outWidth, Math.ceil((inWidth + left - wC) / strideWidth));
      for (let d1 = 0; d1 < inChannels; ++d1) {
        const wOff = ((wR * filterWidth + wC) * inChannels + d1) * outChannels;
        let d2 = 0;
        for (; d2 + 4 <= outChannels; d2 += 4) {
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let b = 0; b < batchSize; ++b) {
            for (let yR = yRMin; yR < yRMax; ++yR) {
              const xR = yR * strideHeight + wR - top;
              let xi = ((b * inHeight + xR) * inWidth + yCMin * strideWidth + wC - left) * inChannels + d1;
              let di = ((b * outHeight + yR) * outWidth + yCMin) * outChannels + d2;
              for (let yC = yCMin; yC < yCMax; ++yC) {
                const xv = xVals[xi];
                s0 += xv * dyVals[di];
                s1 += xv * dyVals[di + 1];
                s2 += xv * dyVals[di + 2];
                s3 += xv * dyVals[di + 3];
                xi += xColStep;
                di += outChannels;
              }
            }
          }
          dW[wOff + d2] = s0;
          dW[wOff + d2 + 1] = s1;
          dW[wOff + d2 + 2] = s2;
          dW[wOff + d2 + 3] = s3;
        }
        for (; d2 < outChannels; ++d2) {
          let s = 0;
          for (let b = 0; b < batchSize; ++b) {
            for (let yR = yRMin; yR < yRMax; ++yR) {
              const xR = yR * strideHeight + wR - top;
              let xi = ((b * inHeight + xR) * inWidth + yCMin * strideWidth + wC - left) * inChannels + d1;
              let di = ((b * outHeight + yR) * outWidth + yCMin) * outChannels + d2;
              for (let yC = yCMin; yC < yCMax; ++yC) {
                s += xVals[xi] * dyVals[di];
                xi += xColStep;
                di += outChannels;
              }
            }
          }
          dW[wOff + d2] = s;
        }
      }
    }
  }
  return backend.makeTensorInfo(info.filterShape, 'float32', dW);
}

/** A kernel config running the fast path, and `stock` for what the fast path does not support. */
export function conv2DBackpropFilterConfig(stock: KernelConfig): KernelConfig {
  return {
    kernelName: Conv2DBackpropFilter,
    backendName: 'cpu',
    kernelFunc: (args) => fastConv2DBackpropFilter(args) ?? stock.kernelFunc(args),
  };
}
