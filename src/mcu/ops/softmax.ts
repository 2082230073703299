/**
 * Int8 softmax exactly as TFLM's SoftmaxInt8 computes it: tflite::reference_ops::Softmax
 * (kernels/internal/reference/softmax.h, int8 in, int8 out) with the gemmlowp fixed-point exp,
 * input_beta_multiplier / input_left_shift / diff_min from CalculateSoftmaxParams.
 * Rows are the last dimension. Output scale 1/256, zero point -128.
 * The exp of diff = x - max depends on diff alone, and an int8 diff is one of 256 values (-255..0):
 * `softmaxExpTable` computes them once per model, so a row costs table look-ups, not fixed-point exps.
 */
import { multiplyByQuantizedMultiplierGreaterThanOne, roundingDivideByPot, srdhm } from '../../quant/fixed-point';
import { expOnNegativeValues, getReciprocal } from '../../quant/gemmlowp-exp';
import { SoftmaxParams } from '../../quant/quantize-multiplier';

const ACCUMULATION_INTEGER_BITS = 12;

/** exp_on_negative_values(diff scaled by the input beta multiplier), Q0.31, at index -diff (diff = -255..0). */
export function softmaxExpTable(params: SoftmaxParams): Int32Array {
  const table = new Int32Array(256);
  for (let d = 0; d < 256; d++) {
    if (-d < params.diffMin) continue; // never read: such diffs contribute nothing
    table[d] = expOnNegativeValues(multiplyByQuantizedMultiplierGreaterThanOne(-d, params.inputMultiplier, params.inputLeftShift));
  }
  return table;
}

export function softmaxInt8(params: SoftmaxParams, depth: number, input: Int8Array, output: Int8Array, expTable: Int32Array = softmaxExpTable(params)): void {
  const { diffMin } = params;
  const rows = input.length / depth;
  for (let r = 0; r < rows; r++) {
    const base = r * depth;
    let max = -128;
    for (let c = 0; c < depth; c++) if (input[base + c] > max) max = input[base + c];
    let sum = 0;
    for (let c = 0; c < depth; c++) {
      const diff = input[base + c] - max;
      // Rescale<12> of a Q0.31: RoundingDivideByPOT by 12; FixedPoint + wraps.
      if (diff >= diffMin) sum = (sum + roundingDivideByPot(expTable[-diff], ACCUMULATION_INTEGER_BITS)) | 0;
    }
    const { reciprocal, numBitsOverUnit } = getReciprocal(sum, ACCUMULATION_INTEGER_BITS);
    const exponent = numBitsOverUnit + 31 - 8;
    for (let c = 0; c < depth; c++) {
      const diff = input[base + c] - max;
      if (diff >= diffMin) {
        const unsat = roundingDivideByPot(srdhm(reciprocal, expTable[-diff]), exponent);
        const v = unsat - 128;
        output[base + c] = v > 127 ? 127 : v < -128 ? -128 : v;
      } else {
        output[base + c] = -128;
      }
    }
  }
}
