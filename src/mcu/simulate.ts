/**
 * The simulated MCU: one call that the node and the CLI share. Window or feature vector in ->
 * features (the DSP pipeline, when the input is a window) -> int8 quantization -> the int8
 * interpreter (bit-exact with the firmware) -> label, dequantized scores, raw int8 output, plus
 * the board's cost estimate (latency, RAM, flash, fits).
 */
import { computeFeatures, planFeatures, bufferBytes, type FeatureConfig, type FeaturePlan } from '../dsp/feature-pipeline';
import { Artifact, elements } from '../model/artifact';
import { CostEstimate, estimateCost } from '../boards/cost-model';
import { runModel } from './interpreter';
import { dequantizeOutput, normalizeFeatures, quantizeInput } from './quantize-io';
import { runFloatReference } from './float-reference';

export class SimulationError extends Error {
  constructor(message: string, readonly cost?: CostEstimate) {
    super(message);
    this.name = 'SimulationError';
  }
}

export interface SimulationResult {
  /** Label of the highest score (classifier), or undefined for a model without labels. */
  label: string | undefined;
  /** Dequantized outputs (float32 values). */
  scores: number[];
  /** The int8 output tensor. */
  raw: number[];
  /** The int8 input tensor. */
  input: number[];
  latencyMs: number;
  ramBytes: number;
  flashBytes: number;
  fits: boolean;
  board: string;
  cost: CostEstimate;
  /** The float reference (when asked for and the artifact carries float weights). */
  float?: FloatReferenceResult;
  /** Why there is no float reference, or '' when there is one. */
  floatReferenceNote: string;
}

export interface FloatReferenceResult {
  /** Outputs of the float model (probabilities for a softmax classifier). */
  scores: number[];
  label: string | undefined;
  /** max |int8 dequantized score - float score|: the quantization error on this input. */
  maxAbsError: number;
}

export interface SimulateOptions {
  /** Throw a SimulationError when the model does not fit the board (default true). */
  requireFit?: boolean;
  /** Also run the float reference (the artifact's `float` section) and report the quantization error. */
  floatReference?: boolean;
}

/** A prepared simulator: plan and cost are computed once per (model, board). */
export class McuSimulator {
  readonly cost: CostEstimate;
  private plan: FeaturePlan | null = null;

  constructor(readonly artifact: Artifact, readonly board: string) {
    const featureConfig = artifact.input.features as FeatureConfig;
    let featureBytes: number | undefined;
    if (isPipelineConfig(featureConfig)) {
      try {
        this.plan = planFeatures(featureConfig, { windowLength: artifact.input.window.length, axes: artifact.input.window.axes, rate: artifact.input.window.rateHz });
        featureBytes = bufferBytes(featureConfig, artifact.input.window.length, artifact.input.window.axes.length).total;
      } catch {
        // Not a configuration the DSP pipeline understands: the model accepts feature vectors only.
        this.plan = null;
      }
    }
    this.cost = estimateCost(artifact, board, { featureBufferBytes: featureBytes });
  }

  /** Feature vector of a window (number[][], samples x axes) or the vector itself (number[]). */
  features(input: unknown): number[] {
    const size = elements(this.artifact.input.shape);
    if (Array.isArray(input) && input.every((v) => typeof v === 'number')) {
      if (input.length !== size) throw new SimulationError(`model "${this.artifact.name}" takes ${size} features, got a vector of ${input.length}`);
      return input as number[];
    }
    if (Array.isArray(input) && input.every((row) => Array.isArray(row))) {
      if (!this.plan) throw new SimulationError(`model "${this.artifact.name}" has no feature configuration the DSP pipeline can run: send a feature vector of ${size} numbers`);
      const features = computeFeatures(this.plan, input as number[][]);
      if (features.length !== size) throw new SimulationError(`the window gives ${features.length} features, model "${this.artifact.name}" takes ${size}`);
      return features;
    }
    throw new SimulationError(`expected a window (number[][], samples x axes) or a feature vector (number[]), got ${Array.isArray(input) ? 'a mixed array' : typeof input}`);
  }

  run(input: unknown, options: SimulateOptions = {}): SimulationResult {
    if (options.requireFit !== false && !this.cost.fits) {
      throw new SimulationError(`model "${this.artifact.name}" does not fit the ${this.cost.boardLabel}: ${this.cost.problems.join('; ')}`, this.cost);
    }
    const features = this.features(input);
    const q = quantizeInput(this.artifact, features);
    const { output } = runModel(this.artifact, q);
    const scores = Array.from(dequantizeOutput(this.artifact, output));
    const result: SimulationResult = {
      label: this.labelOf(scores),
      scores, raw: Array.from(output), input: Array.from(q),
      latencyMs: this.cost.latencyMs.value, ramBytes: this.cost.ramBytes.value, flashBytes: this.cost.flashBytes.value,
      fits: this.cost.fits, board: this.cost.board, cost: this.cost,
      floatReferenceNote: this.artifact.float ? '' : 'the model artifact carries int8 weights only (no "float" section): no float reference to compare with',
    };
    if (options.floatReference && this.artifact.float) {
      const y = Array.from(runFloatReference(this.artifact, normalizeFeatures(this.artifact, features))!);
      result.float = { scores: y, label: this.labelOf(y), maxAbsError: Math.max(0, ...y.map((v, i) => Math.abs(v - scores[i]))) };
    }
    return result;
  }

  /** Label of the highest score (first on ties, as the int8 argmax), undefined without one label per output. */
  private labelOf(scores: readonly number[]): string | undefined {
    if (this.artifact.labels.length !== scores.length) return undefined;
    let best = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
    return this.artifact.labels[best];
  }
}

function isPipelineConfig(c: FeatureConfig): boolean {
  return Boolean(c && (c.raw || c.stats || c.spectral));
}

const cache = new WeakMap<Artifact, Map<string, McuSimulator>>();

/** Runs one input on the simulated board (simulators are cached per artifact object and board). */
export function simulate(artifact: Artifact, board: string, input: unknown, options: SimulateOptions = {}): SimulationResult {
  let perBoard = cache.get(artifact);
  if (!perBoard) {
    perBoard = new Map();
    cache.set(artifact, perBoard);
  }
  let sim = perBoard.get(board);
  if (!sim) {
    sim = new McuSimulator(artifact, board);
    perBoard.set(board, sim);
  }
  return sim.run(input, options);
}
