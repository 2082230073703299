/**
 * The float boundary of a model, computed in float32 step by step exactly as the C runtime does
 * (tml_quantize_input / tml_dequantize_output):
 *   normalized = fround(fround(x - mean) * scale)
 *   q = clamp(round_half_away(fround(normalized / input_scale)) + zero_point, -128, 127)
 * which is TFLite's QUANTIZE (AffineQuantize: TfLiteRound(val / scale) + zp, float division), and
 *   y = fround(output_scale * (q - zero_point))      TFLite DEQUANTIZE.
 */
import { Artifact, elements } from '../model/artifact';
import { roundHalfAway } from '../quant/quantize-multiplier';

const f = Math.fround;

/** Quantizes one float32 value to int8 as TFLite's QUANTIZE op does. NaN maps to the zero point. */
export function quantizeValue(value: number, scale: number, zeroPoint: number): number {
  let q = f(value / scale);
  if (Number.isNaN(q)) q = 0;
  // Clamp before rounding so huge values cannot overflow the int32 conversion (the C twin does the same).
  if (q > 1000) q = 1000;
  if (q < -1000) q = -1000;
  const v = roundHalfAway(q) + zeroPoint;
  return v < -128 ? -128 : v > 127 ? 127 : v;
}

/** The float32 normalized features the int8 input quantizes (and the float reference takes). */
export function normalizeFeatures(artifact: Artifact, features: ArrayLike<number>): Float32Array {
  const { mean, scale } = artifact.input.normalization;
  const out = new Float32Array(features.length);
  for (let i = 0; i < features.length; i++) out[i] = f(f(f(features[i]) - mean[i]) * scale[i]);
  return out;
}

/** Features (one per input element, before normalization) -> the model's int8 input tensor. */
export function quantizeInput(artifact: Artifact, features: ArrayLike<number>): Int8Array {
  const n = elements(artifact.input.shape);
  if (features.length !== n) throw new Error(`quantizeInput: model "${artifact.name}" takes ${n} features, got ${features.length}`);
  const { mean, scale } = artifact.input.normalization;
  const { scale: qs, zeroPoint } = artifact.input.quantization;
  const out = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const normalized = f(f(f(features[i]) - mean[i]) * scale[i]);
    out[i] = quantizeValue(normalized, qs, zeroPoint);
  }
  return out;
}

/** The model's int8 output tensor -> float32 values (probabilities for a softmax classifier). */
export function dequantizeOutput(artifact: Artifact, output: Int8Array): Float32Array {
  const { scale, zeroPoint } = artifact.output.quantization;
  const out = new Float32Array(output.length);
  for (let i = 0; i < output.length; i++) out[i] = f(scale * (output[i] - zeroPoint));
  return out;
}
