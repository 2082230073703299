/**
 * The fixed-point exp and reciprocal used by TFLite's int8 softmax, as gemmlowp computes them
 * (fixedpoint/fixedpoint.h: exp_on_negative_values, exp_on_interval_between_negative_one_quarter_and_0_excl,
 * one_over_one_plus_x_for_x_in_0_1) and tflite GetReciprocal (kernels/internal/common.h).
 * Values are raw int32 of gemmlowp FixedPoint<int32, IntegerBits>; FixedPoint `*` is SRDHM,
 * `+`/`-` wrap like int32.
 */
import { srdhm, saturatingRoundingMultiplyByPot, INT32_MAX } from './fixed-point';

const add = (a: number, b: number): number => (a + b) | 0;
const sub = (a: number, b: number): number => (a - b) | 0;

/** exp(a) for a in [-1/4, 0), a and result in Q0.31. */
function expOnIntervalNegQuarterTo0(a: number): number {
  const constantTerm = 1895147668; // exp(-1/8)
  const constant1Over3 = 715827883;
  const x = add(a, 1 << 28); // a + 1/8
  const x2 = srdhm(x, x);
  const x3 = srdhm(x2, x);
  const x4 = srdhm(x2, x2);
  const x4Over4 = saturatingRoundingMultiplyByPot(x4, -2);
  const poly = saturatingRoundingMultiplyByPot(add(srdhm(add(x4Over4, x3), constant1Over3), x2), -1);
  return add(constantTerm, srdhm(constantTerm, add(x, poly)));
}

/** Barrel-shifter multipliers exp(-2^k), k = -2..4, in Q0.31 (gemmlowp constants). */
const EXP_BARREL: readonly [number, number][] = [
  [-2, 1672461947], [-1, 1302514674], [0, 790015084], [1, 290630308], [2, 39332535], [3, 720401], [4, 242],
];

/** exp_on_negative_values for FixedPoint<int32, 5> input (Q5.26), result Q0.31. */
export function expOnNegativeValues(a: number): number {
  const fractionalBits = 26;
  const oneQuarter = 1 << (fractionalBits - 2);
  const mask = oneQuarter - 1;
  const aModQuarterMinusQuarter = sub(a & mask, oneQuarter);
  let result = expOnIntervalNegQuarterTo0(saturatingRoundingMultiplyByPot(aModQuarterMinusQuarter, 5)); // Rescale<0>
  const remainder = sub(aModQuarterMinusQuarter, a);
  for (const [exponent, multiplier] of EXP_BARREL) {
    if (remainder & (1 << (fractionalBits + exponent))) result = srdhm(result, multiplier);
  }
  return a === 0 ? INT32_MAX : result;
}

/** one_over_one_plus_x_for_x_in_0_1: Newton-Raphson in Q2.29, result Q0.31. */
function oneOverOnePlusX(a: number): number {
  // RoundingHalfSum(a, One()) with 64-bit sum (exact in doubles); C++ division truncates.
  const sum = a + INT32_MAX;
  const halfDenominator = Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
  const c48Over17 = 1515870810;
  const cNeg32Over17 = -1010580540;
  let x = add(c48Over17, srdhm(halfDenominator, cNeg32Over17));
  const oneF2 = 1 << 29;
  for (let i = 0; i < 3; i++) {
    const hdTimesX = srdhm(halfDenominator, x);
    const oneMinus = sub(oneF2, hdTimesX);
    x = add(x, saturatingRoundingMultiplyByPot(srdhm(x, oneMinus), 2)); // Rescale<2> of a Q4.27
  }
  return saturatingRoundingMultiplyByPot(x, 1); // Rescale<0>(ExactMulByPot<-1>(x))
}

/** tflite GetReciprocal(x, xIntegerDigits): 1/x as Q0.31 plus the number of bits over unit. */
export function getReciprocal(x: number, xIntegerDigits: number): { reciprocal: number; numBitsOverUnit: number } {
  const headroomPlusOne = Math.clz32(x);
  const numBitsOverUnit = xIntegerDigits - headroomPlusOne;
  const shiftedSumMinusOne = ((x << headroomPlusOne) - INT32_MAX - 1) | 0; // uint32 arithmetic, wraps
  return { reciprocal: oneOverOnePlusX(shiftedSumMinusOne), numBitsOverUnit };
}
