/**
 * Training end to end, in the calling thread (train-worker.ts runs it off the main thread):
 * records or windows -> windows -> features -> normalization -> float model (dense, 1-D CNN, or
 * k-means anomaly) -> int8 artifact (calibrated, min/max or percentile ranges, whichever loses
 * less) -> float and int8 metrics, the int8 ones from the simulated MCU's interpreter.
 */
import { DatasetStore } from '../dataset/store';
import { groupSplit, groupsOf, randomSplit } from '../dataset/split';
import { computeFeatures, planFeatures, bufferBytes, type FeatureConfig } from '../dsp/feature-pipeline';
import { estimateCost } from '../boards/cost-model';
import { getBoard } from '../boards/profiles';
import { withHash, type Artifact, type JsonObject, type JsonValue } from '../model/artifact';
import { runModel } from '../mcu/interpreter';
import { quantizeInput } from '../mcu/quantize-io';
import { initBackend } from './tf-backend';
import { commonShape, defaultWindowing, windowRecords, TrainInputError, type RecordLike, type TrainingWindow } from './training-windows';
import { chooseConfig, type Arch, type FeatureBlock } from './auto-config';
import { FloatModel } from './float-model';
import { balancedClassWeights, fitModel, type EpochProgress } from './fit';
import { quantizeModel, type ArtifactFrame, type CalibrationTrace, type RangeMethod } from './quantize';
import { classificationMetrics, percentile, rocAuc } from './metrics';
import { kmeans } from './kmeans';
import { anomalyScore, ANOMALY_FORMULA } from './anomaly-score';

const f = Math.fround;

export interface WindowInput {
  data: number[][];
  label?: string;
  group?: string;
}

export interface TrainRequest {
  /** Model name: 1-64 letters, digits, _ or -. */
  name: string;
  dataset?: { baseDir: string; name: string };
  windows?: WindowInput[];
  axes?: string[];
  rate?: number;
  kind?: 'classifier' | 'anomaly';
  arch?: Arch;
  windowMs?: number;
  strideMs?: number;
  features?: FeatureBlock[];
  board?: string;
  seed?: number;
  /** Windows of this group are kept out of training and reported as the test set. */
  holdoutGroup?: string;
  /** Classifier: train and test on windows with these labels only (others are left out). */
  labels?: string[];
  /** Anomaly: train on windows with this label only; other labels are scored as anomalies. */
  normalLabel?: string;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  patience?: number;
  /** 'cpu' forces the pure-JS backend. */
  backend?: 'auto' | 'cpu';
}

export interface TrainProgress extends Partial<EpochProgress> {
  phase: 'loading' | 'features' | 'training' | 'quantizing' | 'evaluating' | 'done';
  message?: string;
}

export interface TrainHooks {
  onProgress?: (p: TrainProgress) => void;
  isCancelled?: () => boolean;
}

export interface TrainResult {
  artifact: Artifact;
  warnings: string[];
}

interface Example { x: number[]; label: number; group: string; rawLabel?: string }

async function loadRecords(req: TrainRequest): Promise<RecordLike[]> {
  if (req.windows) return req.windows.map((w) => ({ kind: 'window' as const, data: w.data, label: w.label, group: w.group, axes: req.axes, rate: req.rate ?? null }));
  if (!req.dataset) throw new TrainInputError('nothing to train on: name a dataset or send windows');
  const store = await DatasetStore.open(req.dataset.baseDir, req.dataset.name, { readOnly: true });
  try {
    return await store.readAll();
  } finally {
    await store.close();
  }
}

/**
 * Normalized inputs are clipped to ±INPUT_CLIP standard deviations, the int8 input range: the
 * float model then sees what the int8 input can represent (the int8 clamp IS this clip), and
 * heavy-tailed features (kurtosis) no longer stretch the input scale for all the others.
 */
const INPUT_CLIP = 8;

/** float32 normalization exactly as quantizeInput applies it: n = fround(fround(x − mean) · scale), then the clip. */
function normalizeInto(x: readonly number[], mean: number[], scale: number[], out: Float32Array, offset: number, clip = Infinity): void {
  for (let i = 0; i < x.length; i++) out[offset + i] = Math.max(-clip, Math.min(clip, f(f(f(x[i]) - mean[i]) * scale[i])));
}

