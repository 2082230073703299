/**
 * Random valid int8 models for parity tests: random layer stacks over all ops, shapes, scales,
 * zero points and activations, from a seeded generator so every failure is reproducible.
 */
import { Artifact, Layer, QuantParams, withHash, Activation, elements } from '../../src/model/artifact';
import { encodeInt8 } from '../../src/model/weight-encoding';
import { outputLength, Padding } from '../../src/model/layer-geometry';
import { mulberry32 } from '../../src/random/mulberry32';

export function randomModel(seed: number, options: { maxWeights?: number } = {}): Artifact {
  const r = mulberry32(seed);
  const ri = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const f32scale = (lo: number, hi: number): number => Math.fround(Math.exp(Math.log(lo) + r() * (Math.log(hi) - Math.log(lo))));
  const q = (): QuantParams => ({ scale: f32scale(0.002, 0.5), zeroPoint: ri(-128, 127) });
  const maxWeights = options.maxWeights ?? 1500;
  const weights = (n: number): Int8Array => {
    const w = new Int8Array(n);
    const span = pick([127, 60, 8]);
    for (let i = 0; i < n; i++) w[i] = ri(-span, span);
    return w;
  };
  const bias = (n: number): number[] => Array.from({ length: n }, () => ri(-20000, 20000) * pick([1, 1, 30]));
  const act = (): Activation => pick(['none', 'relu', 'relu6'] as const);

  let shape: number[] = r() < 0.7 ? [ri(4, 24), ri(1, 4)] : [ri(2, 40)];
  let quant = q();
  const inputShape = shape.slice();
  const inputQuant = quant;
  const layers: Layer[] = [];
  const nLayers = ri(1, 4);
  let weightsUsed = 0;
  for (let i = 0; i < nLayers; i++) {
    const is2d = shape.length === 2;
    const choices: Layer['op'][] = is2d
      ? ['conv1d', 'conv1d', 'depthwise_conv1d', 'max_pool1d', 'avg_pool1d', 'reshape', 'fully_connected', 'softmax']
      : ['fully_connected', 'fully_connected', 'softmax', 'reshape'];
    const op = pick(choices);
    const inQ = quant;
    const common = { inputShape: shape, input: inQ };
    const inSize = shape.reduce((a, b) => a * b, 1);
    if (op === 'fully_connected') {
      const units = ri(1, 12);
      if (weightsUsed + units * inSize > maxWeights) continue;
      weightsUsed += units * inSize;
      const out = q();
      const perChannel = r() < 0.5;
      layers.push({
        op, ...common, outputShape: [units], output: out, units, activation: act(),
        weights: encodeInt8(weights(units * inSize)),
        weightScales: perChannel ? Array.from({ length: units }, () => f32scale(0.0005, 0.05)) : [f32scale(0.0005, 0.05)],
        bias: bias(units),
      });
      shape = [units];
      quant = out;
    } else if (op === 'conv1d' || op === 'depthwise_conv1d') {
      const [len, ch] = shape;
      const kernelSize = ri(1, 5);
      const stride = ri(1, 3);
      const dilation = r() < 0.2 ? 2 : 1;
      const padding: Padding = pick(['same', 'valid'] as const);
      const outLen = outputLength(padding, len, kernelSize, stride, dilation);
      if (outLen < 1) continue;
      const out = q();
      if (op === 'conv1d') {
        const filters = ri(1, 8);
        if (weightsUsed + filters * kernelSize * ch > maxWeights) continue;
        weightsUsed += filters * kernelSize * ch;
        layers.push({
          op, ...common, outputShape: [outLen, filters], output: out, filters, kernelSize, stride, dilation, padding, activation: act(),
          weights: encodeInt8(weights(filters * kernelSize * ch)),
          weightScales: Array.from({ length: filters }, () => f32scale(0.0005, 0.05)), bias: bias(filters),
        });
        shape = [outLen, filters];
      } else {
        const depthMultiplier = ri(1, 2);
        const outCh = ch * depthMultiplier;
        layers.push({
          op, ...common, outputShape: [outLen, outCh], output: out, depthMultiplier, kernelSize, stride, dilation, padding, activation: act(),
          weights: encodeInt8(weights(kernelSize * outCh)),
          weightScales: Array.from({ length: outCh }, () => f32scale(0.0005, 0.05)), bias: bias(outCh),
        });
        shape = [outLen, outCh];
      }
      quant = out;
    } else if (op === 'max_pool1d' || op === 'avg_pool1d') {
      const [len, ch] = shape;
      const poolSize = ri(1, 4);
      const stride = ri(1, 3);
      const padding: Padding = pick(['same', 'valid'] as const);
      const outLen = outputLength(padding, len, poolSize, stride);
      if (outLen < 1) continue;
      layers.push({ op, ...common, outputShape: [outLen, ch], output: inQ, poolSize, stride, padding, activation: act() });
      shape = [outLen, ch];
    } else if (op === 'reshape') {
      layers.push({ op, ...common, outputShape: [inSize], output: inQ });
      shape = [inSize];
    } else {
      const out = { scale: 1 / 256, zeroPoint: -128 };
      const beta = pick([1, 1, 0.5, 2]);
      layers.push({ op, ...common, outputShape: shape, output: out, beta });
      quant = out;
    }
  }
  if (layers.length === 0) {
    layers.push({ op: 'reshape', inputShape: shape, outputShape: [shape.reduce((a, b) => a * b, 1)], input: quant, output: quant });
    shape = [shape.reduce((a, b) => a * b, 1)];
  }
  const inSize = inputShape.reduce((a, b) => a * b, 1);

  return withHash({
    format: 'tinyml-model', version: 1, name: `rand${seed}`, kind: 'anomaly', labels: [],
    input: {
      window: { length: inputShape[0], axes: ['x'], rateHz: 100 }, features: { kind: 'raw' },
      normalization: {
        mean: Array.from({ length: inSize }, () => Math.fround((r() - 0.5) * 4)),
        scale: Array.from({ length: inSize }, () => f32scale(0.1, 10)),
      },
      shape: inputShape, quantization: inputQuant,
    },
    output: { shape, quantization: quant },
    layers,
  });
}

export function randomInput(seed: number, size: number): Int8Array {
  const r = mulberry32(seed ^ 0x5bd1e995);
  const x = new Int8Array(size);
  const mode = Math.floor(r() * 4);
  for (let i = 0; i < size; i++) {
    // Mix full-range noise with saturated and constant inputs to reach clamp and tie cases.
    x[i] = mode === 0 ? 127 : mode === 1 ? -128 : Math.floor(r() * 256) - 128;
    if (mode === 2 && r() < 0.3) x[i] = r() < 0.5 ? 127 : -128;
  }
  return x;
}

/** Random models with random float features (some huge, one NaN) for the parity tests. */
export function randomCases(count: number, firstSeed: number): { artifact: Artifact; features: Float32Array }[] {
  const cases: { artifact: Artifact; features: Float32Array }[] = [];
  for (let s = firstSeed; s < firstSeed + count; s++) {
    const artifact = randomModel(s);
    const r = mulberry32(s * 7 + 1);
    const n = elements(artifact.input.shape);
    const features = new Float32Array(n);
    for (let i = 0; i < n; i++) features[i] = (r() - 0.5) * (r() < 0.1 ? 1000 : 8);
    if (n > 2) features[1] = Number.NaN;
    cases.push({ artifact, features });
  }
  return cases;
}

