/**
 * Output length and padding of 1-D windows (convolution, pooling), as TensorFlow Lite computes
 * them: tensorflow/lite/kernels/padding.h (ComputeOutSize, ComputePaddingWithOffset).
 */
export type Padding = 'same' | 'valid';

export function effectiveKernel(kernel: number, dilation: number): number {
  return (kernel - 1) * dilation + 1;
}

/** ComputeOutSize: SAME -> ceil(in / stride); VALID -> floor((in - k_eff) / stride) + 1 (0 if negative). */
export function outputLength(padding: Padding, inLength: number, kernel: number, stride: number, dilation = 1): number {
  const k = effectiveKernel(kernel, dilation);
  if (padding === 'same') return Math.floor((inLength + stride - 1) / stride);
  return inLength < k ? 0 : Math.floor((inLength - k) / stride) + 1;
}

/** Padding before the first element: floor(total / 2), total = max((out-1)*stride + k_eff - in, 0). */
export function paddingBefore(padding: Padding, inLength: number, kernel: number, stride: number, dilation = 1): number {
  if (padding === 'valid') return 0;
  const out = outputLength(padding, inLength, kernel, stride, dilation);
  const total = Math.max((out - 1) * stride + effectiveKernel(kernel, dilation) - inLength, 0);
  return Math.floor(total / 2);
}