function fitNorm(vectors: number[][], perAxis: number | null): { mean: number[]; scale: number[] } {
  const width = vectors[0].length;
  // Per axis for raw windows (every time step shares its axis' statistics), per feature otherwise.
  const key = (i: number): number => (perAxis ? i % perAxis : i);
  const groups = perAxis ?? width;
  const sum = new Array<number>(groups).fill(0);
  const sq = new Array<number>(groups).fill(0);
  const cnt = new Array<number>(groups).fill(0);
  for (const v of vectors) for (let i = 0; i < width; i++) { sum[key(i)] += v[i]; cnt[key(i)]++; }
  const mean = sum.map((s, g) => s / cnt[g]);
  for (const v of vectors) for (let i = 0; i < width; i++) { const d = v[i] - mean[key(i)]; sq[key(i)] += d * d; }
  const std = sq.map((s, g) => Math.sqrt(s / cnt[g]));
  return {
    mean: Array.from({ length: width }, (_, i) => f(mean[key(i)])),
    scale: Array.from({ length: width }, (_, i) => (std[key(i)] > 1e-9 ? f(1 / std[key(i)]) : 1)),
  };
}

function evenSample<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)]);
}

function asJson(v: unknown): JsonObject {
  return JSON.parse(JSON.stringify(v)) as JsonObject;
}

