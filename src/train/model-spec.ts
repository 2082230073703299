/**
 * The architecture of a trainable model as plain data: the float model (float-model.ts) and the
 * int8 quantizer (quantize.ts) both walk this list, so the two cannot disagree on layer order.
 * 1-D layers work on [length, channels]; a Conv1D is TFLite's CONV_2D with height 1.
 */
export type LayerSpec =
  | { type: 'dense'; units: number; activation: 'relu' | 'none' }
  | { type: 'conv1d'; filters: number; kernel: number; activation: 'relu' | 'none' }
  | { type: 'maxpool1d'; pool: number }
  | { type: 'flatten' }
  | { type: 'softmax' };

export interface ModelSpec {
  /** [features] for dense networks, [length, channels] for 1-D CNNs. */
  inputShape: number[];
  layers: LayerSpec[];
}

/** Output shape of every layer, in order (no batch dimension). */
export function layerShapes(spec: ModelSpec): number[][] {
  const shapes: number[][] = [];
  let s = spec.inputShape;
  for (const l of spec.layers) {
    switch (l.type) {
      case 'dense': s = [l.units]; break;
      case 'conv1d': s = [s[0] - l.kernel + 1, l.filters]; break;
      case 'maxpool1d': s = [Math.floor((s[0] - l.pool) / l.pool) + 1, s[1]]; break;
      case 'flatten': s = [s.reduce((a, b) => a * b, 1)]; break;
      case 'softmax': break;
    }
    if (s.some((d) => !(d >= 1))) throw new Error(`the architecture does not fit the input ${JSON.stringify(spec.inputShape)}: layer ${l.type} would have shape ${JSON.stringify(s)}`);
    shapes.push(s);
  }
  return shapes;
}

/** Dense classifier on a feature vector: hidden ReLU layers, then one unit per class and softmax. */
export function denseSpec(features: number, hidden: number[], classes: number): ModelSpec {
  return {
    inputShape: [features],
    layers: [...hidden.map((units) => ({ type: 'dense' as const, units, activation: 'relu' as const })), { type: 'dense', units: classes, activation: 'none' }, { type: 'softmax' }],
  };
}

/** 1-D CNN on a raw window: [conv(k) ReLU, max-pool 2] per block, flatten, dense, softmax. */
export function cnnSpec(length: number, channels: number, filters: number[], kernel: number, classes: number): ModelSpec {
  const layers: LayerSpec[] = [];
  for (const f of filters) layers.push({ type: 'conv1d', filters: f, kernel, activation: 'relu' }, { type: 'maxpool1d', pool: 2 });
  layers.push({ type: 'flatten' }, { type: 'dense', units: classes, activation: 'none' }, { type: 'softmax' });
  return { inputShape: [length, channels], layers };
}
