/**
 * The training loop: Adam (Kingma & Ba 2015) on class-weighted softmax cross-entropy, shuffled
 * mini-batches from a seeded generator, early stopping on the validation loss with the best
 * weights restored. Cancellation is a shared flag read between batches, so it works while the
 * loop runs synchronously in a worker.
 */
import type { Tensor, Tensor1D, Scalar } from '@tensorflow/tfjs-core';
import type { Tf } from './tf-backend';
import { shuffled } from '../dataset/split';
import { mulberry32 } from '../random/mulberry32';
import type { FloatModel } from './float-model';

export interface EpochProgress {
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Epochs without a better validation loss before stopping. */
  patience: number;
  seed: number;
  /** Per-class loss weight (n / (classes · n_c) balances the classes). */
  classWeights: number[];
  onEpoch?: (p: EpochProgress) => void;
  isCancelled?: () => boolean;
}

export interface FitResult {
  epochsRun: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  history: EpochProgress[];
}

export class TrainingCancelled extends Error {
  constructor() {
    super('training was cancelled');
    this.name = 'TrainingCancelled';
  }
}

/** n / (classes · count) per class: rare classes weigh more (King & Zeng's balancing weights). */
export function balancedClassWeights(labels: readonly number[], classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const l of labels) counts[l]++;
  return counts.map((c) => (c > 0 ? labels.length / (classes * c) : 0));
}

interface Data {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

function batchTensors(tf: Tf, data: Data, idx: number[], inputShape: number[], classes: number): { x: Tensor; y: Tensor } {
  const width = inputShape.reduce((a, b) => a * b, 1);
  const xb = new Float32Array(idx.length * width);
  const yb = new Int32Array(idx.length);
  idx.forEach((k, i) => {
    xb.set(data.x.subarray(k * width, (k + 1) * width), i * width);
    yb[i] = data.y[k];
  });
  return { x: tf.tensor(xb, [idx.length, ...inputShape]), y: tf.oneHot(tf.tensor1d(yb, 'int32'), classes) };
}

function weightedLoss(tf: Tf, logits: Tensor, y: Tensor, weights: Tensor1D): Scalar {
  const logp = tf.logSoftmax(logits);
  const perExample = tf.neg(tf.sum(tf.mul(y, logp), 1));
  const w = tf.sum(tf.mul(y, weights), 1);
  return tf.div(tf.sum(tf.mul(perExample, w)), tf.sum(w)) as Scalar;
}

/** Loss and accuracy of the model on a whole set (in batches, no gradients). */
export function evaluateLoss(tf: Tf, model: FloatModel, data: Data, classes: number, classWeights: number[], batchSize = 256): { loss: number; accuracy: number } {
  let lossSum = 0;
  let weightSum = 0;
  let correct = 0;
  for (let s = 0; s < data.n; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, data.n - s) }, (_, i) => s + i);
    tf.tidy(() => {
      const { x, y } = batchTensors(tf, data, idx, model.spec.inputShape, classes);
      const logits = model.logits(x);
      const w = tf.sum(tf.mul(y, tf.tensor1d(classWeights)), 1);
      const per = tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1));
      lossSum += tf.sum(tf.mul(per, w)).dataSync()[0];
      weightSum += tf.sum(w).dataSync()[0];
      const pred = tf.argMax(logits, 1).dataSync();
      idx.forEach((k, i) => { if (pred[i] === data.y[k]) correct++; });
    });
  }
  return { loss: weightSum > 0 ? lossSum / weightSum : 0, accuracy: data.n ? correct / data.n : 0 };
}

export function fitModel(tf: Tf, model: FloatModel, train: Data, val: Data | null, classes: number, o: FitOptions): FitResult {
  const optimizer = tf.train.adam(o.learningRate);
  const weights = tf.tensor1d(o.classWeights);
  const rand = mulberry32(o.seed ^ 0x5eed);
  const history: EpochProgress[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights = model.snapshot();
  let sinceBest = 0;
  let stoppedEarly = false;
  const order = Array.from({ length: train.n }, (_, i) => i);
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const perm = shuffled(order, rand);
      for (let s = 0; s < perm.length; s += o.batchSize) {
        if (o.isCancelled?.()) throw new TrainingCancelled();
        const idx = perm.slice(s, s + o.batchSize);
        tf.tidy(() => {
          const { x, y } = batchTensors(tf, train, idx, model.spec.inputShape, classes);
          optimizer.minimize(() => weightedLoss(tf, model.logits(x), y, weights), false, model.trainable);
        });
      }
      const t = evaluateLoss(tf, model, train, classes, o.classWeights);
      const v = val && val.n > 0 ? evaluateLoss(tf, model, val, classes, o.classWeights) : null;
      const p: EpochProgress = { epoch, epochs: o.epochs, loss: t.loss, accuracy: t.accuracy };
      if (v) { p.valLoss = v.loss; p.valAccuracy = v.accuracy; }
      history.push(p);
      o.onEpoch?.(p);
      // Early stopping watches the validation loss (the training loss when there is no validation set).
      const watched = v ? v.loss : t.loss;
      if (watched < best - 1e-3) {
        best = watched;
        bestEpoch = epoch;
        bestWeights = model.snapshot();
        sinceBest = 0;
      } else if (++sinceBest >= o.patience) {
        stoppedEarly = epoch < o.epochs;
        break;
      }
    }
  } finally {
    weights.dispose();
    optimizer.dispose();
  }
  model.restore(bestWeights);
  return { epochsRun: history.length, bestEpoch, stoppedEarly, history };
}
