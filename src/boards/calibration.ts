/**
 * Cycle coefficients of the C runtime (firmware/arduino/tinyml_runtime) per board, and where each
 * figure comes from. AVR: MEASURED on the emulated ATmega328P (simavr, cycle-accurate), by
 * test/sim/avr-calibration.test.ts, which re-measures held-out models and asserts that these
 * figures predict them within the stated uncertainty. Other boards: derived from the core's
 * published instruction timings (cited), with a larger uncertainty; not measured.
 */
import { BoardId } from './profiles';

/**
 * Cycles = sum over layers of coefficient x count (see modelFeatures in cost-model.ts), plus `run`.
 * Each op class has its own fixed cost per layer (call, descriptor copy from flash, loop set-up),
 * per output (bias read, requantization, clamp, store) and per row, because the C kernels differ.
 */
export interface CycleCoefficients {
  /** Per inference: the call of tml_run and its return. */
  run: number;
  /** Fully connected: per layer, per MAC, per output (requantization included). */
  layerFc: number;
  macFc: number;
  outFc: number;
  /** Conv1d: per layer, per in-bounds MAC, per kernel step (output x tap), per padded input element, per output, per output position. */
  layerConv: number;
  macConv: number;
  stepConv: number;
  padConv: number;
  outConv: number;
  rowConv: number;
  /** Depthwise conv1d: per layer, per kernel step (output x tap, one MAC when in bounds), per padded step, per output, per (position, input channel). */
  layerDw: number;
  stepDw: number;
  padDw: number;
  outDw: number;
  rowDw: number;
  /** Pooling: per layer, per in-window element read, per output (max: compare/clamp; average: one 32-bit division), per output position. */
  layerPool: number;
  poolElement: number;
  maxPoolOutput: number;
  avgPoolOutput: number;
  poolRow: number;
  /** Softmax: per layer, per row (max scan set-up, reciprocal), per element, per active element (two exps), per barrel-shifter SRDHM. */
  layerSoftmax: number;
  softmaxRow: number;
  softmaxElement: number;
  softmaxExp: number;
  softmaxBarrel: number;
  /** Reshape: one loop turn of tml_run. */
  layerReshape: number;
}

export interface BoardCalibration {
  board: BoardId;
  cycles: CycleCoefficients;
  /** Relative uncertainty (fraction) of the latency estimate. */
  latencyUncertainty: number;
  /** Code bytes per runtime file (flash). */
  codeBytes: Record<string, number>;
  /** Flash and RAM the Arduino core and the inference sketch take beside the model. */
  baseFlashBytes: number;
  baseRamBytes: number;
  /** Stack of tml_run and its deepest kernel (copy of the layer, frames). */
  stackBytes: number;
  ramUncertainty: number;
  flashUncertainty: number;
  method: string;
  date: string;
}

/**
 * ATmega328P at 16 MHz, runtime compiled at -Os (the Arduino build's flags), weights in PROGMEM.
 * Fitted by weighted least squares (relative error) on 2 fixed + 8 shaped + 40 random models (worst
 * model 5.7%); held out: 20 models of different shapes within -6.0..+2.7% (stated ±10%); see
 * test/sim/avr-calibration.test.ts (it prints fresh figures when run). Softmax time depends on the
 * data (exp barrel shifter): the estimate counts it on the given input (default: the zero-point input).
 */
const AVR: Omit<BoardCalibration, 'board'> = {
  cycles: {
    run: 46.6, layerFc: 468.5, macFc: 75.6, outFc: 916.3,
    layerConv: 614.3, macConv: 71.7, stepConv: 180.1, padConv: 29.3, outConv: 891.6, rowConv: 67.4,
    layerDw: 1234.3, stepDw: 220.1, padDw: -17.4, outDw: 976.2, rowDw: 29.5,
    layerPool: 519.6, poolElement: 43.2, maxPoolOutput: 89.1, avgPoolOutput: 918.5, poolRow: 181.5,
    layerSoftmax: 542.2, softmaxRow: 4325.4, softmaxElement: 392.0, softmaxExp: 11440.2, softmaxBarrel: 509.2,
    layerReshape: 437.2,
  },
  latencyUncertainty: 0.1,
  // avr-gcc -Os .text per runtime file (measured by the calibration test).
  codeBytes: {
    'tml_fixed_point.c': 932, 'tml_fully_connected.c': 390, 'tml_conv1d.c': 748, 'tml_depthwise_conv1d.c': 754,
    'tml_pool1d.c': 1082, 'tml_softmax.c': 1422, 'tml_interpreter.c': 262, 'tml_quantize.c': 568,
  },
  // Minimal Serial sketch (FACTS: text 2044, data 22, bss 166) + result printing with floats (~1.5 KB).
  baseFlashBytes: 2044 + 1500,
  // Serial core (22 + 166) + the inference sketch's own globals (line buffer, window state, result text): 186 B is
  // the largest gap seen between built sketches and the estimate, so the estimate does not fall short (a model that
  // "fits" here once failed to link). test/deploy/export-sketch-cli checks it against a built sketch.
  baseRamBytes: 22 + 166 + 186,
  // The stack reserve the deploy size gate keeps free on 8-bit boards: one figure for both.
  stackBytes: 256,
  ramUncertainty: 0.1,
  flashUncertainty: 0.1,
  method: 'simavr 1.6 ATmega328P, GPIOR0 cycle mark after every layer (TML_LAYER_HOOK), avr-gcc 5.4 -Os, weighted least squares per op class',
  date: '2026-11-26',
};

