/**
 * Conv2D (forward) for the 'cpu' backend: y[b,yR,yC,d2] = Σ_wR Σ_wC Σ_d1 x[b, yR·sH + wR − top, yC·sW + wC − left, d1]
 * · w[wR,wC,d1,d2] (tfjs-backend-cpu's kernels/Conv2D.ts), with each output summed in registers, four output
 * channels at a time, over the contiguous (wC, d1) run of an input row.
 */
import { backend_util, Conv2D } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { cpuBackend, float32Values } from './cpu-values';

/** Computes y for NHWC float32 tensors with dilation 1; undefined for what it does not support. */
export function fastConv2D(args: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const backend = cpuBackend(args.backend);
  const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as Conv2DAttrs;
  if (backend_util.convertConv2DDataFormat(attrs.dataFormat) !== 'channelsLast') return undefined;
  const xVals = float32Values(backend, x);
  const wVals = float32Values(backend, filter);
  if (!xVals || !wVals) return undefined;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number], attrs.strides,
    attrs.dilations, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return undefined;
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const y = new Float32Array(batchSize * outHeight * outWidth * outChannels);
  const fround = Math.fround;
  for (let b = 0; b < batchSize; ++b) {
    for (let yR = 0; yR < outHeight; ++yR) {
      const xRCorner = yR * strideHeight - top;
      const wRMin = Math.max(0, -xRCorner);
      const wRMax = Math.min(filterHeight, inHeight - xRCorner);
      for (let yC = 0; yC < outWidth; ++yC) {
        const xCCorner = yC * strideWidth - left;
        const wCMin = Math.max(0, -xCCorner);
        const wCMax = Math.min(filterWidth, inWidth - xCCorner);
        // (wC, d1) for wC in [wCMin, wCMax) is one contiguous run of x and a stride-outChannels run of w.
        const runLength = (wCMax - wCMin) * inChannels;
        const yOff = ((b * outHeight + yR) * outWidth + yC) * outChannels;
        let d2 = 0;
        // Every partial sum is rounded to float32 as the stock kernel's float32 accumulator does: same result.
        for (; d2 + 4 <= outChannels; d2 += 4) {
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let wR = wRMin; wR < wRMax; ++wR) {
            let xi = ((b * inHeight + xRCorner + wR) * inWidth + xCCorner + wCMin) * inChannels;
            let wi = ((wR * filterWidth + wCMin) * inChannels) * outChannels + d2;
            for (let k = 0; k < runLength; ++k) {
              const xv = xVals[xi++];
              s0 = fround(s0 + xv * wVals[wi]);
              s1 = fround(s1 + xv * wVals[wi + 1]);
              s2 = fround(s2 + xv * wVals[wi + 2]);
              s3 = fround(s3 + xv * wVals[wi + 3]);
              wi += outChannels;
            }
          }
          y[yOff + d2] = s0;
          y[yOff + d2 + 1] = s1;
          y[yOff + d2 + 2] = s2;
          y[yOff + d2 + 3] = s3;
        }
        for (; d2 < outChannels; ++d2) {
          let s = 0;
          for (let wR = wRMin; wR < wRMax; ++wR) {
            let xi = ((b * inHeight + xRCorner + wR) * inWidth + xCCorner + wCMin) * inChannels;
            let wi = ((wR * filterWidth + wCMin) * inChannels) * outChannels + d2;
            for (let k = 0; k < runLength; ++k) {
              s = fround(s + xVals[xi++] * wVals[wi]);
              wi += outChannels;
            }
          }
          y[yOff + d2] = s;
        }
      }
    }
  }
  return backend.makeTensorInfo(info.outShape, 'float32', y);
}

/** A kernel config running the fast path, and `stock` for what the fast path does not support. */
export function conv2DConfig(stock: KernelConfig): KernelConfig {
  return {
    kernelName: Conv2D,
    backendName: 'cpu',
    kernelFunc: (args) => fastConv2D(args) ?? stock.kernelFunc(args),
  };
}
