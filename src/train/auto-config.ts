/**
 * Defaults a user who knows no ML can trust: features and architecture chosen from the data and
 * sized to the target board. Candidates are tried from the richest to the smallest; the first
 * whose int8 model plus on-chip feature buffers fits the board (by the cost model,
 * src/boards/cost-model.ts) wins. Without a board, the richest candidate is used.
 */
import { bufferBytes, planFeatures, type FeatureConfig } from '../dsp/feature-pipeline';
import { defaultFftLength } from '../dsp/spectral';
import { DEFAULT_STATS, type StatName } from '../dsp/time-stats';
import { estimateCost, type CostEstimate } from '../boards/cost-model';
import { cnnSpec, denseSpec, layerShapes, type ModelSpec } from './model-spec';
import { quantizeModel } from './quantize';
import type { LayerWeights } from './float-model';

export type Arch = 'dense' | 'cnn';
export type FeatureBlock = 'raw' | 'stats' | 'spectral';

export interface ConfigRequest {
  arch: Arch;
  kind: 'classifier' | 'anomaly';
  windowLength: number;
  axes: string[];
  rate: number;
  /** Classes (classifier) or centroids (anomaly). */
  outputs: number;
  board?: string;
  features?: FeatureBlock[];
}

export interface ChosenConfig {
  features: FeatureConfig;
  spec: ModelSpec;
  featureCount: number;
  cost?: CostEstimate;
  /** Candidates tried before this one fit. */
  tried: number;
}

const SMALL_STATS: StatName[] = ['mean', 'std', 'rms', 'min', 'max'];

function spectralOf(windowLength: number, fft: number, bands: number): FeatureConfig['spectral'] {
  return { fftLength: Math.min(fft, defaultFftLength(windowLength)), bandCount: bands, overlap: 0.5 };
}

/** Feature configurations, richest first. */
export function featureCandidates(r: ConfigRequest): FeatureConfig[] {
  const L = r.windowLength;
  if (r.arch === 'cnn') {
    return [64, 48, 32, 24, 16].filter((n, i) => i === 0 || n < L).map((n) => ({ raw: { decimate: Math.max(1, Math.ceil(L / n)) } }));
  }
  const blocks = r.features ?? ['stats', 'spectral'];
  const out: FeatureConfig[] = [];
  const spectral = blocks.includes('spectral') && L >= 8;
  const variants: Array<{ stats: readonly StatName[] | null; spectral: FeatureConfig['spectral'] | null; raw: number | null }> = [];
  const stats = blocks.includes('stats') ? [DEFAULT_STATS, SMALL_STATS] : [null];
  const spec = spectral ? [spectralOf(L, 256, 8), spectralOf(L, 32, 6), spectralOf(L, 16, 4), spectralOf(L, 8, 3)] : [null];
  const raw = blocks.includes('raw') ? [Math.ceil(L / 32), Math.ceil(L / 16), Math.ceil(L / 8)] : [null];
  for (const r0 of raw) for (const st of stats) for (const sp of spec) variants.push({ stats: st, spectral: sp, raw: r0 });
  if (blocks.includes('stats') && spectral) variants.push({ stats: DEFAULT_STATS, spectral: null, raw: null }, { stats: SMALL_STATS, spectral: null, raw: null });
  const seen = new Set<string>();
  for (const v of variants) {
    const c: FeatureConfig = {};
    if (v.raw !== null) c.raw = { decimate: Math.max(1, v.raw) };
    if (v.stats) c.stats = { features: [...v.stats] };
    if (v.spectral) c.spectral = v.spectral;
    const key = JSON.stringify(c);
    if (!seen.has(key) && (c.raw || c.stats || c.spectral)) { seen.add(key); out.push(c); }
  }
  return out;
}

/** Architectures for an input shape, largest first. */
export function archCandidates(r: ConfigRequest, inputShape: number[]): ModelSpec[] {
  if (r.kind === 'anomaly') return [{ inputShape, layers: [{ type: 'dense', units: r.outputs, activation: 'none' }] }];
  if (r.arch === 'cnn') {
    const [len, ch] = inputShape;
    const c: ModelSpec[] = [];
    for (const [filters, k] of [[[8, 16], 5], [[8, 8], 3], [[8], 5], [[4], 3]] as Array<[number[], number]>) {
      try { const s = cnnSpec(len, ch, filters, k, r.outputs); layerShapes(s); c.push(s); } catch { /* too deep for this input length */ }
    }
    return c;
  }
  return [[32, 16], [16, 8], [8], []].map((h) => denseSpec(inputShape[0], h, r.outputs));
}

/** A stand-in artifact with the candidate's shapes, to size it with the cost model before training. */
export function sizingArtifact(spec: ModelSpec, features: FeatureConfig, r: ConfigRequest): ReturnType<typeof quantizeModel> {
  let inShape = spec.inputShape;
  const shapes = layerShapes(spec);
  const weights: Array<LayerWeights | null> = spec.layers.map((l, i) => {
    const inS = inShape;
    inShape = shapes[i];
    if (l.type === 'dense') return { kernel: new Float32Array(inS[0] * l.units).fill(0.1), kernelShape: [inS[0], l.units], bias: new Float32Array(l.units) };
    if (l.type === 'conv1d') return { kernel: new Float32Array(l.kernel * inS[1] * l.filters).fill(0.1), kernelShape: [1, l.kernel, inS[1], l.filters], bias: new Float32Array(l.filters) };
    return null;
  });
  const unit = Float32Array.from([-1, 1]);
  const n = spec.inputShape.reduce((a, b) => a * b, 1);
  return quantizeModel(
    { name: 'sizing', kind: r.kind, labels: r.kind === 'classifier' ? Array.from({ length: r.outputs }, (_, i) => `c${i}`) : [], window: { length: r.windowLength, axes: r.axes, rateHz: r.rate }, features: features as never, normalization: { mean: new Array<number>(n).fill(0), scale: new Array<number>(n).fill(1) } },
    spec, weights, { input: unit, layers: spec.layers.map(() => unit) }, 'minmax',
  );
}

export function chooseConfig(r: ConfigRequest): ChosenConfig {
  let tried = 0;
  let first: ChosenConfig | null = null;
  let smallest: { c: ChosenConfig; ram: number } | null = null;
  for (const features of featureCandidates(r)) {
    const plan = planFeatures(features, { windowLength: r.windowLength, axes: r.axes, rate: r.rate });
    const count = plan.names.length;
    const inputShape = features.raw && !features.stats && !features.spectral ? [plan.raw!.length, r.axes.length] : [count];
    for (const spec of archCandidates(r, inputShape)) {
      const chosen: ChosenConfig = { features, spec, featureCount: count, tried };
      if (!r.board) return chosen;
      const cost = estimateCost(sizingArtifact(spec, features, r), r.board, { featureBufferBytes: bufferBytes(features, r.windowLength, r.axes.length).total });
      chosen.cost = cost;
      first ??= chosen;
      if (cost.fits) return chosen;
      if (!smallest || cost.ramBytes.value < smallest.ram) smallest = { c: chosen, ram: cost.ramBytes.value };
      tried++;
    }
  }
  // Nothing fits: train the smallest candidate; the caller reports the cost problems.
  return (smallest ?? { c: first! }).c;
}
