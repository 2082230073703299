/**
 * Runs exported .tflite models through independent TensorFlow Lite readers (real implementations,
 * not ours): Arm NN's TfLite parser on CpuRef (Debian python3-pyarmnn + libarmnn-cpuref-backend22,
 * run with /usr/bin/python3) and TensorFlow Lite compiled to WebAssembly (@tensorflow/tfjs-tflite,
 * in its own process). Tensors travel as raw bytes: <job>/in/<n>.in.bin -> <job>/out-<reader>/<n>.out.bin.
 */
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

export type ReaderName = 'armnn' | 'tfjs-tflite';
export const READERS: readonly ReaderName[] = ['armnn', 'tfjs-tflite'];

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPTS = path.join(ROOT, 'tools', 'tflite-readers');

function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const noise = /Skipped I\w+Parser import|does not support \w+ models parser/;
      const why = stderr.split('\n').filter((l) => l.trim() && !noise.test(l)).join('\n');
      if (err) reject(new Error(`${path.basename(args[0])} failed: ${why || err.message}`));
      else resolve(stdout);
    });
  });
}

/** Fails with an install hint when Arm NN's python binding or its CpuRef backend is missing. */
export async function requireArmnn(): Promise<void> {
  try {
    await run('/usr/bin/python3', ['-c', 'import pyarmnn'], 30_000);
  } catch {
    throw new Error("this test needs Arm NN's python binding: install it with 'apt-get install python3-pyarmnn libarmnn-cpuref-backend22' (.ci/run does)");
  }
  if (!fs.existsSync('/usr/lib/x86_64-linux-gnu/armnn22/Arm_CpuRef_backend.so') && !fs.existsSync('/usr/lib/aarch64-linux-gnu/armnn22/Arm_CpuRef_backend.so')) {
    throw new Error("this test needs Arm NN's CpuRef backend: install it with 'apt-get install libarmnn-cpuref-backend22' (.ci/run does)");
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface ReaderJob {
  model: Uint8Array;
  inputs: readonly Uint8Array[];
}

/** Runs every job through one reader process; returns, per job, the outputs in input order. */
export async function runReader(reader: ReaderName, jobs: readonly ReaderJob[], dir: string): Promise<Buffer[][]> {
  const args: string[] = [];
  const layout = jobs.map((job, j) => {
    const jobDir = path.join(dir, `job${j}`);
    const inDir = path.join(jobDir, 'in');
    const outDir = path.join(jobDir, `out-${reader}`);
    fs.mkdirSync(inDir, { recursive: true });
    const modelPath = path.join(jobDir, 'model.tflite');
    if (!fs.existsSync(modelPath)) fs.writeFileSync(modelPath, job.model);
    const names = job.inputs.map((_, i) => String(i).padStart(4, '0'));
    job.inputs.forEach((x, i) => fs.writeFileSync(path.join(inDir, `${names[i]}.in.bin`), x));
    args.push(modelPath, inDir, outDir);
    return { outDir, names };
  });
  if (reader === 'armnn') await run('/usr/bin/python3', [path.join(SCRIPTS, 'armnn_run.py'), ...args], 300_000);
  else await run(process.execPath, [path.join(SCRIPTS, 'tfjs_tflite_run.js'), ...args], 300_000);
  return layout.map(({ outDir, names }) => names.map((n) => fs.readFileSync(path.join(outDir, `${n}.out.bin`))));
}
