/**
 * The feature pipeline: a plain-JSON configuration (stored in the model artifact) -> a plan for a
 * window shape -> a feature vector with names, in a deterministic order.
 *
 * Per axis, every sample goes through: x = float32(value) · scale[axis], then the optional
 * Butterworth filter; the blocks read that signal. Output order: raw block (sample-major), then
 * time statistics (axis-major, statistics in the order configured), then spectral bands
 * (axis-major, bands in increasing frequency).
 * Names: `<axis>.raw_<j>`, `<axis>.<stat>` (e.g. `ax.rms`), `<axis>.band_<lo>_<hi>hz`.
 */
import { f32 } from './float32';
import { BiquadCascade } from './biquad';
import { butterworthSections, filterProblems, type BiquadSection, type FilterConfig } from './butterworth';
import { rawBlock, rawOutputLength, type RawBlockConfig } from './raw-block';
import { bandCountOf, bandName, defaultFftLength, planSpectral, spectralAxesInto, spectralProblems, type SpectralBlockConfig, type SpectralPlan } from './spectral';
import { DEFAULT_STATS, STAT_NAMES, SUM_SLOTS, powerSums, statsFromSums, type StatName } from './time-stats';

export interface StatsBlockConfig {
  /** statistics to output, in this order (default: all but 'mcr', see DEFAULT_STATS) */
  features?: StatName[];
}

/** Plain JSON: absent or null blocks are off; at least one block must be on. */
export interface FeatureConfig {
  /** multiplier applied to each axis first: one number for all axes or one per axis (default 1) */
  scale?: number | number[];
  filter?: FilterConfig | null;
  raw?: RawBlockConfig | null;
  stats?: StatsBlockConfig | null;
  spectral?: SpectralBlockConfig | null;
}

/** The window the features are computed over. */
export interface WindowShape {
  /** samples per window */
  windowLength: number;
  /** axis names, in the column order of the window */
  axes: string[];
  /** sample rate in Hz */
  rate: number;
}

export interface FeaturePlan {
  config: FeatureConfig;
  shape: WindowShape;
  /** float32 scale per axis */
  scale: Float32Array;
  sections: BiquadSection[];
  raw: { decimate: number; length: number } | null;
  stats: StatName[] | null;
  spectral: SpectralPlan | null;
  names: string[];
  /**
   * reused per call (computeFeatures is synchronous): preprocessed float32 signal per axis held
   * in float64 (views of one buffer, axis-major: loads need no conversion), the statistics'
   * power sums, per-axis segment means of the spectral block
   */
  work: { signals: Float64Array[]; filters: BiquadCascade[]; statCodes: Uint8Array; sums: Float64Array; segmentMeans: Float32Array };
}

export class FeatureConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`feature configuration: ${problems.join('; ')}`);
    this.name = 'FeatureConfigError';
  }
}

/** Every problem of the configuration for this window shape, each naming its field; [] when valid. */
export function featureConfigProblems(config: FeatureConfig, shape: WindowShape): string[] {
  const p: string[] = [];
  const { windowLength: L, axes, rate } = shape;
  if (!Number.isInteger(L) || L < 2 || L > 65535) p.push(`window length must be an integer from 2 to 65535 samples, got ${L}`);
  if (!Array.isArray(axes) || axes.length < 1 || axes.length > 32) p.push(`axes must name 1 to 32 axes, got ${JSON.stringify(axes)}`);
  else if (new Set(axes).size !== axes.length || axes.some((a) => typeof a !== 'string' || !/^[A-Za-z0-9_-]+$/.test(a))) {
    p.push(`axis names must be distinct and made of letters, digits, _ or -: ${JSON.stringify(axes)}`);
  }
  if (!(rate > 0 && Number.isFinite(rate))) p.push(`sample rate must be a positive number of Hz, got ${rate}`);
  if (p.length) return p;
  if (Array.isArray(config.scale)) {
    if (config.scale.length !== axes.length || !config.scale.every((s) => Number.isFinite(s))) p.push(`scale must be one finite number or one per axis (${axes.length}), got ${JSON.stringify(config.scale)}`);
  } else if (config.scale !== undefined && !Number.isFinite(config.scale)) p.push(`scale must be a finite number, got ${String(config.scale)}`);
  if (config.filter) p.push(...filterProblems(config.filter, rate));
  if (!config.raw && !config.stats && !config.spectral) p.push('no feature block is on: enable raw, stats or spectral');
  if (config.raw) {
    const d = config.raw.decimate ?? 1;
    if (!Number.isInteger(d) || d < 1 || d > L) p.push(`raw.decimate must be an integer from 1 to the window length (${L}), got ${d}`);
  }
  if (config.stats) {
    const names = config.stats.features ?? DEFAULT_STATS;
    const bad = names.filter((n) => !(STAT_NAMES as readonly string[]).includes(n));
    if (bad.length) p.push(`stats.features has unknown statistic(s) ${bad.join(', ')}: choose from ${STAT_NAMES.join(', ')}`);
    if (!names.length) p.push('stats.features is empty: list at least one statistic or turn the stats block off');
    if (new Set(names).size !== names.length) p.push('stats.features lists a statistic twice');
  }
  if (config.spectral) p.push(...spectralProblems(config.spectral, L, rate));
  return p;
}

