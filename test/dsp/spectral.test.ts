import assert from 'assert';
import { planSpectral, spectralBlock, spectralProblems, bandName } from '../../src/dsp/spectral';
import { windowTable } from '../../src/dsp/window-function';

const tone = (n: number, f: number, rate: number, a = 1, offset = 0): Float32Array =>
  Float32Array.from({ length: n }, (_, t) => a * Math.sin((2 * Math.PI * f * t) / rate) + offset);

describe('spectral block (Welch log band power)', () => {
  it('periodic Hann is DFT-even, symmetric Hann is symmetric', () => {
    const p = windowTable('hann-periodic', 8);
    assert.strictEqual(p[0], 0);
    assert.strictEqual(p[4], 1);
    assert.ok(Math.abs(p[1] - p[7]) < 1e-7);
    const s = windowTable('hann-symmetric', 8);
    assert.strictEqual(s[0], 0);
    assert.strictEqual(s[7], 0);
  });

  it('puts a pure tone in the right band', () => {
    const plan = planSpectral({ fftLength: 64, bands: [0, 5, 10, 20, 30, 50] }, 200, 100);
    const out = spectralBlock(plan, tone(200, 14, 100, 1, 3));
    const best = out.indexOf(Math.max(...out));
    assert.strictEqual(best, 2, `bands ${out.map((v) => v.toFixed(2))}`);
    for (const [i, v] of out.entries()) if (i !== 2) assert.ok(v < out[2] - 2, `band ${i} only ${out[2] - v} decades below`);
  });

  it('is a one-sided density: the PSD integrates to the signal power A²/2', () => {
    const A = 2;
    const rate = 100;
    const plan = planSpectral({ fftLength: 64, bands: [0, 50], epsilon: 1e-20 }, 256, rate);
    const [logMean] = spectralBlock(plan, tone(256, 12.5, rate, A));
    const bins = plan.bands[0].hiBin - plan.bands[0].loBin + 1;
    const integrated = 10 ** logMean * bins * (rate / plan.n); // mean density × bins × Δf
    assert.ok(Math.abs(integrated - (A * A) / 2) < 0.02 * (A * A) / 2, `integrated ${integrated}`);
  });

  it('counts Welch segments with 50% overlap by default and drops a trailing partial segment', () => {
    assert.strictEqual(planSpectral({ fftLength: 64 }, 119, 119).segments, 2);
    assert.strictEqual(planSpectral({ fftLength: 64 }, 128, 119).segments, 3);
    assert.strictEqual(planSpectral({ fftLength: 64, overlap: 0 }, 128, 119).segments, 2);
  });

  it('zero-pads a window shorter than the FFT: one segment of the whole window (scipy welch nperseg=L, nfft=N)', () => {
    const plan = planSpectral({ fftLength: 128, bands: [0, 10, 20, 30, 59.5] }, 119, 119);
    assert.deepStrictEqual([plan.n, plan.segmentLength, plan.segments, plan.window.length], [128, 119, 1, 119]);
    // a 25 Hz tone lands in the 20–30 Hz band
    const out = spectralBlock(plan, tone(119, 25, 119, 2));
    assert.strictEqual(out.indexOf(Math.max(...out)), 2);
    // against the float64 definition: zero-padded periodogram, one-sided density, mean per band
    const x = tone(119, 25, 119, 2, 0.5);
    const got = spectralBlock(plan, x);
    let mean = 0;
    for (const v of x) mean += v / 119;
    let s2 = 0;
    for (const w of plan.window) s2 += w * w;
    plan.bands.forEach((band, b) => {
      let sum = 0;
      for (let k = band.loBin; k <= band.hiBin; k++) {
        let re = 0;
        let im = 0;
        for (let t = 0; t < 119; t++) {
          re += (x[t] - mean) * plan.window[t] * Math.cos((2 * Math.PI * k * t) / 128);
          im -= (x[t] - mean) * plan.window[t] * Math.sin((2 * Math.PI * k * t) / 128);
        }
        sum += ((k === 0 || k === 64 ? 1 : 2) * (re * re + im * im)) / (119 * s2);
      }
      const expected = Math.log10(sum / (band.hiBin - band.loBin + 1) + 1e-10);
      assert.ok(Math.abs(got[b] - expected) < 1e-4, `band ${b}: ${got[b]} vs ${expected}`);
    });
  });

  it('names bands by their edges and explains invalid settings', () => {
    const plan = planSpectral({ fftLength: 32, bandCount: 4 }, 64, 25);
    assert.deepStrictEqual(plan.bands.map(bandName), ['band_0_3p13hz', 'band_3p13_6p25hz', 'band_6p25_9p38hz', 'band_9p38_12p5hz']);
    assert.match(spectralProblems({ fftLength: 48 }, 100, 100).join(), /power of two/);
    assert.deepStrictEqual(spectralProblems({ fftLength: 128 }, 100, 100), [], 'an FFT longer than the window zero-pads');
    assert.match(spectralProblems({ fftLength: 2048 }, 4096, 100).join(), /from 4 to 1024/);
    assert.match(spectralProblems({ fftLength: 16, bands: [0, 1, 2] }, 100, 100).join(), /holds no FFT bin/);
    assert.match(spectralProblems({ bands: [0, 80] }, 100, 100).join(), /half the sample rate/);
    assert.match(spectralProblems({ epsilon: 0 }, 100, 100).join(), /epsilon/);
  });
});
