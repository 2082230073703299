/**
 * What a model costs on a board before it is flashed: RAM, flash and latency, each with its
 * uncertainty. RAM = the runtime's two ping-pong activation buffers (sized as
 * src/codegen/c-model.ts sizes them) + feature buffers + core/sketch statics + stack; flash =
 * model tables + the code of the kernels used + core/sketch; latency = calibrated cycles per
 * operation class (src/boards/calibration.ts) at the board clock.
 */
import { Artifact, elements } from '../model/artifact';
import { generateCModel } from '../codegen/c-model';
import { layerOpCounts } from '../mcu/op-counts';
import { runModel } from '../mcu/interpreter';
import { paddingBefore } from '../model/layer-geometry';
import { multiplyByQuantizedMultiplierGreaterThanOne } from '../quant/fixed-point';
import { SoftmaxParams, softmaxParams } from '../quant/quantize-multiplier';
import { BoardCalibration, boardCalibration, CycleCoefficients } from './calibration';
import { BoardProfile, getBoard } from './profiles';

export const COEFFICIENT_NAMES: readonly (keyof CycleCoefficients)[] = [
  'run', 'layerFc', 'macFc', 'outFc',
  'layerConv', 'macConv', 'stepConv', 'padConv', 'outConv', 'rowConv',
  'layerDw', 'stepDw', 'padDw', 'outDw', 'rowDw',
  'layerPool', 'poolElement', 'maxPoolOutput', 'avgPoolOutput', 'poolRow',
  'layerSoftmax', 'softmaxRow', 'softmaxElement', 'softmaxExp', 'softmaxBarrel',
  'layerReshape',
];

type Counts = Record<keyof CycleCoefficients, number>;

function zeroCounts(): Counts {
  return Object.fromEntries(COEFFICIENT_NAMES.map((k) => [k, 0])) as Counts;
}

/** Kernel taps (output position x tap) that fall in the padding, where the C kernels take a cheaper path. */
function paddedTaps(inLen: number, outLen: number, kernel: number, stride: number, dilation: number, pad: number): number {
  let n = 0;
  for (let ox = 0; ox < outLen; ox++) {
    for (let k = 0; k < kernel; k++) {
      const ix = ox * stride - pad + k * dilation;
      if (ix < 0 || ix >= inLen) n++;
    }
  }
  return n;
}

/**
 * Softmax work on AVR depends on the data: per row a max scan and a reciprocal; per element with
 * diff >= diff_min ("active") two gemmlowp exps, each with one SRDHM per set bit 24..30 of its
 * remainder (the barrel shifter of exp_on_negative_values, gemmlowp fixedpoint.h). Counted on the
 * actual softmax input, as tml_softmax.c computes it.
 */
function softmaxCounts(p: SoftmaxParams, depth: number, x: Int8Array, c: Counts): void {
  const rows = x.length / depth;
  c.softmaxRow += rows;
  c.softmaxElement += x.length;
  for (let r = 0; r < rows; r++) {
    let max = -128;
    for (let i = 0; i < depth; i++) if (x[r * depth + i] > max) max = x[r * depth + i];
    for (let i = 0; i < depth; i++) {
      const diff = x[r * depth + i] - max;
      if (diff < p.diffMin) continue;
      const a = multiplyByQuantizedMultiplierGreaterThanOne(diff, p.inputMultiplier, p.inputLeftShift);
      const aMod = ((a & ((1 << 24) - 1)) - (1 << 24)) | 0;
      const remainder = (aMod - a) | 0;
      let bits = 0;
      for (let b = 24; b <= 30; b++) if (remainder & (1 << b)) bits++;
      c.softmaxExp += 1;
      c.softmaxBarrel += 2 * bits;
    }
  }
}

/**
 * The work of every layer as counts per coefficient (rows in layer order, columns as
 * COEFFICIENT_NAMES) plus a last row for the call of tml_run itself. Softmax counts need the
 * layer's input: the model is run (TypeScript interpreter, bit-exact with the C runtime) on
 * `input`, by default every input element at its zero point (features at their training mean).
 */
