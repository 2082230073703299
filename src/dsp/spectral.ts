/**
 * The spectral block: log band powers of a Welch power spectral density estimate, float32 step
 * by step, mirrored by `tml_spectral_*` in firmware/arduino/tinyml_dsp/tml_features.c.
 *
 * Welch (P. Welch, IEEE Trans. Audio Electroacoust. 15(2), 1967), as scipy.signal.welch with
 * scaling='density', return_onesided=True, detrend='constant' (or none):
 *   segments of N samples start every hop = N - round(N·overlap) samples (default overlap 50%);
 *   segments = floor((L - N)/hop) + 1, trailing samples that fill no whole segment are unused;
 *   each segment: subtract its mean (optional), multiply by the window w, FFT;
 *   P[k] = c_k·|X[k]|² / (fs·Σw²), c_k = 1 for k = 0 and k = N/2, else 2 (ONE-SIDED PSD, units²/Hz);
 *   band b = log10( (Σ over segments, Σ over bins k of band b of P[k]) / (segments·bins_b) + ε ).
 * A bin k (frequency k·fs/N) belongs to band [lo, hi) when lo <= k·fs/N < hi; the last band
 * also takes a bin exactly at its upper edge.
 */
import { f32 } from './float32';
import { log10_32 } from './float32-math';
import { fftInPlace, isPowerOfTwo, twiddleTables, type TwiddleTables } from './fft';
import { windowPowerSum, windowTable, type WindowName } from './window-function';

export interface SpectralBlockConfig {
  /** FFT (segment) length, a power of two from 4 to 1024, at most the window length (default: largest power of two <= window, at most 256) */
  fftLength?: number;
  /** segment overlap fraction in [0, 0.95] (default 0.5) */
  overlap?: number;
  /** window function (default 'hann-periodic') */
  window?: WindowName;
  /** band edges in Hz, increasing, within [0, rate/2] (default: `bandCount` equal bands from 0 to rate/2) */
  bands?: number[];
  /** number of equal bands when `bands` is absent (default 8) */
  bandCount?: number;
  /** added to the mean band power before log10 (default 1e-10) */
  epsilon?: number;
  /** subtract each segment's mean before windowing (default 'mean') */
  detrend?: 'mean' | 'none';
}

export interface SpectralBand {
  loHz: number;
  hiHz: number;
  /** first and last FFT bin (inclusive) */
  loBin: number;
  hiBin: number;
  /** float32 1 / (segments · bins) */
  invCount: number;
}

export interface SpectralPlan {
  n: number;
  hop: number;
  segments: number;
  window: Float32Array;
  windowName: WindowName;
  twiddles: TwiddleTables;
  bands: SpectralBand[];
  /** float32 1/(fs·Σw²) for bins 0 and N/2, 2/(fs·Σw²) for the others */
  scaleEdge: number;
  scaleMid: number;
  epsilon: number;
  detrend: boolean;
}

export function defaultFftLength(windowLength: number): number {
  let n = 2;
  while (n * 2 <= Math.min(windowLength, 256)) n *= 2;
  return n;
}

export function bandCountOf(config: SpectralBlockConfig): number {
  return config.bands ? config.bands.length - 1 : config.bandCount ?? 8;
}

/** Problems with a spectral config for this window, each naming the field; [] when valid. */
export function spectralProblems(config: SpectralBlockConfig, windowLength: number, rate: number): string[] {
  const p: string[] = [];
  const n = config.fftLength ?? defaultFftLength(windowLength);
  if (!isPowerOfTwo(n) || n < 4 || n > 1024) p.push(`spectral.fftLength must be a power of two from 4 to 1024, got ${n}`);
  else if (n > windowLength) p.push(`spectral.fftLength ${n} is longer than the window (${windowLength} samples): use at most ${defaultFftLength(windowLength)}`);
  const overlap = config.overlap ?? 0.5;
  if (!(overlap >= 0 && overlap <= 0.95)) p.push(`spectral.overlap must be between 0 and 0.95, got ${overlap}`);
  const w = config.window ?? 'hann-periodic';
  if (!['hann-periodic', 'hann-symmetric', 'rectangular'].includes(w)) p.push(`spectral.window must be 'hann-periodic', 'hann-symmetric' or 'rectangular', got '${w}'`);
  const eps = config.epsilon ?? 1e-10;
  if (!(eps > 0 && f32(eps) > 0)) p.push(`spectral.epsilon must be a positive float32 (e.g. 1e-10), got ${eps}`);
  if (config.detrend !== undefined && config.detrend !== 'mean' && config.detrend !== 'none') p.push(`spectral.detrend must be 'mean' or 'none', got '${String(config.detrend)}'`);
  if (!config.bands) {
    const c = config.bandCount ?? 8;
    if (!Number.isInteger(c) || c < 1) p.push(`spectral.bandCount must be a positive integer, got ${c}`);
  } else if (config.bands.length < 2) p.push('spectral.bands needs at least two edges (one band), e.g. [0, 5, 10]');
  if (p.length) return p;
  const edges = bandEdges(config, rate);
  for (let i = 0; i + 1 < edges.length; i++) {
    const lo = edges[i];
    const hi = edges[i + 1];
    if (!(lo >= 0 && hi > lo && hi <= rate / 2 + 1e-9)) {
      p.push(`spectral.bands must increase within 0..${rate / 2} Hz (half the sample rate): band ${lo}–${hi} Hz is not`);
    } else if (binsOf(lo, hi, n, rate, i + 2 === edges.length).length === 0) {
      p.push(`spectral band ${lo}–${hi} Hz holds no FFT bin (bins are ${(rate / n).toFixed(3)} Hz apart at ${rate} Hz, N=${n}): widen it or raise fftLength`);
    }
  }
  return p;
}

