/**
 * What a model costs on a board before it is flashed: RAM, flash and latency, each with its
 * uncertainty. RAM = the runtime's two ping-pong activation buffers (sized as
 * src/codegen/c-model.ts sizes them) + feature buffers + core/sketch statics + stack; flash =
 * model tables + the code of the kernels used + core/sketch; latency = calibrated cycles per
 * operation class (src/boards/calibration.ts) at the board clock.
 */
import { Artifact, elements } from '../model/artifact';
import { generateCModel } from '../codegen/c-model';
import { LayerOpCount, layerOpCounts } from '../mcu/op-counts';
import { BoardCalibration, boardCalibration, CycleCoefficients } from './calibration';
import { BoardProfile, getBoard } from './profiles';

export const COEFFICIENT_NAMES: readonly (keyof CycleCoefficients)[] = [
  'macFc', 'macConv', 'convStep', 'macDepthwise', 'requant', 'layerWeighted', 'poolElement', 'maxPoolOutput',
  'avgPoolOutput', 'softmaxExp', 'softmaxRow', 'layerOther',
];

/** The work of one layer as counts per coefficient (same order as COEFFICIENT_NAMES). */
export function layerFeatures(c: LayerOpCount & { kernelSteps: number }): number[] {
  const f: Record<keyof CycleCoefficients, number> = {
    macFc: 0, macConv: 0, convStep: 0, macDepthwise: 0, requant: 0, layerWeighted: 0, poolElement: 0, maxPoolOutput: 0,
    avgPoolOutput: 0, softmaxExp: 0, softmaxRow: 0, layerOther: 0,
  };
  switch (c.op) {
    case 'fully_connected': f.macFc = c.macs; f.requant = c.requantizations; f.layerWeighted = 1; break;
    case 'conv1d': f.macConv = c.macs; f.convStep = c.kernelSteps; f.requant = c.requantizations; f.layerWeighted = 1; break;
    case 'depthwise_conv1d': f.macDepthwise = c.macs; f.convStep = c.kernelSteps; f.requant = c.requantizations; f.layerWeighted = 1; break;
    case 'max_pool1d': f.poolElement = c.elementOps; f.maxPoolOutput = c.outputElements; f.layerOther = 1; break;
    case 'avg_pool1d': f.poolElement = c.elementOps; f.avgPoolOutput = c.outputElements; f.layerOther = 1; break;
    // Rows need the layer's depth: modelFeatures fills softmaxRow in.
    case 'softmax': f.softmaxExp = c.elementOps; f.layerOther = 1; break;
    case 'reshape': f.layerOther = 1; break;
  }
  return COEFFICIENT_NAMES.map((k) => f[k]);
}

/** Layer features with the softmax row count filled in from the artifact (depth = last dimension). */
export function modelFeatures(artifact: Artifact): number[][] {
  const counts = layerOpCounts(artifact);
  return counts.map((c, i) => {
    const layer = artifact.layers[i];
    const kernelSteps = layer.op === 'conv1d' || layer.op === 'depthwise_conv1d' ? c.outputElements * layer.kernelSize : 0;
    const f = layerFeatures({ ...c, kernelSteps });
    if (layer.op === 'softmax') f[COEFFICIENT_NAMES.indexOf('softmaxRow')] = c.inputElements / layer.inputShape[layer.inputShape.length - 1];
    return f;
  });
}

export function predictLayerCycles(artifact: Artifact, cycles: CycleCoefficients): number[] {
  const coeff = COEFFICIENT_NAMES.map((k) => cycles[k]);
  return modelFeatures(artifact).map((f) => f.reduce((s, x, i) => s + x * coeff[i], 0));
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
  const layerCycles = predictLayerCycles(artifact, cal.cycles);
  const cycles = layerCycles.reduce((a, b) => a + b, 0);
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
