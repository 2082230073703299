/**
 * The optional `float` section of a model artifact: the trained float32 weights and biases of every
 * weighted layer (same layouts as the int8 weights: FC [units][in], conv [filters][kernel][inCh],
 * depthwise [kernel][outCh]), base64 of little-endian float32, null for layers without weights.
 * It describes the model without changing what the int8 model computes, so it is excluded from the
 * hash (like metrics). src/mcu/float-reference.ts runs it to show the quantization error.
 */
export interface FloatLayerWeights {
  /** base64 of a Float32Array (little-endian). */
  weights: string;
  bias: string;
}

export interface FloatSection {
  /** One entry per artifact layer: float weights for weighted layers, null for the others. */
  layers: (FloatLayerWeights | null)[];
}

export function encodeFloat32(values: ArrayLike<number>): string {
  const f = Float32Array.from(values);
  const bytes = Buffer.alloc(f.length * 4);
  for (let i = 0; i < f.length; i++) bytes.writeFloatLE(f[i], i * 4);
  return bytes.toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 of little-endian float32 values; undefined when malformed or not finite. */
export function decodeFloat32(text: string): Float32Array | undefined {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text || bytes.length % 4 !== 0) return undefined;
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) {
    out[i] = bytes.readFloatLE(i * 4);
    if (!Number.isFinite(out[i])) return undefined;
  }
  return out;
}

/**
 * What the trainer writes into `artifact.float`: per artifact layer, the float kernel and bias of a
 * weighted layer in the int8 layout (null for pooling, reshape, softmax).
 */
export function floatSection(layers: readonly ({ weights: ArrayLike<number>; bias: ArrayLike<number> } | null)[]): FloatSection {
  return { layers: layers.map((l) => (l ? { weights: encodeFloat32(l.weights), bias: encodeFloat32(l.bias) } : null)) };
}
