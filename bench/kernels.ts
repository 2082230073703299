/**
 * Conv1D training on the pure-JS CPU backend: seconds per epoch of the FACTS.md model (100×6 input, Conv1D 8 filters
 * k=5 + ReLU, max-pool 2, dense 4 softmax, Adam; 2000 generated samples, batch 32) with the stock kernels (baseline,
 * same run) and with src/train/kernels; and each replaced kernel's ms per batch-sized call, stock vs fast.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import type { BenchRow } from './bench-row';
import { registerFastKernels, restoreStockKernels } from '../src/train/kernels';

const SAMPLES = 2000;
const LENGTH = 100;
const AXES = 6;
const CLASSES = 4;
const BATCH = 32;

/** Four classes of noisy sines (class = frequency), reproducible. */
function dataset(): { x: tf.Tensor; y: tf.Tensor } {
  let seed = 12345;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const x = new Float32Array(SAMPLES * LENGTH * AXES);
  const y = new Float32Array(SAMPLES * CLASSES);
  for (let s = 0; s < SAMPLES; s++) {
    const c = s % CLASSES;
    y[s * CLASSES + c] = 1;
    for (let t = 0; t < LENGTH; t++) {
      for (let a = 0; a < AXES; a++) x[(s * LENGTH + t) * AXES + a] = Math.sin((2 * Math.PI * (c + 1) * (t + a)) / LENGTH) + rnd() - 0.5;
    }
  }
  return { x: tf.tensor3d(x, [SAMPLES, LENGTH, AXES]), y: tf.tensor2d(y, [SAMPLES, CLASSES]) };
}

function model(): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.conv1d({ inputShape: [LENGTH, AXES], filters: 8, kernelSize: 5, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }));
  m.add(tfl.layers.maxPooling1d({ poolSize: 2 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }));
  m.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  return m;
}

/** Median seconds per epoch over `epochs` timed epochs after `warmup` untimed ones. */
async function secondsPerEpoch(x: tf.Tensor, y: tf.Tensor, warmup: number, epochs: number): Promise<number> {
  const m = model();
  const times: number[] = [];
  for (let e = 0; e < warmup + epochs; e++) {
    const t0 = process.hrtime.bigint();
    await m.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 });
    if (e >= warmup) times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  m.dispose();
  times.sort((p, q) => p - q);
  return times[Math.floor(times.length / 2)];
}

/** Batch-sized inputs and attributes of each replaced kernel, as the model's training step calls it. */
function kernelCalls(x: tf.Tensor): Array<{ name: string; inputs: tf.NamedTensorMap; attrs: tf.NamedAttrMap }> {
  const r = (shape: number[]): tf.Tensor => tf.randomUniform(shape, -1, 1, 'float32', 3);
  const xb = tf.reshape(tf.slice(x, 0, BATCH), [BATCH, 1, LENGTH, AXES]);
  const pooled = r([BATCH, LENGTH - 4, 1, 8]);
  const conv = { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 } as const;
  return [
    { name: 'Conv2D', inputs: { x: xb, filter: r([1, 5, AXES, 8]) }, attrs: conv },
    { name: 'Conv2DBackpropFilter', inputs: { x: xb, dy: r([BATCH, 1, LENGTH - 4, 8]) }, attrs: { ...conv, filterShape: [1, 5, AXES, 8] } },
    { name: 'MaxPoolGrad', inputs: { dy: r([BATCH, 48, 1, 8]), input: pooled, output: r([BATCH, 48, 1, 8]) }, attrs: { filterSize: [2, 1], strides: [2, 1], pad: 'valid' } },
    { name: 'Add', inputs: { a: r([BATCH, LENGTH - 4, 8]), b: r([1, 1, 8]) }, attrs: {} },
    { name: 'Sum', inputs: { x: r([BATCH, LENGTH - 4, 8]) }, attrs: { axis: [0, 1], keepDims: false } },
    { name: 'GatherV2', inputs: { x, indices: tf.tensor1d(Array.from({ length: BATCH }, (_, i) => (i * 61) % SAMPLES), 'int32') }, attrs: { axis: 0, batchDims: 0 } },
  ];
}

/** Mean ms per call of the registered kernel, over about `budgetMs` of calls (at least 3). */
function msPerCall(call: { name: string; inputs: tf.NamedTensorMap; attrs: tf.NamedAttrMap }, budgetMs: number): number {
  const run = (): void => tf.dispose(tf.engine().runKernel(call.name, call.inputs, call.attrs) as tf.Tensor);
  run();
  let n = 0;
  const t0 = performance.now();
  while (n < 3 || performance.now() - t0 < budgetMs) {
    run();
    n++;
  }
  return (performance.now() - t0) / n;
}

export async function benchKernels(): Promise<BenchRow[]> {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  const { x, y } = dataset();
  const rows: BenchRow[] = [];
  const calls = kernelCalls(x);
  restoreStockKernels();
  const stockMs = calls.map((c) => msPerCall(c, 300));
  const stockEpoch = await secondsPerEpoch(x, y, 0, 1);
  registerFastKernels();
  const fastMs = calls.map((c) => msPerCall(c, 300));
  const fastEpoch = await secondsPerEpoch(x, y, 1, 3);
  rows.push({
    name: 'Conv1D training epoch, CPU backend, fast kernels',
    value: fastEpoch,
    unit: 's/epoch',
    baseline: stockEpoch,
    target: { below: 1 },
    note: `FACTS.md model, ${SAMPLES} samples, batch ${BATCH}; median of 3 epochs after 1 warm-up; baseline: stock kernels, 1 epoch`,
  });
  calls.forEach((c, i) => rows.push({ name: `${c.name} per batch (fast)`, value: fastMs[i], unit: 'ms', baseline: stockMs[i] }));
  tf.dispose([x, y, ...calls.flatMap((c) => Object.values(c.inputs))]);
  return rows;
}
