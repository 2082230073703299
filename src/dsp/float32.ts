/**
 * IEEE-754 binary32 helpers: the feature code computes in float32 order-for-order so that the
 * TypeScript engine and the C twin (plain `float`) produce the same bits.
 */

/** Round to float32: applied after EVERY arithmetic step of twin code. */
export const f32 = Math.fround;

const scratch = new ArrayBuffer(4);
const asFloat = new Float32Array(scratch);
const asUint = new Uint32Array(scratch);

/** The 32 bits of a float32 value (as an unsigned integer). */
export function float32Bits(x: number): number {
  asFloat[0] = x;
  return asUint[0];
}

/** The float32 whose bits are `bits`. */
export function float32FromBits(bits: number): number {
  asUint[0] = bits >>> 0;
  return asFloat[0];
}

/**
 * A C99 hexadecimal float literal with an `f` suffix that denotes exactly this float32
 * (C99 §6.4.4.2), so generated tables carry identical bits on every compiler.
 */
export function hexFloat32(x: number): string {
  const bits = float32Bits(x);
  const sign = bits >>> 31 ? '-' : '';
  const exp = (bits >>> 23) & 0xff;
  const frac = bits & 0x7fffff;
  if (exp === 0xff) throw new Error(`cannot emit ${x} as a C float constant: not finite`);
  const digits = (frac << 1).toString(16).padStart(6, '0');
  if (exp === 0) return frac === 0 ? `${sign}0.0f` : `${sign}0x0.${digits}p-126f`;
  return `${sign}0x1.${digits}p${exp - 127 >= 0 ? '+' : ''}${exp - 127}f`;
}
