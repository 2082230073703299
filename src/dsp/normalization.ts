/**
 * Per-feature standardisation that travels with the model: y = (x - mean) / std.
 * Fitting happens on the host (float64, then rounded to float32); applying is float32 step by
 * step, mirrored by `tml_normalize` in firmware/arduino/tinyml_dsp/tml_dsp.c:
 *   y = float32( float32(x - mean) / std )
 */
import { f32 } from './float32';

export interface NormalizationParams {
  /** float32 per-feature mean */
  mean: number[];
  /** float32 per-feature POPULATION standard deviation; 1 where a feature is constant */
  std: number[];
}

export function fitNormalization(vectors: readonly (readonly number[])[]): NormalizationParams {
  if (!vectors.length) throw new Error('fitNormalization needs at least one feature vector');
  const width = vectors[0].length;
  const mean = new Array<number>(width).fill(0);
  const m2 = new Array<number>(width).fill(0);
  vectors.forEach((v, i) => {
    if (v.length !== width) throw new Error(`feature vector ${i} has ${v.length} values, the first has ${width}`);
    // Welford's update (Knuth TAOCP vol. 2, 4.2.2) for a numerically stable variance
    for (let j = 0; j < width; j++) {
      const d = v[j] - mean[j];
      mean[j] += d / (i + 1);
      m2[j] += d * (v[j] - mean[j]);
    }
  });
  const std = m2.map((s) => {
    const sd = f32(Math.sqrt(s / vectors.length));
    return sd > 0 && Number.isFinite(sd) ? sd : 1;
  });
  return { mean: mean.map((m) => f32(m)), std };
}

export function normalize(params: NormalizationParams, x: readonly number[]): number[] {
  if (x.length !== params.mean.length) throw new Error(`the feature vector has ${x.length} values, the normalization expects ${params.mean.length}`);
  return x.map((v, j) => f32(f32(f32(v) - params.mean[j]) / params.std[j]));
}
