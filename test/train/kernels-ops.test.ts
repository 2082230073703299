/**
 * Each fast CPU kernel against the stock tfjs-backend-cpu kernel on random shapes (height 1 and general 2-D,
 * 'same'/'valid' padding, strides 1–2): forward values and gradients through the public ops, relative error ≤ 1e-4
 * (the kernels sum in the stock order, so they are in fact bit-identical: checked too), and the fallbacks.
 */
import assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerFastKernels, restoreStockKernels } from '../../src/train/kernels';
import { fastConv2D } from '../../src/train/kernels/conv2d';
import { fastConv2DBackpropFilter } from '../../src/train/kernels/conv2d-backprop-filter';
import { fastMaxPoolGrad } from '../../src/train/kernels/max-pool-grad';
import { fastAdd } from '../../src/train/kernels/add';
import { fastSum } from '../../src/train/kernels/sum';
import { fastGatherV2 } from '../../src/train/kernels/gather-v2';
import { intIn, randomTensor, relativeError, sameBits, stockAndFast } from './kernels-compare';
import { mulberry32 } from '../../src/random/mulberry32';

const TOLERANCE = 1e-4;

type Pad = 'same' | 'valid';

interface ConvCase { x: number[]; filter: number[]; strides: [number, number]; pad: Pad }

function convCase(r: () => number, height1: boolean): ConvCase {
  const pad: Pad = r() < 0.5 ? 'same' : 'valid';
  const inH = height1 ? 1 : intIn(r, 1, 6);
  const inW = intIn(r, 1, 12);
  // 'valid' needs the filter to fit in the input; 'same' takes any size.
  const fH = height1 ? 1 : intIn(r, 1, pad === 'valid' ? inH : 4);
  const fW = intIn(r, 1, pad === 'valid' ? Math.min(inW, 5) : 5);
  return {
    x: [intIn(r, 1, 3), inH, inW, intIn(r, 1, 4)],
    filter: [fH, fW, 0, intIn(r, 1, 9)],
    strides: [intIn(r, 1, 2), intIn(r, 1, 2)],
    pad,
  };
}

function describeCase(c: object): string {
  return JSON.stringify(c);
}

/** Forward output, dx and dW of sum(conv2d(x, w) · weights) for one case. */
function convForwardAndGrads(c: ConvCase, seed: number): () => tf.Tensor[] {
  return () => {
    const r = mulberry32(seed);
    const x = randomTensor(r, c.x) as tf.Tensor4D;
    const w = randomTensor(r, [c.filter[0], c.filter[1], c.x[3], c.filter[3]]) as tf.Tensor4D;
    const y = tf.conv2d(x, w, c.strides, c.pad);
    const weights = randomTensor(r, y.shape);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), weights)));
    return [y, ...grads([x, w])];
  };
}

interface PoolCase { x: number[]; size: [number, number]; strides: [number, number]; pad: Pad }

function poolCase(r: () => number, height1: boolean): PoolCase {
  const pad: Pad = r() < 0.5 ? 'same' : 'valid';
  const inH = height1 ? 1 : intIn(r, 1, 6);
  const inW = intIn(r, 1, 12);
  return {
    x: [intIn(r, 1, 3), inH, inW, intIn(r, 1, 5)],
    size: [height1 ? 1 : intIn(r, 1, pad === 'valid' ? inH : 3), intIn(r, 1, pad === 'valid' ? Math.min(inW, 3) : 3)],
    strides: [intIn(r, 1, 2), intIn(r, 1, 2)],
    pad,
  };
}

/** Values of x drawn from `palette` when given (ties, NaN, −∞), else uniform. */
function poolInput(r: () => number, shape: number[], palette?: number[]): tf.Tensor4D {
  if (!palette) return randomTensor(r, shape) as tf.Tensor4D;
  const size = shape.reduce((p, q) => p * q, 1);
  return tf.tensor4d(Float32Array.from({ length: size }, () => palette[intIn(r, 0, palette.length - 1)]), shape as [number, number, number, number]);
}

function poolForwardAndGrad(c: PoolCase, seed: number, palette?: number[]): () => tf.Tensor[] {
  return () => {
    const r = mulberry32(seed);
    const x = poolInput(r, c.x, palette);
    const y = tf.maxPool(x, c.size, c.strides, c.pad);
    const weights = randomTensor(r, y.shape);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, c.size, c.strides, c.pad), weights)))(x);
    return [y, dx];
  };
}

