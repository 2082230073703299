/**
 * CRC-32 as used by IEEE 802.3, zlib and PNG: reflected polynomial 0xEDB88320, initial value
 * and final XOR 0xFFFFFFFF (PNG specification, Annex D "Sample CRC implementation").
 * Check value: crc32("123456789") = 0xCBF43926.
 */
const TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Eight lower-case hex digits. */
export function crc32Hex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return crc32(bytes, start, end).toString(16).padStart(8, '0');
}
