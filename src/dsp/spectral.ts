/**
 * The spectral block: log band powers of a Welch power spectral density estimate, float32 step
 * by step, mirrored by `tml_spectral_*` in firmware/arduino/tinyml_dsp/tml_features.c.
 *
 * Welch (P. Welch, IEEE Trans. Audio Electroacoust. 15(2), 1967), as scipy.signal.welch with
 * scaling='density', return_onesided=True, detrend='constant' (or none), nperseg = M, nfft = N:
 *   segments of M = min(L, N) samples start every hop = M - round(M·overlap) samples (default
 *   overlap 50%); segments = floor((L - M)/hop) + 1, trailing samples that fill no whole segment
 *   are unused; each segment: subtract its mean (optional), multiply by the window w of length M,
 *   ZERO-PAD to N when M < N (a window shorter than the FFT), FFT of length N;
 *   P[k] = c_k·|X[k]|² / (fs·Σw²), c_k = 1 for k = 0 and k = N/2, else 2 (ONE-SIDED PSD, units²/Hz);
 *   computed as |2X[k]|²·(c_k/(4·fs·Σw²)) from the real-input FFT of fft.ts;
 *   band b = log10( (Σ over segments, Σ over bins k of band b of P[k]) / (segments·bins_b) + ε ).
 * A bin k (frequency k·fs/N) belongs to band [lo, hi) when lo <= k·fs/N < hi; the last band
 * also takes a bin exactly at its upper edge.
 */
import { f32 } from './float32';
import { log10_32 } from './float32-math';
import { bitReversal, fftCore, isPowerOfTwo, realFftPower4, twiddleTables, type TwiddleTables } from './fft';
import { windowPowerSum, windowTable, type WindowName } from './window-function';

export interface SpectralBlockConfig {
  /** FFT length, a power of two from 4 to 1024 (default: largest power of two <= window, at most 256); longer than the window: one segment of the whole window, zero-padded */
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
  /** FFT length N */
  n: number;
  /** samples per Welch segment M = min(window, N); the FFT input is zero-padded from M to N */
  segmentLength: number;
  hop: number;
  segments: number;
  /** window function, M values */
  window: Float32Array;
  windowName: WindowName;
  twiddles: TwiddleTables;
  /** bit reversal of the N/2 packed complex values */
  bitReverse: Uint16Array;
  bands: SpectralBand[];
  /** float32 1/(4·fs·Σw²) for bins 0 and N/2, 2/(4·fs·Σw²) for the others: P[k] = |2X[k]|² · scale */
  scaleEdge: number;
  scaleMid: number;
  /** scratch of the half-length FFT (reused by every call: the block is synchronous) */
  re: Float32Array;
  im: Float32Array;
  /** scratch: |2X[k]|²·scale of bins 0..N/2 (float32 values) */
  power: Float64Array;
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
  const m = Math.min(windowLength, n);
  const hop = Math.max(1, m - Math.round(m * (config.overlap ?? 0.5)));
  const segments = Math.floor((windowLength - m) / hop) + 1;
  const windowName = config.window ?? 'hann-periodic';
  const window = windowTable(windowName, m);
  const s2 = windowPowerSum(window);
  const edges = bandEdges(config, rate);
  const bands: SpectralBand[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const bins = binsOf(edges[i], edges[i + 1], n, rate, i + 2 === edges.length);
    bands.push({ loHz: edges[i], hiHz: edges[i + 1], loBin: bins[0], hiBin: bins[bins.length - 1], invCount: f32(1 / (segments * bins.length)) });
  }
  return {
    n, segmentLength: m, hop, segments, window, windowName, twiddles: twiddleTables(n), bitReverse: bitReversal(n / 2), bands,
    scaleEdge: f32(1 / (4 * rate * s2)),
    scaleMid: f32(2 / (4 * rate * s2)),
    re: new Float32Array(n / 2),
    im: new Float32Array(n / 2),
    power: new Float64Array(n / 2 + 1),
    epsilon: f32(config.epsilon ?? 1e-10),
    detrend: (config.detrend ?? 'mean') === 'mean',
  };
}

/** Log band powers of one preprocessed float32 axis signal. */
export function spectralBlock(plan: SpectralPlan, x: Float32Array): number[] {
  const out = new Array<number>(plan.bands.length);
  spectralInto(plan, x, out, 0);
  return out;
}

/** Writes the log band powers of x into out[offset..] (spectralAxesInto for one axis). */
export function spectralInto(plan: SpectralPlan, x: Float32Array, out: number[], offset: number): void {
  spectralAxesInto(plan, [Float64Array.from(x)], new Float32Array(1), out, offset);
}

/**
 * Writes the log band powers of every axis into out[offset..] (axis-major, bands.length per
 * axis); signals: float32 values held in float64 arrays (a load needs no conversion); means:
 * scratch of one float per axis. Per segment: the means of all axes (several
 * independent add chains per loop), then per axis: subtract, window, pack pairs (x[2i], x[2i+1])
 * into bit-reversed complex slots, zeros past the segment, half-length FFT, band sums of
 * |2X[k]|²·scale in bin order; finally log10(sum·invCount + ε) per band. Per axis, the float32
 * steps and their order are those of tml_spectral_segment (one axis at a time there).
 */