/** Derived (not measured) boards: cycles per operation class, spread onto the measured coefficient set. */
interface ClassCosts {
  macFc: number; macConv: number; macDepthwise: number; requant: number; layerWeighted: number;
  poolElement: number; maxPoolOutput: number; avgPoolOutput: number;
  /** Per exp evaluation (two per active softmax element); per softmax row. */
  softmaxExp: number; softmaxRow: number;
  /** Reshape, and the fixed cost of a pooling or softmax layer. */
  layerOther: number;
}

function classCosts(c: ClassCosts): CycleCoefficients {
  return {
    run: c.layerOther, layerFc: c.layerWeighted, macFc: c.macFc, outFc: c.requant,
    layerConv: c.layerWeighted, macConv: c.macConv, stepConv: 0, padConv: 0, outConv: c.requant, rowConv: 0,
    layerDw: c.layerWeighted, stepDw: c.macDepthwise, padDw: 0, outDw: c.requant, rowDw: 0,
    layerPool: c.layerOther, poolElement: c.poolElement, maxPoolOutput: c.maxPoolOutput, avgPoolOutput: c.avgPoolOutput, poolRow: 0,
    layerSoftmax: c.layerOther, softmaxRow: c.softmaxRow, softmaxElement: 0, softmaxExp: 2 * c.softmaxExp, softmaxBarrel: 0,
    layerReshape: c.layerOther,
  };
}

/**
 * ARMv7E-M timings (Arm Cortex-M4 TRM DDI0439, table 3-1): LDRSB 2 cycles (1 when pipelined),
 * MLA 1, SMULL 1, taken branch 1+P (~3); the plain-C inner loop is load, load, MLA, add, compare,
 * branch: ~6 cycles/MAC at -O2 with zero-wait-state flash (nRF52840 has a flash cache). TFLM's
 * reference kernels measure in the same range; CMSIS-NN's SMLAD path is ~1 cycle/MAC (not used).
 */
const CORTEX_M4 = classCosts({
  macFc: 6, macConv: 7, macDepthwise: 8, requant: 20, layerWeighted: 200,
  poolElement: 5, maxPoolOutput: 10, avgPoolOutput: 20, softmaxExp: 250, softmaxRow: 400, layerOther: 60,
});

/**
 * ARMv6-M timings (Arm Cortex-M0+ TRM DDI0484, section 3.3): single-cycle MULS, LDRSB 2, branch 2;
 * no 64-bit multiply (the requantization calls __aeabi_lmul, ~40 cycles) and no divide
 * (RP2040 has a hardware divider, ~8 cycles). XIP flash behind a 16 KB cache: misses are slow.
 */
const CORTEX_M0P = classCosts({
  macFc: 9, macConv: 10, macDepthwise: 11, requant: 90, layerWeighted: 300,
  poolElement: 7, maxPoolOutput: 14, avgPoolOutput: 40, softmaxExp: 800, softmaxRow: 1200, layerOther: 80,
});

/**
 * Xtensa LX6 (ESP32 TRM; Xtensa ISA: MULL 1-2 cycles, L8UI+SEXT 2, zero-overhead loops): ~5-7
 * cycles/MAC from flash through the 32 KB cache; MULSH gives the 64-bit high word cheaply.
 */
const XTENSA_LX6 = classCosts({
  macFc: 6, macConv: 7, macDepthwise: 8, requant: 25, layerWeighted: 300,
  poolElement: 5, maxPoolOutput: 12, avgPoolOutput: 30, softmaxExp: 250, softmaxRow: 400, layerOther: 80,
});

/** Runtime code on 32-bit cores: Thumb-2/Xtensa code is about 60% of the AVR bytes (32-bit arithmetic is native). */
function scaledCode(factor: number): Record<string, number> {
  return Object.fromEntries(Object.entries(AVR.codeBytes).map(([k, v]) => [k, Math.round(v * factor)]));
}

const DERIVED = 'derived from published instruction timings (not measured): see the comment of the coefficients';

const CALIBRATIONS: Readonly<Partial<Record<BoardId, BoardCalibration>>> = {
  uno: { board: 'uno', ...AVR },
  nano: { board: 'nano', ...AVR },
  'emulated-uno': { board: 'emulated-uno', ...AVR },
  nano33ble: {
    board: 'nano33ble', cycles: CORTEX_M4, latencyUncertainty: 0.5, codeBytes: scaledCode(0.6),
    // Arduino mbed core with Serial: ~80 KB flash, ~45 KB RAM (an empty sketch's build report).
    baseFlashBytes: 80_000, baseRamBytes: 45_000, stackBytes: 8192, ramUncertainty: 0.3, flashUncertainty: 0.3,
    method: DERIVED, date: '2026-11-26',
  },
  rp2040: {
    board: 'rp2040', cycles: CORTEX_M0P, latencyUncertainty: 0.6, codeBytes: scaledCode(0.7),
    baseFlashBytes: 70_000, baseRamBytes: 40_000, stackBytes: 8192, ramUncertainty: 0.3, flashUncertainty: 0.3,
    method: DERIVED, date: '2026-11-26',
  },
  esp32: {
    board: 'esp32', cycles: XTENSA_LX6, latencyUncertainty: 0.6, codeBytes: scaledCode(0.7),
    // Arduino-ESP32 core with Serial: ~220 KB flash, ~20 KB of DRAM.
    baseFlashBytes: 220_000, baseRamBytes: 20_000, stackBytes: 8192, ramUncertainty: 0.3, flashUncertainty: 0.3,
    method: DERIVED, date: '2026-11-26',
  },
};

/** The calibration for a board that runs models, or undefined (e.g. the replay board). */
export function boardCalibration(board: BoardId): BoardCalibration | undefined {
  return CALIBRATIONS[board];
}

/** RAM the deploy size gate keeps free for the stack on `board`: the same figure the cost model adds to its estimate. */
export function stackReserveFor(board: BoardId): number {
  return boardCalibration(board)?.stackBytes ?? 256;
}
