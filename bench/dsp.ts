/**
 * Feature extraction throughput: windows/s of a 119 × 6 window (gesture shape, 119 Hz) with
 * stats + spectral (FFT 64, Welch 50%, 8 bands) through the float32-exact engine, against a plain
 * float64 implementation of the same features (no Math.fround, libm sqrt/log10) in the same run:
 * the price of bit-exactness with the chip.
 */
import { computeFeatures, planFeatures, preprocess, type FeaturePlan } from '../src/dsp/feature-pipeline';
import type { BenchRow } from './bench-row';

const WINDOWS = 400;
const REPEATS = 5;

function windows(): number[][][] {
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return Array.from({ length: WINDOWS }, (_, w) => Array.from({ length: 119 }, (_, t) => Array.from({ length: 6 }, (_, a) => Math.sin((2 * Math.PI * (a + 1 + (w % 5)) * t) / 119) * (a + 1) + rnd() - 0.5)));
}

/** The same features in plain float64 (baseline only; not bit-exact with the chip). */
function float64Features(plan: FeaturePlan, window: number[][]): number[] {
  const sp = plan.spectral;
  if (!sp || !plan.stats) throw new Error('baseline expects stats + spectral');
  const signals = preprocess(plan, window);
  const out: number[] = [];
  for (const x of signals) {
    const n = x.length;
    let sum = 0;
    let min = x[0];
    let max = x[0];
    let zc = 0;
    for (let i = 0; i < n; i++) {
      sum += x[i];
      if (x[i] < min) min = x[i];
      if (x[i] > max) max = x[i];
      if (i && x[i] < 0 !== x[i - 1] < 0) zc++;
    }
    const mean = sum / n;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - mean;
      m2 += d * d;
      m3 += d * d * d;
      m4 += d * d * d * d;
    }
    const std = Math.sqrt(m2 / n);
    out.push(mean, std, Math.sqrt(m2 / n + mean * mean), min, max, max - min, m2 > 0 ? (Math.sqrt(n) * m3) / m2 ** 1.5 : 0, m2 > 0 ? (n * m4) / (m2 * m2) - 3 : 0, zc / (n - 1));
  }
  const re = new Float64Array(sp.n);
  const im = new Float64Array(sp.n);
  for (const x of signals) {
    const acc = new Float64Array(sp.bands.length);
    for (let s = 0; s < sp.segments; s++) {
      let mean = 0;
      for (let i = 0; i < sp.n; i++) mean += x[s * sp.hop + i];
      mean /= sp.n;
      for (let i = 0; i < sp.n; i++) {
        re[i] = (x[s * sp.hop + i] - mean) * sp.window[i];
        im[i] = 0;
      }
      for (let i = 1, j = 0; i < sp.n; i++) {
        let bit = sp.n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) {
          [re[i], re[j]] = [re[j], re[i]];
          [im[i], im[j]] = [im[j], im[i]];
        }
      }
      for (let size = 2; size <= sp.n; size <<= 1) {
        const half = size >> 1;
        const step = sp.n / size;
        for (let st = 0; st < sp.n; st += size) {
          for (let k = 0; k < half; k++) {
            const wr = sp.twiddles.cos[k * step];
            const wi = sp.twiddles.negSin[k * step];
            const i = st + k;
            const j = i + half;
            const tr = wr * re[j] - wi * im[j];
            const ti = wr * im[j] + wi * re[j];
            re[j] = re[i] - tr;
            im[j] = im[i] - ti;
            re[i] += tr;
            im[i] += ti;
          }
        }
      }
      sp.bands.forEach((b, bi) => {
        for (let k = b.loBin; k <= b.hiBin; k++) acc[bi] += (re[k] * re[k] + im[k] * im[k]) * (k === 0 || k === sp.n / 2 ? sp.scaleEdge : sp.scaleMid);
      });
    }
    sp.bands.forEach((b, bi) => out.push(Math.log10(acc[bi] * b.invCount + sp.epsilon)));
  }
  return out;
}

function best(fn: () => void): number {
  let ms = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    ms = Math.min(ms, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return ms;
}

export async function benchDsp(): Promise<BenchRow[]> {
  const plan = planFeatures({ stats: {}, spectral: { fftLength: 64, bandCount: 8 } }, { windowLength: 119, axes: ['aX', 'aY', 'aZ', 'gX', 'gY', 'gZ'], rate: 119 });
  const ws = windows();
  let sink = 0;
  const exact = best(() => { for (const w of ws) sink += computeFeatures(plan, w)[0]; });
  const plain = best(() => { for (const w of ws) sink += float64Features(plan, w)[0]; });
  if (!Number.isFinite(sink)) throw new Error('benchmark produced a non-finite feature');
  return [{
    name: 'features 119×6 stats+spectral (FFT 64), float32-exact',
    value: Math.round((WINDOWS / exact) * 1000),
    unit: 'windows/s',
    baseline: Math.round((WINDOWS / plain) * 1000),
    note: `baseline: same features in plain float64 (not chip-exact); ${plan.names.length} features`,
  }];
}

if (require.main === module) {
  benchDsp().then((rows) => process.stdout.write(JSON.stringify(rows, null, 1) + '\n'), (e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 2;
  });
}
