/**
 * Float feature -> int8 model input, exactly as TensorFlow Lite (Micro)'s reference QUANTIZE
 * kernel (AffineQuantize): q = clamp(round(x / scale) + zero_point, -128, 127), with the division
 * in float32 and round() = std::round, i.e. half AWAY from zero (Math.round rounds -2.5 to -2,
 * std::round to -3). Mirrored by `tml_quantize_input` in firmware/arduino/tinyml_dsp/tml_dsp.c.
 */
import { f32 } from './float32';

const TWO_POW_23 = 8388608;

/** Round a float32 value half away from zero, using exact steps only (same as the C twin). */
export function roundHalfAwayFromZero(v: number): number {
  const a = v < 0 ? -v : v;
  if (!(a < TWO_POW_23)) return v < 0 ? -TWO_POW_23 : TWO_POW_23; // already an integer (or NaN): saturate
  let i = Math.trunc(a) + 0; // + 0 turns -0 into 0, as the C int conversion does
  if (f32(a - i) >= 0.5) i += 1;
  return v < 0 ? 0 - i : i; // 0 - i: an integer zero, never -0
}

export function quantizeInput(x: number, scale: number, zeroPoint: number): number {
  const q = roundHalfAwayFromZero(f32(f32(x) / f32(scale))) + zeroPoint;
  return q < -128 ? -128 : q > 127 ? 127 : q;
}

export function quantizeVector(x: readonly number[], scale: number, zeroPoint: number): Int8Array {
  const out = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = quantizeInput(x[i], scale, zeroPoint);
  return out;
}