function assertClose(compute: () => tf.Tensor[], what: string): number {
  const { stock, fast } = stockAndFast(compute);
  let worst = 0;
  stock.forEach((s, i) => {
    const e = relativeError(fast[i], s);
    assert.ok(e <= TOLERANCE, `${what}: output ${i} relative error ${e} > ${TOLERANCE}`);
    assert.ok(sameBits(fast[i], s), `${what}: output ${i} is within tolerance but not bit-identical to the stock kernel`);
    worst = Math.max(worst, e);
  });
  return worst;
}

/** Runs a fast kernel function directly on the CPU backend; true when it took the fast path. */
function tookFastPath(fn: (args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo | undefined, inputs: tf.NamedTensorInfoMap, attrs: object): boolean {
  const backend = tf.backend();
  const out = fn({ inputs, backend, attrs: attrs as tf.NamedAttrMap });
  if (out === undefined) return false;
  backend.disposeData(out.dataId);
  return true;
}

describe('fast CPU kernels against the stock ones', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });
  after(() => restoreStockKernels());

  it('Conv2D and Conv2DBackpropFilter: 40 random height-1 (Conv1D) cases', () => {
    const r = mulberry32(1);
    for (let i = 0; i < 40; ++i) {
      const c = convCase(r, true);
      assertClose(convForwardAndGrads(c, 100 + i), describeCase(c));
    }
  });

  it('Conv2D and Conv2DBackpropFilter: 40 random 2-D cases', () => {
    const r = mulberry32(2);
    for (let i = 0; i < 40; ++i) {
      const c = convCase(r, false);
      assertClose(convForwardAndGrads(c, 200 + i), describeCase(c));
    }
  });

  it('Conv2D with a numeric padding and a Conv1D layer-sized case', () => {
    const big: ConvCase = { x: [4, 1, 100, 6], filter: [1, 5, 0, 8], strides: [1, 1], pad: 'valid' };
    assertClose(convForwardAndGrads(big, 7), describeCase(big));
    const explicit = () => {
      const r = mulberry32(8);
      const x = randomTensor(r, [2, 3, 7, 2]) as tf.Tensor4D;
      const w = randomTensor(r, [2, 3, 2, 5]) as tf.Tensor4D;
      return [tf.conv2d(x, w, [2, 1], 1), tf.grad((b: tf.Tensor) => tf.sum(tf.conv2d(x, b as tf.Tensor4D, [2, 1], 1)))(w)];
    };
    assertClose(explicit, 'pad 1, strides [2, 1]');
  });

  it('MaxPoolGrad: 40 random height-1 and 40 random 2-D cases', () => {
    const r = mulberry32(3);
    for (let i = 0; i < 80; ++i) {
      const c = poolCase(r, i < 40);
      assertClose(poolForwardAndGrad(c, 300 + i), describeCase(c));
    }
  });

  it('MaxPoolGrad routes ties, NaN and all −∞ windows as the stock kernel does', () => {
    const r = mulberry32(4);
    for (let i = 0; i < 40; ++i) {
      const c = poolCase(r, i % 2 === 0);
      assertClose(poolForwardAndGrad(c, 400 + i, [-1, 0, 0, 1, 1]), `ties ${describeCase(c)}`);
      assertClose(poolForwardAndGrad(c, 500 + i, [-Infinity, -Infinity, NaN, 2, -2]), `NaN/−∞ ${describeCase(c)}`);
    }
    // Overlapping windows (stride 1 < size 3) over equal values: each window's dy goes to its first element.
    const ties = () => {
      const x = tf.zeros([1, 1, 6, 1]) as tf.Tensor4D;
      return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, [1, 3], 1, 'valid'), tf.tensor4d([1, 10, 100, 1000], [1, 1, 4, 1]))))(x)];
    };
    const { fast } = stockAndFast(ties);
    assert.deepStrictEqual(Array.from(fast[0]), [1, 10, 100, 1000, 0, 0]);
  });

  it('Add (bias broadcast), Sum (leading axes) and GatherV2 (axis 0), and their other shapes', () => {
    const r = mulberry32(5);
    for (let i = 0; i < 30; ++i) {
      const shape = Array.from({ length: intIn(r, 1, 4) }, () => intIn(r, 1, 5));
      const channels = shape[shape.length - 1];
      const vectorShape = [...new Array<number>(intIn(r, 0, shape.length - 1)).fill(1), channels];
      const keepDims = r() < 0.5;
      const lead = intIn(r, 1, Math.max(1, shape.length - 1));
      const rows = shape[0];
      const idx = Array.from({ length: intIn(r, 0, 6) }, () => intIn(r, 0, rows - 1));
      const what = `shape ${JSON.stringify(shape)} vector ${JSON.stringify(vectorShape)} lead ${lead} keepDims ${keepDims} indices ${JSON.stringify(idx)}`;
      assertClose(() => {
        const q = mulberry32(600 + i);
        const a = randomTensor(q, shape);
        const v = randomTensor(q, vectorShape);
        return [
          tf.add(a, v), tf.add(v, a), tf.add(a, a),
          tf.sum(a, Array.from({ length: lead }, (_, k) => k), keepDims), tf.sum(a, -1), tf.sum(a),
          tf.gather(a, tf.tensor1d(idx, 'int32'), 0), tf.gather(a, tf.tensor2d(idx, [1, idx.length], 'int32'), 0),
          tf.gather(a, tf.tensor1d([0], 'int32'), shape.length - 1),
        ];
      }, what);
    }
  });

  it('takes the fast path for the layouts a Conv1D model uses and falls back (same results) for the others', () => {
    const r = mulberry32(6);
    const x = randomTensor(r, [2, 1, 10, 3]) as tf.Tensor4D;
    const w = randomTensor(r, [1, 3, 3, 4]) as tf.Tensor4D;
    const dy = randomTensor(r, [2, 1, 8, 4]);
    const convAttrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1, filterShape: [1, 3, 3, 4] };
    assert.ok(tookFastPath(fastConv2D, { x, filter: w }, convAttrs));
    assert.ok(tookFastPath(fastConv2DBackpropFilter, { x, dy }, convAttrs));
    assert.ok(!tookFastPath(fastConv2D, { x, filter: w }, { ...convAttrs, dilations: 2 }), 'dilation 2 falls back');
    assert.ok(!tookFastPath(fastConv2D, { x, filter: w }, { ...convAttrs, dataFormat: 'NCHW' }), 'NCHW falls back');
    assert.ok(!tookFastPath(fastConv2DBackpropFilter, { x, dy }, { ...convAttrs, dataFormat: 'NCHW' }), 'NCHW falls back');
    const px = randomTensor(r, [2, 10, 1, 3]);
    const pdy = randomTensor(r, [2, 5, 1, 3]);
    assert.ok(tookFastPath(fastMaxPoolGrad, { dy: pdy, input: px, output: pdy }, { filterSize: [2, 1], strides: [2, 1], pad: 'valid' }));
    assert.ok(!tookFastPath(fastMaxPoolGrad, { dy: pdy, input: tf.cast(px, 'int32'), output: pdy }, { filterSize: [2, 1], strides: [2, 1], pad: 'valid' }), 'int32 falls back');
    const a = randomTensor(r, [4, 3]);
    assert.ok(tookFastPath(fastAdd, { a, b: randomTensor(r, [3]) }, {}));
    assert.ok(!tookFastPath(fastAdd, { a, b: randomTensor(r, [4, 1]) }, {}), 'a column broadcast falls back');
    assert.ok(tookFastPath(fastSum, { x: a }, { axis: [0], keepDims: false }));
    assert.ok(!tookFastPath(fastSum, { x: a }, { axis: [1], keepDims: false }), 'the last axis falls back');
    assert.ok(tookFastPath(fastGatherV2, { x: a, indices: tf.tensor1d([3, 0], 'int32') }, { axis: 0, batchDims: 0 }));
    assert.ok(!tookFastPath(fastGatherV2, { x: a, indices: tf.tensor1d([4], 'int32') }, { axis: 0, batchDims: 0 }), 'out of range falls back');
    // The fallbacks give the stock results through the registered fast kernels (NCHW, dilation 2).
    assertClose(() => {
      const q = mulberry32(9);
      const xc = randomTensor(q, [2, 3, 4, 9]) as tf.Tensor4D;
      const wc = randomTensor(q, [2, 3, 3, 2]) as tf.Tensor4D;
      const xd = randomTensor(q, [1, 7, 9, 2]) as tf.Tensor4D;
      return [tf.conv2d(xc, wc, 1, 'same', 'NCHW'), tf.conv2d(xd, tf.reshape(wc, [2, 3, 2, 3]) as tf.Tensor4D, 1, 'same', 'NHWC', 2)];
    }, 'NCHW and dilation 2');
    tf.dispose([x, w, dy, px, pdy, a]);
  });

  it('an out-of-range gather index still fails with the stock error', () => {
    registerFastKernels();
    const a = tf.ones([3, 2]);
    assert.throws(() => tf.gather(a, tf.tensor1d([3], 'int32'), 0), /GatherV2: the index value 3 is not in \[0, 2\]/);
    a.dispose();
  });
});