export function planFeatures(config: FeatureConfig, shape: WindowShape): FeaturePlan {
  const problems = featureConfigProblems(config, shape);
  if (problems.length) throw new FeatureConfigError(problems);
  const { axes, windowLength, rate } = shape;
  const scale = new Float32Array(axes.length).fill(1);
  if (Array.isArray(config.scale)) config.scale.forEach((s, i) => (scale[i] = s));
  else if (config.scale !== undefined) scale.fill(config.scale);
  const raw = config.raw ? { decimate: config.raw.decimate ?? 1, length: rawOutputLength(windowLength, config.raw.decimate ?? 1) } : null;
  const stats = config.stats ? [...(config.stats.features ?? DEFAULT_STATS)] : null;
  const spectral = config.spectral ? planSpectral(config.spectral, windowLength, rate) : null;
  const names: string[] = [];
  if (raw) for (let j = 0; j < raw.length; j++) for (const a of axes) names.push(`${a}.raw_${j}`);
  if (stats) for (const a of axes) for (const s of stats) names.push(`${a}.${s}`);
  if (spectral) for (const a of axes) for (const b of spectral.bands) names.push(`${a}.${bandName(b)}`);
  const sections = config.filter ? butterworthSections(config.filter, rate) : [];
  const flat = new Float64Array(axes.length * windowLength);
  return {
    config, shape: { windowLength, axes: [...axes], rate }, scale, sections, raw, stats, spectral, names,
    work: {
      signals: axes.map((_, a) => flat.subarray(a * windowLength, (a + 1) * windowLength)),
      filters: sections.length ? axes.map(() => new BiquadCascade(sections)) : [],
      statCodes: Uint8Array.from(stats ?? [], (n) => STAT_NAMES.indexOf(n)),
      sums: new Float64Array(SUM_SLOTS),
      segmentMeans: new Float32Array(axes.length),
    },
  };
}

/** Throws an Error naming the first problem when the window does not match the plan's shape. */
export function checkWindow(plan: FeaturePlan, window: readonly (readonly number[])[]): void {
  const { windowLength, axes } = plan.shape;
  checkWindowLength(windowLength, window);
  for (let t = 0; t < window.length; t++) {
    const row = checkRow(axes, window, t);
    for (let a = 0; a < row.length; a++) if (!Number.isFinite(row[a])) throw badValue(axes, row, t, a);
  }
}

function checkWindowLength(windowLength: number, window: readonly (readonly number[])[]): void {
  if (!Array.isArray(window) || window.length !== windowLength) {
    throw new Error(`the window must hold ${windowLength} samples (samples × axes), got ${Array.isArray(window) ? window.length : typeof window}`);
  }
}

function checkRow(axes: readonly string[], window: readonly (readonly number[])[], t: number): readonly number[] {
  const row = window[t];
  if (!Array.isArray(row) || row.length !== axes.length) throw new Error(`sample ${t} of the window must have ${axes.length} values (${axes.join(',')}), got ${Array.isArray(row) ? row.length : typeof row}`);
  return row;
}

function badValue(axes: readonly string[], row: readonly number[], t: number, a: number): Error {
  return new Error(`sample ${t}, axis ${axes[a]} is not a finite number: ${String(row[a])}`);
}

/** Scaled and filtered float32 signal per axis (fresh arrays). */
export function preprocess(plan: FeaturePlan, window: readonly (readonly number[])[]): Float32Array[] {
  loadWindow(plan, window);
  return plan.work.signals.map((x) => Float32Array.from(x));
}