export function modelFeatures(artifact: Artifact, input?: Int8Array): number[][] {
  const counts = layerOpCounts(artifact);
  let trace: Int8Array[] | undefined;
  if (artifact.layers.some((l) => l.op === 'softmax')) {
    const x = input ?? new Int8Array(elements(artifact.input.shape)).fill(artifact.input.quantization.zeroPoint);
    trace = [x, ...(runModel(artifact, x, { trace: true }).layerOutputs ?? [])];
  }
  const rows = artifact.layers.map((layer, i) => {
    const n = counts[i];
    const c = zeroCounts();
    switch (layer.op) {
      case 'fully_connected':
        c.layerFc = 1; c.macFc = n.macs; c.outFc = layer.units;
        break;
      case 'conv1d':
      case 'depthwise_conv1d': {
        const [inLen, inCh] = layer.inputShape;
        const [outLen, outCh] = layer.outputShape;
        const pad = paddingBefore(layer.padding, inLen, layer.kernelSize, layer.stride, layer.dilation);
        const padded = paddedTaps(inLen, outLen, layer.kernelSize, layer.stride, layer.dilation, pad);
        if (layer.op === 'conv1d') {
          c.layerConv = 1; c.macConv = n.macs; c.stepConv = outLen * outCh * layer.kernelSize;
          c.padConv = padded * outCh * inCh; c.outConv = outLen * outCh; c.rowConv = outLen;
        } else {
          c.layerDw = 1; c.stepDw = outLen * outCh * layer.kernelSize; c.padDw = padded * outCh;
          c.outDw = outLen * outCh; c.rowDw = outLen * inCh;
        }
        break;
      }
      case 'max_pool1d':
      case 'avg_pool1d':
        c.layerPool = 1; c.poolElement = n.elementOps; c.poolRow = layer.outputShape[0];
        if (layer.op === 'max_pool1d') c.maxPoolOutput = n.outputElements; else c.avgPoolOutput = n.outputElements;
        break;
      case 'softmax':
        c.layerSoftmax = 1;
        softmaxCounts(softmaxParams(layer.beta, layer.input.scale), layer.inputShape[layer.inputShape.length - 1], trace![i], c);
        break;
      case 'reshape':
        c.layerReshape = 1;
        break;
    }
    return COEFFICIENT_NAMES.map((k) => c[k]);
  });
  const run = zeroCounts();
  run.run = 1;
  return [...rows, COEFFICIENT_NAMES.map((k) => run[k])];
}

/** Predicted cycles per layer, and the total (layers + the call of tml_run). */
export function predictCycles(artifact: Artifact, cycles: CycleCoefficients, input?: Int8Array): { layers: number[]; total: number } {
  const coeff = COEFFICIENT_NAMES.map((k) => cycles[k]);
  const rows = modelFeatures(artifact, input).map((f) => f.reduce((s, x, i) => s + x * coeff[i], 0));
  return { layers: rows.slice(0, -1), total: rows.reduce((a, b) => a + b, 0) };
}

/**
 * Least squares fit of the coefficients to measured layer cycles, weighting each layer by
 * 1/measured so the fit minimises relative error (large layers would otherwise dominate).
 * Coefficients no sample exercises come out 0.
 */
export function fitCycleCoefficients(samples: readonly { features: number[]; cycles: number }[]): CycleCoefficients {
  const n = COEFFICIENT_NAMES.length;
  const used = COEFFICIENT_NAMES.map((_, j) => samples.some((s) => s.features[j] !== 0));
  const idx = COEFFICIENT_NAMES.map((_, j) => j).filter((j) => used[j]);
  const m = idx.length;
  const a = Array.from({ length: m }, () => new Array<number>(m + 1).fill(0));
  for (const s of samples) {
    const w = 1 / Math.max(1, s.cycles);
    const x = idx.map((j) => s.features[j] * w);
    const y = s.cycles * w;
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < m; c++) a[r][c] += x[r] * x[c];
      a[r][m] += x[r] * y;
    }
  }
  // Gaussian elimination with partial pivoting on the normal equations.
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    if (Math.abs(a[col][col]) < 1e-12) throw new Error(`calibration: the samples do not determine '${COEFFICIENT_NAMES[idx[col]]}' (add varied layers)`);
    for (let r = 0; r < m; r++) {
      if (r === col) continue;
      const k = a[r][col] / a[col][col];
      for (let c = col; c <= m; c++) a[r][c] -= k * a[col][c];
    }
  }
  const out = new Array<number>(n).fill(0);
  idx.forEach((j, r) => { out[j] = a[r][m] / a[r][r]; });
  return Object.fromEntries(COEFFICIENT_NAMES.map((k, j) => [k, out[j]])) as unknown as CycleCoefficients;
}

export interface Estimate {
  value: number;
  /** Relative uncertainty (0.1 = ±10%). */
  uncertainty: number;
}

