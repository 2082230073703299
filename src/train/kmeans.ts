/**
 * k-means clustering (Lloyd's algorithm) with k-means++ seeding (Arthur & Vassilvitskii, SODA
 * 2007), driven by a seeded generator so the same data and seed give the same centroids.
 */
import { mulberry32 } from '../random/mulberry32';

function dist2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) { const d = a[i] - b[i]; s += d * d; }
  return s;
}

export function kmeans(points: readonly number[][], k: number, seed: number, iterations = 50): number[][] {
  if (points.length === 0) throw new Error('k-means needs at least one point');
  k = Math.min(k, points.length);
  const rand = mulberry32(seed);
  const centroids: number[][] = [points[Math.floor(rand() * points.length)].slice()];
  const d = points.map((p) => dist2(p, centroids[0]));
  while (centroids.length < k) {
    const total = d.reduce((a, b) => a + b, 0);
    let r = rand() * total;
    let pick = 0;
    for (; pick < points.length - 1; pick++) { r -= d[pick]; if (r <= 0) break; }
    centroids.push(points[pick].slice());
    points.forEach((p, i) => { d[i] = Math.min(d[i], dist2(p, centroids[centroids.length - 1])); });
  }
  const assign = new Array<number>(points.length).fill(-1);
  for (let it = 0; it < iterations; it++) {
    let changed = false;
    points.forEach((p, i) => {
      let best = 0;
      let bd = Infinity;
      centroids.forEach((c, j) => { const dd = dist2(p, c); if (dd < bd) { bd = dd; best = j; } });
      if (assign[i] !== best) { assign[i] = best; changed = true; }
    });
    if (!changed) break;
    centroids.forEach((c, j) => {
      const members = points.filter((_, i) => assign[i] === j);
      if (!members.length) return;
      for (let f = 0; f < c.length; f++) c[f] = members.reduce((s, m) => s + m[f], 0) / members.length;
    });
  }
  return centroids;
}

/** Squared distance to the nearest centroid. */
export function nearestDistance2(point: ArrayLike<number>, centroids: readonly number[][]): number {
  let best = Infinity;
  for (const c of centroids) best = Math.min(best, dist2(point, c));
  return best;
}
