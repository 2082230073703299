/**
 * End to end: the gradients of small Conv1D models (tf.variableGrads) and one model.fit step are the same with the
 * fast CPU kernels as with the stock ones (relative error ≤ 1e-4), and the registry can be switched back and forth.
 */
import assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { fastKernelNames, fastKernelsRegistered, registerFastKernels, restoreStockKernels } from '../../src/train/kernels';
import { randomTensor, relativeError } from './kernels-compare';
import { mulberry32 } from '../../src/random/mulberry32';

const TOLERANCE = 1e-4;

interface Arch { length: number; axes: number; filters: number; kernel: number; strides: number; padding: 'same' | 'valid'; pool: number; classes: number }

/** A Conv1D → max-pool → dense classifier whose initial weights depend on the seed only. */
function conv1dModel(a: Arch, seed: number): tfl.Sequential {
  const m = tfl.sequential();
  m.add(tfl.layers.conv1d({
    inputShape: [a.length, a.axes], filters: a.filters, kernelSize: a.kernel, strides: a.strides, padding: a.padding,
    activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    biasInitializer: tfl.initializers.randomNormal({ seed: seed + 1, stddev: 0.1 }),
  }));
  m.add(tfl.layers.maxPooling1d({ poolSize: a.pool, padding: a.padding }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: a.classes, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }) }));
  return m;
}

function batch(a: Arch, n: number, seed: number): { x: tf.Tensor; y: tf.Tensor } {
  const r = mulberry32(seed);
  const x = randomTensor(r, [n, a.length, a.axes]);
  const labels = Array.from({ length: n }, () => Math.floor(r() * a.classes));
  return { x, y: tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), a.classes), 'float32') };
}

/** Gradients of the mean cross-entropy with respect to every trainable weight, by weight name. */
function gradients(m: tfl.Sequential, x: tf.Tensor, y: tf.Tensor): Map<string, Float32Array> {
  const variables = m.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const p = m.apply(x) as tf.Tensor;
    return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.add(p, 1e-7))), -1))) as tf.Scalar;
  }, variables);
  value.dispose();
  // Layer names get a counter per model built: key the gradients by the weight's position instead.
  const out = new Map<string, Float32Array>();
  variables.forEach((v, i) => out.set(`weight ${i}`, Float32Array.from(grads[v.name].dataSync())));
  tf.dispose(grads);
  return out;
}

function assertSameMaps(fast: Map<string, Float32Array>, stock: Map<string, Float32Array>, what: string): void {
  assert.deepStrictEqual([...fast.keys()].sort(), [...stock.keys()].sort(), `${what}: same weights`);
  for (const [name, s] of stock) {
    const e = relativeError(fast.get(name) as Float32Array, s);
    assert.ok(e <= TOLERANCE, `${what}: ${name} relative error ${e} > ${TOLERANCE}`);
    assert.ok(s.some((v) => v !== 0), `${what}: ${name} has a non-zero gradient (the check means something)`);
  }
}

const ARCHS: Arch[] = [
  { length: 100, axes: 6, filters: 8, kernel: 5, strides: 1, padding: 'valid', pool: 2, classes: 4 },
  { length: 33, axes: 3, filters: 5, kernel: 4, strides: 2, padding: 'same', pool: 3, classes: 3 },
];

describe('fast CPU kernels in a Conv1D model', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });
  after(() => restoreStockKernels());

  for (const a of ARCHS) {
    it(`gives the stock gradients: ${JSON.stringify(a)}`, () => {
      const { x, y } = batch(a, 16, 11);
      restoreStockKernels();
      const stock = gradients(conv1dModel(a, 5), x, y);
      registerFastKernels();
      const fast = gradients(conv1dModel(a, 5), x, y);
      assertSameMaps(fast, stock, JSON.stringify(a));
      tf.dispose([x, y]);
    });
  }

  it('trains one model.fit step to the same weights', async () => {
    const a = ARCHS[0];
    const { x, y } = batch(a, 32, 12);
    const step = async (): Promise<Map<string, Float32Array>> => {
      const m = conv1dModel(a, 9);
      m.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
      await m.fit(x, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
      return new Map(m.getWeights().map((w, i) => [`w${i}`, Float32Array.from(w.dataSync())]));
    };
    restoreStockKernels();
    const initial = new Map(conv1dModel(a, 9).getWeights().map((w, i) => [`w${i}`, Float32Array.from(w.dataSync())]));
    const stock = await step();
    registerFastKernels();
    const fast = await step();
    assertSameMaps(fast, stock, 'after one step');
    // The step moved the weights: equal results are not two untouched copies.
    assert.ok([...stock.keys()].every((k) => relativeError(stock.get(k) as Float32Array, initial.get(k) as Float32Array) > 0));
    tf.dispose([x, y]);
  });

  it('registers idempotently and restores the stock kernels', () => {
    restoreStockKernels();
    const stock = fastKernelNames().map((n) => tf.getKernel(n, 'cpu'));
    assert.ok(!fastKernelsRegistered());
    registerFastKernels();
    registerFastKernels();
    assert.ok(fastKernelsRegistered());
    fastKernelNames().forEach((n, i) => assert.notStrictEqual(tf.getKernel(n, 'cpu'), stock[i], `${n} replaced`));
    restoreStockKernels();
    restoreStockKernels();
    assert.ok(!fastKernelsRegistered());
    fastKernelNames().forEach((n, i) => assert.strictEqual(tf.getKernel(n, 'cpu'), stock[i], `${n} restored`));
    registerFastKernels();
    assert.ok(fastKernelsRegistered());
  });
});