export interface CostEstimate {
  board: string;
  boardLabel: string;
  latencyMs: Estimate;
  cycles: number;
  ramBytes: Estimate;
  flashBytes: Estimate;
  ramLimit: number;
  flashLimit: number;
  /** The point estimates fit the board's RAM and flash. */
  fits: boolean;
  /** Fits only without the uncertainty margin. */
  tight: boolean;
  breakdown: {
    activationBytes: number;
    featureBytes: number;
    baseRamBytes: number;
    stackBytes: number;
    modelFlashBytes: number;
    codeFlashBytes: number;
    baseFlashBytes: number;
    layerCycles: number[];
  };
  /** Why it does not fit, one sentence per limit exceeded; empty when it fits. */
  problems: string[];
  source: string;
}

export interface CostOptions {
  /** RAM of the feature computation on the chip (the DSP blocks' bufferBytes().total); default: the float input vector. */
  featureBufferBytes?: number;
  /** The int8 input the latency is estimated for (softmax time depends on the data); default: every element at its zero point. */
  input?: Int8Array;
}

const KERNEL_FILE: Record<string, string | undefined> = {
  fully_connected: 'tml_fully_connected.c', conv1d: 'tml_conv1d.c', depthwise_conv1d: 'tml_depthwise_conv1d.c',
  max_pool1d: 'tml_pool1d.c', avg_pool1d: 'tml_pool1d.c', softmax: 'tml_softmax.c',
};
const ALWAYS_LINKED = ['tml_fixed_point.c', 'tml_interpreter.c', 'tml_quantize.c'];

/** Flash limit for a sketch (the bootloader's section excluded on AVR boards, from boards.txt). */
function flashLimitOf(board: BoardProfile): number {
  if (board.id === 'uno' || board.id === 'emulated-uno') return 32_256;
  if (board.id === 'nano') return 30_720;
  return board.flashBytes;
}

function calibrationOf(board: BoardProfile): BoardCalibration {
  const c = boardCalibration(board.id);
  if (!c) throw new Error(`board '${board.id}' (${board.label}) does not run models: choose one of uno, nano, nano33ble, esp32, rp2040, emulated-uno`);
  return c;
}

/** RAM, flash and latency of the model on the board. Throws for boards that run no models. */
export function estimateCost(artifact: Artifact, boardId: string, options: CostOptions = {}): CostEstimate {
  const board = getBoard(boardId);
  const cal = calibrationOf(board);
  const header = generateCModel(artifact);
  const activationBytes = header.bufASize + header.bufBSize;
  const featureBytes = options.featureBufferBytes ?? 4 * elements(artifact.input.shape);
  const ram = activationBytes + featureBytes + cal.baseRamBytes + cal.stackBytes;
  const files = new Set<string>(ALWAYS_LINKED);
  for (const l of artifact.layers) {
    const f = KERNEL_FILE[l.op];
    if (f) files.add(f);
  }
  const codeFlashBytes = [...files].reduce((n, f) => n + (cal.codeBytes[f] ?? 0), 0);
  const flash = header.flashBytes + codeFlashBytes + cal.baseFlashBytes;
  const { layers: layerCycles, total: cycles } = predictCycles(artifact, cal.cycles, options.input);
  const ramLimit = board.sramBytes;
  const flashLimit = flashLimitOf(board);
  const problems: string[] = [];
  if (ram > ramLimit) problems.push(`needs ~${ram} bytes of RAM (${activationBytes} activations, ${featureBytes} features, ${cal.baseRamBytes + cal.stackBytes} runtime and core), the ${board.label} has ${ramLimit}`);
  if (flash > flashLimit) problems.push(`needs ~${flash} bytes of flash (${header.flashBytes} model, ${codeFlashBytes + cal.baseFlashBytes} code), the ${board.label} has ${flashLimit} for a sketch`);
  const fits = problems.length === 0;
  const tight = fits && (ram * (1 + cal.ramUncertainty) > ramLimit || flash * (1 + cal.flashUncertainty) > flashLimit);
  return {
    board: board.id, boardLabel: board.label,
    latencyMs: { value: (cycles / board.clockHz) * 1000, uncertainty: cal.latencyUncertainty },
    cycles: Math.round(cycles),
    ramBytes: { value: ram, uncertainty: cal.ramUncertainty },
    flashBytes: { value: flash, uncertainty: cal.flashUncertainty },
    ramLimit, flashLimit, fits, tight,
    breakdown: { activationBytes, featureBytes, baseRamBytes: cal.baseRamBytes, stackBytes: cal.stackBytes, modelFlashBytes: header.flashBytes, codeFlashBytes, baseFlashBytes: cal.baseFlashBytes, layerCycles },
    problems,
    source: cal.method,
  };
}