/**
 * Checks the window as checkWindow does (same first problem) while filling plan.work.signals,
 * in one sample-major pass: x = float32(value) · scale[axis]; then the filter, per axis.
 */
function loadWindow(plan: FeaturePlan, window: readonly (readonly number[])[]): void {
  const { windowLength: L, axes } = plan.shape;
  checkWindowLength(L, window);
  const { signals, filters } = plan.work;
  const scale = plan.scale;
  const A = signals.length;
  for (let t = 0; t < L; t++) {
    const row = checkRow(axes, window, t);
    for (let a = 0; a < A; a++) {
      const v = row[a];
      if (!Number.isFinite(v)) throw badValue(axes, row, t, a);
      signals[a][t] = f32(f32(v) * scale[a]);
    }
  }
  if (filters.length) {
    for (let a = 0; a < A; a++) {
      const x = signals[a];
      const filter = filters[a];
      filter.reset();
      for (let t = 0; t < L; t++) x[t] = filter.step(x[t]);
    }
  }
}

/** The feature vector of one window (samples × axes), in the order of `plan.names`. */
export function computeFeatures(plan: FeaturePlan, window: readonly (readonly number[])[]): number[] {
  loadWindow(plan, window);
  const signals = plan.work.signals;
  const L = plan.shape.windowLength;
  const out = new Array<number>(plan.names.length).fill(0);
  let o = 0;
  if (plan.raw) {
    const raw = rawBlock(signals, plan.raw.decimate);
    for (let i = 0; i < raw.length; i++) out[o++] = raw[i];
  }
  if (plan.stats) {
    const { statCodes: codes, sums } = plan.work;
    const A = signals.length;
    for (let a = 0; a < A; a++) {
      powerSums(signals[a], L, sums, 0);
      statsFromSums(signals[a], L, codes, sums, 0, out, o + a * codes.length);
    }
    o += A * codes.length;
  }
  const sp = plan.spectral;
  if (sp) spectralAxesInto(sp, signals, plan.work.segmentMeans, out, o);
  return out;
}

/** RAM in bytes of the C twin's streaming state, per block (AVR layout: no padding, float = 4). */
export interface BlockBytes {
  filter: number;
  raw: number;
  stats: number;
  spectral: number;
  /** the float feature vector itself */
  output: number;
  /** sample counter */
  common: number;
  total: number;
}

/** What each block needs in RAM on the chip for this config (see tml_features_state in tml_features.h). */
export function bufferBytes(config: FeatureConfig, windowLength: number, axes: number): BlockBytes {
  const sections = config.filter ? (config.filter.order ?? 2) / 2 : 0;
  const filter = sections ? axes * sections * 2 * 4 + 1 : 0;
  const rawLen = config.raw ? rawOutputLength(windowLength, config.raw.decimate ?? 1) : 0;
  const raw = config.raw ? axes * 4 : 0;
  const statNames = config.stats ? config.stats.features ?? DEFAULT_STATS : [];
  const stats = config.stats ? axes * (7 * 4 + 2 + 1) + (statNames.includes('mcr') ? windowLength * axes * 4 : 0) : 0;
  const n = config.spectral ? config.spectral.fftLength ?? defaultFftLength(windowLength) : 0;
  const bands = config.spectral ? bandCountOf(config.spectral) : 0;
  // ring of one segment (M = min(window, N) samples) per axis, the N/2 complex values of the real FFT
  const spectral = config.spectral ? Math.min(windowLength, n) * axes * 4 + n * 4 + axes * bands * 4 : 0;
  const output = 4 * (rawLen * axes + statNames.length * axes + bands * axes);
  const common = 2;
  return { filter, raw, stats, spectral, output, common, total: filter + raw + stats + spectral + output + common };
}

/** Constant tables (flash / PROGMEM on AVR) in bytes for a plan. */
export function tableBytes(plan: FeaturePlan): number {
  const s = plan.spectral;
  // window (M floats), twiddles (N/2 cos + N/2 sin), bit reversal (N/2 uint16), bands
  return plan.scale.length * 4 + plan.sections.length * 6 * 4 + (s ? s.segmentLength * 4 + s.n * 4 + (s.n / 2) * 2 + s.bands.length * (2 + 2 + 4) : 0);
}
