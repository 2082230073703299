/**
 * The anomaly score of a k-means anomaly model, as the MCU computes it from the int8 model.
 * The int8 model is ONE fully-connected layer whose unit k computes s_k = c_k·x − ‖c_k‖²/2 for
 * centroid c_k and normalized input x. Since ‖x − c_k‖² = ‖x‖² − 2·s_k, the squared distance to
 * the nearest centroid is
 *     score = ‖x̂‖² − 2 · max_k ŝ_k
 * with x̂ the DEQUANTIZED int8 input and ŝ the dequantized outputs (float32 on the chip, after
 * the int8 run). A window is an anomaly when score > threshold (stored in artifact.training.anomaly).
 */
import type { Artifact } from '../model/artifact';

const f = Math.fround;

export interface AnomalyInfo {
  method: 'kmeans-distance';
  threshold: number;
  percentile: number;
  centroids: number;
  formula: string;
}

export const ANOMALY_FORMULA = 'score = sum_i xq_i^2 - 2 * max_k yq_k, xq = dequantized int8 input, yq = dequantized int8 output; anomaly when score > threshold';

/** Score from the model's int8 input and output tensors, in float32 step by step (the C twin's order). */
export function anomalyScore(artifact: Artifact, input: Int8Array, output: Int8Array): number {
  const iq = artifact.input.quantization;
  const oq = artifact.output.quantization;
  let norm = 0;
  for (let i = 0; i < input.length; i++) {
    const x = f(iq.scale * (input[i] - iq.zeroPoint));
    norm = f(norm + f(x * x));
  }
  let best = -Infinity;
  for (let k = 0; k < output.length; k++) best = Math.max(best, f(oq.scale * (output[k] - oq.zeroPoint)));
  return f(norm - f(2 * best));
}

/** The anomaly settings stored in the model, or null when the artifact is not a k-means anomaly model. */
export function anomalyInfo(artifact: Artifact): AnomalyInfo | null {
  const a = artifact.training?.anomaly;
  if (!a || typeof a !== 'object' || Array.isArray(a)) return null;
  const o = a as Record<string, unknown>;
  if (o.method !== 'kmeans-distance' || typeof o.threshold !== 'number') return null;
  return a as unknown as AnomalyInfo;
}