function bandEdges(config: SpectralBlockConfig, rate: number): number[] {
  if (config.bands) return config.bands;
  const c = config.bandCount ?? 8;
  return Array.from({ length: c + 1 }, (_, i) => (i * rate) / 2 / c);
}

function binsOf(lo: number, hi: number, n: number, rate: number, closed: boolean): number[] {
  const bins: number[] = [];
  for (let k = 0; k <= n / 2; k++) {
    const f = (k * rate) / n;
    if (f >= lo && (f < hi || (closed && f <= hi))) bins.push(k);
  }
  return bins;
}

export function planSpectral(config: SpectralBlockConfig, windowLength: number, rate: number): SpectralPlan {
  const problems = spectralProblems(config, windowLength, rate);
  if (problems.length) throw new Error(problems.join('; '));
  const n = config.fftLength ?? defaultFftLength(windowLength);
  const hop = Math.max(1, n - Math.round(n * (config.overlap ?? 0.5)));
  const segments = Math.floor((windowLength - n) / hop) + 1;
  const windowName = config.window ?? 'hann-periodic';
  const window = windowTable(windowName, n);
  const s2 = windowPowerSum(window);
  const edges = bandEdges(config, rate);
  const bands: SpectralBand[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const bins = binsOf(edges[i], edges[i + 1], n, rate, i + 2 === edges.length);
    bands.push({ loHz: edges[i], hiHz: edges[i + 1], loBin: bins[0], hiBin: bins[bins.length - 1], invCount: f32(1 / (segments * bins.length)) });
  }
  return {
    n, hop, segments, window, windowName, twiddles: twiddleTables(n), bands,
    scaleEdge: f32(1 / (rate * s2)),
    scaleMid: f32(2 / (rate * s2)),
    epsilon: f32(config.epsilon ?? 1e-10),
    detrend: (config.detrend ?? 'mean') === 'mean',
  };
}

/** Log band powers of one preprocessed float32 axis signal. */
export function spectralBlock(plan: SpectralPlan, x: Float32Array): number[] {
  const { n } = plan;
  const re = new Float32Array(n);
  const im = new Float32Array(n);
  const acc = new Float32Array(plan.bands.length);
  for (let s = 0; s < plan.segments; s++) {
    const start = s * plan.hop;
    let mean = 0;
    if (plan.detrend) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum = f32(sum + x[start + i]);
      mean = f32(sum / n);
    }
    for (let i = 0; i < n; i++) {
      re[i] = f32(f32(x[start + i] - mean) * plan.window[i]);
      im[i] = 0;
    }
    fftInPlace(re, im, plan.twiddles);
    for (let b = 0; b < plan.bands.length; b++) {
      const band = plan.bands[b];
      for (let k = band.loBin; k <= band.hiBin; k++) {
        const scale = k === 0 || k === n / 2 ? plan.scaleEdge : plan.scaleMid;
        const p = f32(f32(f32(re[k] * re[k]) + f32(im[k] * im[k])) * scale);
        acc[b] = f32(acc[b] + p);
      }
    }
  }
  return plan.bands.map((band, b) => log10_32(f32(f32(acc[b] * band.invCount) + plan.epsilon)));
}

/** Feature-name suffix of a band, e.g. band_0_5hz, band_2p5_7p5hz. */
export function bandName(band: SpectralBand): string {
  const fmt = (v: number): string => String(Math.round(v * 100) / 100).replace('.', 'p');
  return `band_${fmt(band.loHz)}_${fmt(band.hiHz)}hz`;
}
