/**
 * Builds and runs the C twin of the feature pipeline on the host (gcc, float32 without FMA
 * contraction), for the parity tests. Executables are cached in build/dsp/<hash of the header>.
 */
import { execFileSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { generateFeatureHeader, FEATURES_CONFIG_HEADER } from '../../src/codegen/c-features';
import { hexFloat32 } from '../../src/dsp/float32';
import type { FeaturePlan } from '../../src/dsp/feature-pipeline';
import { requireTool } from './tools';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const DSP_C_DIR = path.join(REPO_ROOT, 'firmware', 'arduino', 'tinyml_dsp');
export const HOST_CFLAGS = ['-std=c99', '-O2', '-ffp-contract=off', '-fno-fast-math', '-Wall', '-Wextra', '-Werror'];

/** A fresh folder under build/dsp named after the content that determines the build. */
export function dspBuildDir(kind: string, key: string): string {
  const hash = crypto.createHash('sha256').update(key).digest('hex').slice(0, 16);
  const dir = path.join(REPO_ROOT, 'build', 'dsp', `${kind}-${hash}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Compiles the host harness for this plan; returns the executable path. */
export function buildHostFeatures(plan: FeaturePlan): string {
  requireTool('gcc', 'gcc');
  const header = generateFeatureHeader(plan);
  const sources = ['tml_dsp.c', 'tml_features.c', 'host/tml_features_host.c'].map((f) => path.join(DSP_C_DIR, f));
  const headers = ['tml_dsp.h', 'tml_features.h'].map((f) => path.join(DSP_C_DIR, f));
  const dir = dspBuildDir('host', header + [...sources, ...headers].map((f) => fs.readFileSync(f, 'utf8')).join(''));
  const exe = path.join(dir, 'tml_features_host');
  if (fs.existsSync(exe)) return exe;
  fs.writeFileSync(path.join(dir, FEATURES_CONFIG_HEADER), header);
  execFileSync('gcc', [...HOST_CFLAGS, '-I', dir, '-I', DSP_C_DIR, '-o', exe + '.tmp',
    ...sources, '-lm'], { stdio: ['ignore', 'inherit', 'inherit'] });
  fs.renameSync(exe + '.tmp', exe);
  return exe;
}

/** Windows (samples × axes) -> feature vectors computed by the C twin, as float32 arrays. */
export function runHostFeatures(exe: string, plan: FeaturePlan, windows: readonly (readonly number[])[][]): Float32Array[] {
  const { windowLength: L, axes } = plan.shape;
  const A = axes.length;
  const input = new Float32Array(windows.length * L * A);
  windows.forEach((w, i) => w.forEach((row, t) => row.forEach((v, a) => (input[(i * L + t) * A + a] = v))));
  const out = execFileSync(exe, ['features'], { input: Buffer.from(input.buffer), maxBuffer: 1 << 30 });
  const F = plan.names.length;
  if (out.length !== windows.length * F * 4) throw new Error(`the C harness returned ${out.length} bytes for ${windows.length} windows of ${F} features`);
  const all = new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length));
  return windows.map((_, i) => all.subarray(i * F, (i + 1) * F));
}

export interface HostMathResult {
  sqrt: Float32Array;
  log10: Float32Array;
  round: Int32Array;
  quantized: Int32Array;
}

/** Runs tml_sqrtf, tml_log10f, tml_round_half_away and tml_quantize_input(x, scale, zp) over xs. */
export function runHostMath(exe: string, xs: Float32Array, scale: number, zeroPoint: number): HostMathResult {
  // hex float: strtof reads the exact float32 bits (a decimal could round differently)
  const out = execFileSync(exe, ['math', hexFloat32(scale).replace(/f$/, ''), String(zeroPoint)], { input: Buffer.from(xs.buffer, xs.byteOffset, xs.byteLength), maxBuffer: 1 << 30 });
  const view = new DataView(out.buffer, out.byteOffset, out.length);
  const n = xs.length;
  const r: HostMathResult = { sqrt: new Float32Array(n), log10: new Float32Array(n), round: new Int32Array(n), quantized: new Int32Array(n) };
  for (let i = 0; i < n; i++) {
    r.sqrt[i] = view.getFloat32(i * 16, true);
    r.log10[i] = view.getFloat32(i * 16 + 4, true);
    r.round[i] = view.getInt32(i * 16 + 8, true);
    r.quantized[i] = view.getInt32(i * 16 + 12, true);
  }
  return r;
}

export function hostStateSize(exe: string): number {
  return Number(execFileSync(exe, ['sizeof']).toString().trim());
}

/** tml_normalize over vectors (the host harness's malloc is test-only; the firmware never allocates). */
export function runHostNormalize(exe: string, mean: readonly number[], std: readonly number[], vectors: readonly (readonly number[])[]): Float32Array[] {
  const n = mean.length;
  const input = Float32Array.from([...mean, ...std, ...vectors.flat()]);
  const out = execFileSync(exe, ['normalize', String(n)], { input: Buffer.from(input.buffer), maxBuffer: 1 << 30 });
  const all = new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length));
  return vectors.map((_, i) => all.subarray(i * n, (i + 1) * n));
}
