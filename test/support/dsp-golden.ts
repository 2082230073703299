/**
 * Golden vectors for the feature twin: deterministic synthetic windows (seeded) and plans that
 * together exercise every path (filters, decimation, every statistic, every window function,
 * detrend on/off). Expected features are computed by the TypeScript engine; the committed file
 * test/dsp/golden/features.json pins them (regenerate with
 * `node dist-<x>/test/support/dsp-golden.js --write` after an intended change).
 */
import fs from 'fs';
import path from 'path';
import { computeFeatures, planFeatures, type FeatureConfig, type FeaturePlan, type WindowShape } from '../../src/dsp/feature-pipeline';
import { float32Bits } from '../../src/dsp/float32';
import { mulberry32 } from '../../src/random/mulberry32';

export interface GoldenCase {
  name: string;
  config: FeatureConfig;
  shape: WindowShape;
}

export const GOLDEN_CASES: GoldenCase[] = [
  {
    name: 'stats-all-gesture-shape',
    config: { stats: { features: ['mean', 'std', 'rms', 'min', 'max', 'ptp', 'skew', 'kurt', 'zcr', 'mcr'] } },
    shape: { windowLength: 119, axes: ['aX', 'aY', 'aZ', 'gX', 'gY', 'gZ'], rate: 119 },
  },
  {
    name: 'lowpass4-spectral-hann-periodic',
    config: { scale: [1, 2, 0.5], filter: { type: 'lowpass', cutoffHz: 20, order: 4 }, stats: {}, spectral: { fftLength: 32, bands: [0, 5, 10, 20, 50] } },
    shape: { windowLength: 100, axes: ['ax', 'ay', 'az'], rate: 100 },
  },
  {
    name: 'highpass2-raw-decimate-symmetric',
    config: { scale: 0.25, filter: { type: 'highpass', cutoffHz: 1.5, order: 2 }, raw: { decimate: 3 }, stats: { features: ['rms', 'kurt', 'mcr'] }, spectral: { fftLength: 16, window: 'hann-symmetric', overlap: 0.25, bandCount: 3, detrend: 'none' } },
    shape: { windowLength: 50, axes: ['x', 'y'], rate: 50 },
  },
  {
    name: 'rectangular-raw-only-spectral',
    config: { raw: {}, spectral: { fftLength: 64, window: 'rectangular', overlap: 0, epsilon: 1e-6 } },
    shape: { windowLength: 128, axes: ['v'], rate: 1000 },
  },
  {
    // FFT longer than an odd window: one segment of 75 samples zero-padded to 128
    name: 'zero-padded-odd-window-fft128',
    config: { stats: {}, spectral: { fftLength: 128, bandCount: 6 } },
    shape: { windowLength: 75, axes: ['aX', 'gZ'], rate: 119 },
  },
];

/** Windows of many kinds: tones with offsets and noise, constant, zeros, steps, spikes, large values. */
export function goldenWindows(shape: WindowShape, count: number, seed: number): number[][][] {
  const rnd = mulberry32(seed);
  const { windowLength: L, axes, rate } = shape;
  const windows: number[][][] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 6;
    const w: number[][] = [];
    for (let t = 0; t < L; t++) {
      w.push(axes.map((_, a) => {
        const f = 1 + ((i * 7 + a * 3) % 17);
        switch (kind) {
          case 0: return (1 + a) * Math.sin((2 * Math.PI * f * t) / rate + a) + (a - 1) * 0.9 + (rnd() - 0.5) * 0.2;
          case 1: return 3.25; // constant: std 0, skew/kurt defined as 0
          case 2: return 0;
          case 3: return t < L / 2 ? -1 + rnd() * 0.01 : 2 + rnd() * 0.01;
          case 4: return t % 13 === a ? 50 * (rnd() + 0.5) : (rnd() - 0.5) * 0.1;
          default: return Math.round((rnd() - 0.5) * 4000000) / 1000;
        }
      }));
    }
    windows.push(w);
  }
  return windows;
}

export interface GoldenFile {
  cases: Array<{ name: string; config: FeatureConfig; shape: WindowShape; seed: number; windows: number; names: string[]; features: string[][] }>;
}

export const GOLDEN_WINDOWS_PER_CASE = 12;

export function goldenPlan(c: GoldenCase): FeaturePlan {
  return planFeatures(c.config, c.shape);
}

/** The golden file content as computed now by the engine (features as float32 bit patterns in hex). */
export function computeGolden(): GoldenFile {
  return {
    cases: GOLDEN_CASES.map((c, k) => {
      const plan = goldenPlan(c);
      const seed = 1000 + k;
      const windows = goldenWindows(c.shape, GOLDEN_WINDOWS_PER_CASE, seed);
      return {
        name: c.name, config: c.config, shape: c.shape, seed, windows: windows.length, names: plan.names,
        features: windows.map((w) => computeFeatures(plan, w).map((v) => float32Bits(v).toString(16).padStart(8, '0'))),
      };
    }),
  };
}

export const GOLDEN_FILE = path.resolve(__dirname, '..', '..', '..', 'test', 'dsp', 'golden', 'features.json');

if (require.main === module && process.argv.includes('--write')) {
  fs.mkdirSync(path.dirname(GOLDEN_FILE), { recursive: true });
  fs.writeFileSync(GOLDEN_FILE, JSON.stringify(computeGolden(), null, 1) + '\n');
  process.stdout.write(`wrote ${GOLDEN_FILE}\n`);
}
