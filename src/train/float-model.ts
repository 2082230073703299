/**
 * The float model TensorFlow.js trains, written with tfjs-core ops over our own variables so that
 * the layer order, layouts and initial weights are exactly what the quantizer expects:
 * dense weights [in, out], conv weights [1, kernel, inCh, outCh] (NHWC with H = 1), valid padding.
 * Initial weights: Glorot uniform (Glorot & Bengio 2010) from a seeded generator, biases zero.
 */
import type { Tensor, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs-core';
import type { Tf } from './tf-backend';
import { mulberry32 } from '../random/mulberry32';
import { layerShapes, type ModelSpec } from './model-spec';

export interface LayerWeights {
  /** Flat float32 weights in the tfjs layout, and their shape. */
  kernel: Float32Array;
  kernelShape: number[];
  bias: Float32Array;
}

export class FloatModel {
  private readonly vars: Array<{ kernel: Variable; bias: Variable } | null>;

  constructor(private readonly tf: Tf, readonly spec: ModelSpec, seed: number) {
    const rand = mulberry32(seed);
    const shapes = layerShapes(spec);
    let inShape = spec.inputShape;
    this.vars = spec.layers.map((l, i) => {
      const inS = inShape;
      inShape = shapes[i];
      let kShape: number[];
      let fanIn: number;
      let fanOut: number;
      if (l.type === 'dense') {
        kShape = [inS[0], l.units]; fanIn = inS[0]; fanOut = l.units;
      } else if (l.type === 'conv1d') {
        kShape = [1, l.kernel, inS[1], l.filters]; fanIn = l.kernel * inS[1]; fanOut = l.kernel * l.filters;
      } else {
        return null;
      }
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const n = kShape.reduce((a, b) => a * b, 1);
      const init = new Float32Array(n);
      for (let j = 0; j < n; j++) init[j] = (rand() * 2 - 1) * limit;
      const units = kShape[kShape.length - 1];
      return {
        kernel: tf.variable(tf.tensor(init, kShape), true, `k${i}`),
        bias: tf.variable(tf.zeros([units]), true, `b${i}`),
      };
    });
  }

  get trainable(): Variable[] {
    return this.vars.flatMap((v) => (v ? [v.kernel, v.bias] : []));
  }

  /**
   * Forward pass on a batch [B, ...inputShape]. Returns the output of every layer when `trace`
   * (1-D layers as [B, length, channels]); the last but one entry is the logits.
   */
  forward(x: Tensor, trace = false): Tensor[] {
    const tf = this.tf;
    const outs: Tensor[] = [];
    let h = x;
    const batch = x.shape[0];
    this.spec.layers.forEach((l, i) => {
      const v = this.vars[i];
      switch (l.type) {
        case 'dense': {
          h = tf.add(tf.matMul(h as Tensor2D, v!.kernel as Tensor2D), v!.bias);
          if (l.activation === 'relu') h = tf.relu(h);
          break;
        }
        case 'conv1d': {
          const [len, ch] = h.shape.slice(1);
          const x4 = tf.reshape(h, [batch, 1, len, ch]) as Tensor4D;
          let y = tf.add(tf.conv2d(x4, v!.kernel as Tensor4D, 1, 'valid'), v!.bias);
          if (l.activation === 'relu') y = tf.relu(y);
          h = tf.reshape(y, [batch, y.shape[2] as number, y.shape[3] as number]);
          break;
        }
        case 'maxpool1d': {
          const [len, ch] = h.shape.slice(1);
          const x4 = tf.reshape(h, [batch, 1, len, ch]) as Tensor4D;
          const y = tf.maxPool(x4, [1, l.pool], [1, l.pool], 'valid');
          h = tf.reshape(y, [batch, y.shape[2] as number, y.shape[3] as number]);
          break;
        }
        case 'flatten':
          h = tf.reshape(h, [batch, -1]);
          break;
        case 'softmax':
          h = tf.softmax(h);
          break;
      }
      if (trace) outs.push(h);
    });
    return trace ? outs : [h];
  }

  /** Logits (the input of the final softmax) for a batch. */
  logits(x: Tensor): Tensor {
    const outs = this.forward(x, true);
    return outs[outs.length - 2];
  }

  weights(): Array<LayerWeights | null> {
    return this.vars.map((v) => (v ? { kernel: v.kernel.dataSync() as Float32Array, kernelShape: v.kernel.shape, bias: v.bias.dataSync() as Float32Array } : null));
  }

  snapshot(): Float32Array[] {
    return this.trainable.map((v) => (v.dataSync() as Float32Array).slice());
  }

  restore(values: Float32Array[]): void {
    this.trainable.forEach((v, i) => v.assign(this.tf.tensor(values[i], v.shape)));
  }

  dispose(): void {
    for (const v of this.trainable) v.dispose();
  }
}
