/**
 * Seeded random numbers, the same sequence on every machine (splits, training, test data):
 * mulberry32, a 32-bit-state PRNG by Tommy Ettinger (public domain, 2017;
 * https://gist.github.com/tommyettinger/46a874533244883189143505d203312c). Returns floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