export function spectralAxesInto(plan: SpectralPlan, signals: readonly Float64Array[], means: Float32Array, out: number[], offset: number): void {
  const nb = plan.bands.length;
  const A = signals.length;
  const m = plan.segmentLength;
  for (let i = 0; i < A * nb; i++) out[offset + i] = 0;
  for (let s = 0; s < plan.segments; s++) {
    const start = s * plan.hop;
    if (plan.detrend) segmentMeans(signals, start, m, means);
    else means.fill(0);
    for (let a = 0; a < A; a++) segmentBandSums(plan, signals[a], start, means[a], out, offset + a * nb);
  }
  const bands = plan.bands;
  const eps = plan.epsilon;
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < nb; b++) {
      const i = offset + a * nb + b;
      out[i] = log10_32(f32(f32(out[i] * bands[b].invCount) + eps));
    }
  }
}

/** means[a] = float32(Σ x_a[start..start+m) in index order / m), three axes per loop (independent chains). */
function segmentMeans(signals: readonly Float64Array[], start: number, m: number, means: Float32Array): void {
  const A = signals.length;
  const end = start + m;
  for (let a = 0; a < A; a += 3) {
    const x = signals[a];
    const y = signals[a + 1 < A ? a + 1 : a];
    const z = signals[a + 2 < A ? a + 2 : a];
    let sx = 0, sy = 0, sz = 0;
    for (let i = start; i < end; i++) {
      sx = f32(sx + x[i]);
      sy = f32(sy + y[i]);
      sz = f32(sz + z[i]);
    }
    means[a] = f32(sx / m);
    if (a + 1 < A) means[a + 1] = f32(sy / m);
    if (a + 2 < A) means[a + 2] = f32(sz / m);
  }
}

/** One segment of x starting at `start`, its mean given: adds its band powers to out[offset..]. */
function segmentBandSums(plan: SpectralPlan, x: Float64Array, start: number, mean: number, out: number[], offset: number): void {
  const { n, segmentLength: m, window: w, bitReverse: rev, re, im, bands, twiddles } = plan;
  const h = n >> 1;
  const pairs = m >> 1;
  const nb = bands.length;
  for (let i = 0; i < pairs; i++) {
    const j = rev[i];
    const t = start + 2 * i;
    re[j] = f32(f32(x[t] - mean) * w[2 * i]);
    im[j] = f32(f32(x[t + 1] - mean) * w[2 * i + 1]);
  }
  let i0 = pairs;
  if (m & 1) {
    // odd segment: its last sample pairs with the first padding zero
    re[rev[pairs]] = f32(f32(x[start + m - 1] - mean) * w[m - 1]);
    im[rev[pairs]] = 0;
    i0++;
  }
  for (let i = i0; i < h; i++) {
    re[rev[i]] = 0;
    im[rev[i]] = 0;
  }
  fftCore(re, im, h, twiddles.cos, twiddles.negSin, 2);
  const power = plan.power;
  binPowers(re, im, h, twiddles, plan.scaleEdge, plan.scaleMid, power);
  for (let b = 0; b < nb; b++) {
    const band = bands[b];
    let acc = out[offset + b];
    for (let k = band.loBin; k <= band.hiBin; k++) acc = f32(acc + power[k]);
    out[offset + b] = acc;
  }
}

/**
 * power[k] = float32(|2X[k]|²·scale) for k = 0..h, the bits of realFftPower4(k)·scale: bins k and
 * h-k are split from the same sums Z[k] ± conj Z[h-k], formed once for both (for bin h-k they are
 * the exact negations, up to the sign of a zero, which the squares drop).
 */
function binPowers(re: Float32Array, im: Float32Array, h: number, tw: TwiddleTables, scaleEdge: number, scaleMid: number, power: Float64Array): void {
  const cos = tw.cos;
  const negSin = tw.negSin;
  power[0] = f32(realFftPower4(re, im, h, tw, 0) * scaleEdge);
  power[h] = f32(realFftPower4(re, im, h, tw, h) * scaleEdge);
  for (let k = 1; 2 * k <= h; k++) {
    const m = h - k;
    const ar = f32(re[k] + re[m]);
    const ai = f32(im[k] - im[m]);
    const br = f32(re[k] - re[m]);
    const bi = f32(im[k] + im[m]);
    const c = cos[k];
    const s = negSin[k];
    const xr = f32(ar + f32(f32(c * bi) + f32(s * br)));
    const xi = f32(ai + f32(f32(s * bi) - f32(c * br)));
    power[k] = f32(f32(f32(xr * xr) + f32(xi * xi)) * scaleMid);
    if (m !== k) {
      // bin m: ar, bi as for k; its ai and br are -ai, -br
      const cm = cos[m];
      const sm = negSin[m];
      const yr = f32(ar + f32(f32(cm * bi) - f32(sm * br)));
      const yi = f32(f32(f32(sm * bi) + f32(cm * br)) - ai);
      power[m] = f32(f32(f32(yr * yr) + f32(yi * yi)) * scaleMid);
    }
  }
}

/** Feature-name suffix of a band, e.g. band_0_5hz, band_2p5_7p5hz. */
export function bandName(band: SpectralBand): string {
  const fmt = (v: number): string => String(Math.round(v * 100) / 100).replace('.', 'p');
  return `band_${fmt(band.loHz)}_${fmt(band.hiHz)}hz`;
}
