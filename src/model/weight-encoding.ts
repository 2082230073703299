/**
 * Int8 weights travel in the artifact as base64 of their two's-complement bytes: 1.33 characters
 * per weight instead of ~3.5 for a JSON array, parsed without allocating one number per weight.
 */
export function encodeInt8(values: Int8Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes strict base64 (no whitespace, correct padding); returns undefined when malformed. */
export function decodeInt8(text: string): Int8Array | undefined {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // Buffer.from ignores junk silently: re-encoding must give back the same text.
  if (bytes.toString('base64') !== text) return undefined;
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();
}