export async function trainModel(req: TrainRequest, hooks: TrainHooks = {}): Promise<TrainResult> {
  const started = Date.now();
  const progress = (p: TrainProgress): void => hooks.onProgress?.(p);
  const kind = req.kind ?? 'classifier';
  const arch: Arch = kind === 'anomaly' ? 'dense' : req.arch ?? 'dense';
  const seed = req.seed ?? 1;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(req.name)) throw new TrainInputError(`model name "${req.name}" must be 1-64 letters, digits, _ or -`);
  if (req.board) getBoard(req.board);
  const warnings: string[] = [];
  progress({ phase: 'loading' });
  const backend = await initBackend(req.backend ?? 'auto');
  const tf = backend.tf;

  // 1. windows
  const records = await loadRecords(req);
  const shape = commonShape(records, { axes: req.axes, rate: req.rate });
  const auto = defaultWindowing(records, shape.rate);
  const length = req.windowMs ? Math.round((req.windowMs / 1000) * shape.rate) : auto.length;
  const stride = req.strideMs ? Math.max(1, Math.round((req.strideMs / 1000) * shape.rate)) : req.windowMs ? Math.max(1, Math.round(length / 2)) : auto.stride;
  const set = windowRecords(records, shape, length, stride);
  warnings.push(...set.warnings);

  // 2. which windows train, which test
  if (req.labels && kind === 'classifier') {
    const keep = new Set(req.labels);
    const present = new Set(set.windows.map((w) => w.label));
    const missing = req.labels.filter((l) => !present.has(l));
    if (missing.length) throw new TrainInputError(`label(s) ${missing.join(', ')} are not in the data (labels: ${[...present].join(', ')})`);
    set.windows = set.windows.filter((w) => w.label !== undefined && keep.has(w.label));
  }
  let trainWins: TrainingWindow[] = set.windows;
  let testWins: TrainingWindow[] = [];
  if (req.holdoutGroup !== undefined) {
    const groups = groupsOf(set.windows);
    if (!groups.includes(req.holdoutGroup)) throw new TrainInputError(`holdout group "${req.holdoutGroup}" is not in the data (groups: ${groups.join(', ')})`);
    trainWins = set.windows.filter((w) => (w.group ?? '') !== req.holdoutGroup);
    testWins = set.windows.filter((w) => (w.group ?? '') === req.holdoutGroup);
  }
  let anomalyWins: TrainingWindow[] = [];
  if (kind === 'anomaly' && req.normalLabel !== undefined) {
    anomalyWins = [...trainWins, ...testWins].filter((w) => w.label !== req.normalLabel);
    trainWins = trainWins.filter((w) => w.label === req.normalLabel);
    testWins = testWins.filter((w) => w.label === req.normalLabel);
    if (!trainWins.length) throw new TrainInputError(`no window has the normal label "${req.normalLabel}"`);
  }
  const labels = kind === 'classifier' ? [...new Set(trainWins.map((w) => w.label))].map((l) => {
    if (l === undefined) throw new TrainInputError('some windows have no label: a classifier needs a label on every window (or train an anomaly model)');
    return l;
  }).sort() : [];
  if (kind === 'classifier' && labels.length < 2) throw new TrainInputError(`a classifier needs at least 2 labels, the data has ${labels.length} (${labels.join(', ')}): record another class or train an anomaly model`);

  // 3. features and architecture
  progress({ phase: 'features' });
  const centroids = kind === 'anomaly' ? Math.max(3, Math.min(8, Math.round(Math.sqrt(trainWins.length / 4)))) : labels.length;
  const chosen = chooseConfig({ arch, kind, windowLength: length, axes: set.axes, rate: set.rate, outputs: centroids, board: req.board, features: req.features });
  const features: FeatureConfig = chosen.features;
  const plan = planFeatures(features, { windowLength: length, axes: set.axes, rate: set.rate });
  const spec = chosen.spec;
  const toExample = (w: TrainingWindow): Example => ({ x: computeFeatures(plan, w.data), label: w.label === undefined ? -1 : labels.indexOf(w.label), group: w.group ?? '', rawLabel: w.label });
  const trainEx = trainWins.map(toExample);
  const testEx = testWins.map(toExample).filter((e) => kind === 'anomaly' || e.label >= 0);
  if (testWins.length && kind === 'classifier' && testEx.length < testWins.length) warnings.push(`${testWins.length - testEx.length} held-out windows have labels the training data lacks and are not scored`);
  const anomalyEx = anomalyWins.map(toExample);
  const isRaw = Boolean(features.raw && !features.stats && !features.spectral);
  const norm = fitNorm(trainEx.map((e) => e.x), isRaw ? set.axes.length : null);
  const width = spec.inputShape.reduce((a, b) => a * b, 1);
  // k-means distances need the unclipped input: its range is calibrated instead.
  const clip = kind === 'classifier' ? INPUT_CLIP : Infinity;
  const pack = (ex: Example[]): { x: Float32Array; y: Int32Array; n: number } => {
    const x = new Float32Array(ex.length * width);
    ex.forEach((e, i) => normalizeInto(e.x, norm.mean, norm.scale, x, i * width, clip));
    return { x, y: Int32Array.from(ex.map((e) => Math.max(0, e.label))), n: ex.length };
  };

  // 4. float model
  const model = new FloatModel(tf, spec, seed);
  const training: Record<string, JsonValue> = {
    seed, backend: backend.name, fastKernels: backend.fastKernels, backendNote: backend.note, arch: kind === 'anomaly' ? 'kmeans' : arch,
    windowStride: stride, trainedAt: new Date().toISOString(), trainWindows: trainEx.length, testWindows: testEx.length,
  };
  if (req.board) training.board = req.board;
  if (req.holdoutGroup !== undefined) training.holdoutGroup = req.holdoutGroup;
  // `tinyml eval` judges an anomaly model against this label by default
  if (kind === 'anomaly' && req.normalLabel !== undefined) training.normalLabel = req.normalLabel;
  let evalSet: Example[] = testEx;
  try {
    if (kind === 'classifier') {
      // Validation by group when there are groups (never the same person on both sides), else stratified.
      const items = trainEx.map((e) => ({ label: String(e.label), group: e.group }));
      let fitIdx = trainEx.map((_, i) => i);
      let valIdx: number[] = [];
      if (trainEx.length >= 20) {
        const split = groupsOf(items).length >= 3 ? groupSplit(items, { testFraction: 0.2, seed }) : randomSplit(items, { testFraction: 0.2, seed, stratify: true });
        fitIdx = split.train;
        valIdx = split.test;
        training.validation = groupsOf(items).length >= 3 ? 'by group' : 'stratified random 20%';
      } else {
        warnings.push(`only ${trainEx.length} training windows: no validation set, early stopping watches the training loss`);
      }
      const fitEx = fitIdx.map((i) => trainEx[i]);
      const valEx = valIdx.map((i) => trainEx[i]);
      const classWeights = balancedClassWeights(fitEx.map((e) => e.label), labels.length);
      progress({ phase: 'training' });
      const epochs = req.epochs ?? (arch === 'cnn' ? 40 : 80);
      const fit = fitModel(tf, model, pack(fitEx), valEx.length ? pack(valEx) : null, labels.length, {
        epochs, batchSize: req.batchSize ?? 32, learningRate: req.learningRate ?? (arch === 'cnn' ? 0.003 : 0.005),
        patience: req.patience ?? 12, seed, classWeights,
        onEpoch: (p) => progress({ phase: 'training', ...p }), isCancelled: hooks.isCancelled,
      });
      Object.assign(training, { epochs, epochsRun: fit.epochsRun, bestEpoch: fit.bestEpoch, stoppedEarly: fit.stoppedEarly, classWeights });
      if (!evalSet.length) evalSet = valEx.length ? valEx : fitEx;
      training.metricsOn = testEx.length ? 'holdout' : valEx.length ? 'validation' : 'training';
    } else {
      // k-means on normalized normal windows; one dense unit per centroid: s_k = c_k·x − ‖c_k‖²/2.
      const packed = pack(trainEx);
      const points = trainEx.map((_, i) => Array.from(packed.x.subarray(i * width, (i + 1) * width)));
      const cs = kmeans(points, centroids, seed);
      const kernel = new Float32Array(width * cs.length);
      cs.forEach((c, k) => c.forEach((v, i) => (kernel[i * cs.length + k] = v)));
      const bias = Float32Array.from(cs, (c) => -0.5 * c.reduce((s, v) => s + v * v, 0));
      model.restore([kernel, bias]);
      training.centroids = cs.length;
      training.metricsOn = testEx.length ? 'holdout' : 'training';
      if (!evalSet.length) evalSet = trainEx;
    }

    // 5. quantize: calibration on (up to 400) training windows, both range methods
    progress({ phase: 'quantizing' });
    const calib = evenSample(trainEx, 400);
    const calibPacked = pack(calib);
    const traceLayers = tf.tidy(() => model.forward(tf.tensor(calibPacked.x, [calib.length, ...spec.inputShape]), true).map((o) => o.dataSync() as Float32Array));
    const trace: CalibrationTrace = { input: calibPacked.x, layers: traceLayers };
    if (kind === 'classifier') trace.inputRange = [-INPUT_CLIP, INPUT_CLIP];
    const frame: ArtifactFrame = {
      name: req.name, kind, labels, window: { length, axes: set.axes, rateHz: set.rate },
      features: asJson(features), normalization: norm,
    };
    const weights = model.weights();
    const floatOut = (ex: Example[]): Float32Array[] => {
      const p = pack(ex);
      return tf.tidy(() => {
        const out = model.forward(tf.tensor(p.x, [ex.length, ...spec.inputShape]))[0];
        const d = out.dataSync() as Float32Array;
        const k = out.shape[1] as number;
        return ex.map((_, i) => d.slice(i * k, (i + 1) * k));
      });
    };
    const floatScore = (o: Float32Array, e: Example): number => {
      const n = new Float32Array(width);
      normalizeInto(e.x, norm.mean, norm.scale, n, 0);
      let x2 = 0;
      for (const v of n) x2 += v * v;
      return x2 - 2 * Math.max(...o);
    };
    const int8Out = (a: Artifact, e: Example): { input: Int8Array; output: Int8Array } => {
      const input = quantizeInput(a, e.x);
      return { input, output: runModel(a, input).output };
    };
    const argmax = (v: ArrayLike<number>): number => { let b = 0; for (let i = 1; i < v.length; i++) if (v[i] > v[b]) b = i; return b; };
    const calibFloat = floatOut(calib);
    let best: { artifact: Artifact; method: RangeMethod; loss: number } | null = null;
    for (const method of ['minmax', 'percentile'] as RangeMethod[]) {
      const a = quantizeModel(frame, spec, weights, trace, method);
      let loss = 0;
      calib.forEach((e, i) => {
        const r = int8Out(a, e);
        if (kind === 'classifier') {
          // Disagreements with the float model first, then the probability error as a tie-break.
          const q = Array.from(r.output, (v) => (v + 128) / 256);
          loss += (argmax(q) !== argmax(calibFloat[i]) ? 1 : 0) + q.reduce((s, v, k) => s + Math.abs(v - calibFloat[i][k]), 0) / (1000 * q.length);
        } else {
          loss += Math.abs(anomalyScore(a, r.input, r.output) - floatScore(calibFloat[i], e));
        }
      });
      if (!best || loss < best.loss) best = { artifact: a, method, loss };
    }
    const chosenArtifact = best!.artifact;
    training.rangeMethod = best!.method;

    // 6. metrics: float from the float model, int8 from the simulated MCU's interpreter
    progress({ phase: 'evaluating' });
    const metrics: Record<string, JsonValue> = {};
    const evalFloat = floatOut(evalSet);
    if (kind === 'classifier') {
      const actual = evalSet.map((e) => e.label);
      const fm = classificationMetrics(labels, actual, evalFloat.map(argmax));
      const qm = classificationMetrics(labels, actual, evalSet.map((e) => argmax(int8Out(chosenArtifact, e).output)));
      metrics.float = fm as unknown as JsonValue;
      metrics.int8 = qm as unknown as JsonValue;
      if (qm.accuracy < fm.accuracy - 0.02) warnings.push(`int8 accuracy ${(100 * qm.accuracy).toFixed(1)}% is more than 2 points below float (${(100 * fm.accuracy).toFixed(1)}%): add data or try the other architecture`);
    } else {
      const pct = 99;
      const trainScores = trainEx.map((e) => { const r = int8Out(chosenArtifact, e); return anomalyScore(chosenArtifact, r.input, r.output); });
      const threshold = f(percentile(trainScores, pct));
      training.anomaly = { method: 'kmeans-distance', threshold, percentile: pct, centroids: chosen.spec.layers[0].type === 'dense' ? centroids : 0, formula: ANOMALY_FORMULA };
      const normalScores = evalSet.map((e) => { const r = int8Out(chosenArtifact, e); return anomalyScore(chosenArtifact, r.input, r.output); });
      const anomalyScores = anomalyEx.map((e) => { const r = int8Out(chosenArtifact, e); return anomalyScore(chosenArtifact, r.input, r.output); });
      const floatNormal = evalSet.map((e, i) => floatScore(evalFloat[i], e));
      const floatAnom = floatOut(anomalyEx).map((o, i) => floatScore(o, anomalyEx[i]));
      const asMetrics = (normal: number[], anom: number[], thr: number): JsonObject => {
        const actual = [...normal.map(() => 0), ...anom.map(() => 1)];
        const pred = [...normal, ...anom].map((s) => (s > thr ? 1 : 0));
        const m = classificationMetrics(['normal', 'anomaly'], actual, pred) as unknown as JsonObject;
        const auc = rocAuc(normal, anom);
        if (Number.isFinite(auc)) m.auc = auc;
        return m;
      };
      const floatThreshold = percentile(trainEx.map((e, i) => floatScore(floatOut([e])[0], trainEx[i])), pct);
      metrics.float = asMetrics(floatNormal, floatAnom, floatThreshold);
      metrics.int8 = asMetrics(normalScores, anomalyScores, threshold);
    }
    training.durationMs = Date.now() - started;
    training.warnings = warnings;
    const withMetrics: Artifact = withHash({ ...chosenArtifact, metrics: metrics as Artifact['metrics'], training });
    if (req.board) {
      const cost = estimateCost(withMetrics, req.board, { featureBufferBytes: bufferBytes(features, length, set.axes.length).total });
      withMetrics.cost = { [req.board]: { latencyMs: cost.latencyMs.value, ramBytes: cost.ramBytes.value, flashBytes: cost.flashBytes.value, fits: cost.fits, problems: cost.problems } };
      if (!cost.fits) warnings.push(`the smallest model found does not fit the ${cost.boardLabel}: ${cost.problems.join('; ')}`);
    }
    progress({ phase: 'done' });
    return { artifact: withMetrics, warnings };
  } finally {
    model.dispose();
  }
}
