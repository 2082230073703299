/**
 * tinyml-train: trains a classifier or anomaly model in a worker thread (src/train/train-job.ts),
 * quantizes it to int8 and saves it as the next version in `<userDir>/tinyml/models/`.
 * Output 1: the model message; output 2: progress messages. `msg.command === 'cancel'` stops.
 */
import { activity } from '../src/editor/activity-feed';
import { saveModel } from '../src/train/model-store';
import { startTraining, type TrainJob } from '../src/train/train-job';
import type { TrainRequest, WindowInput } from '../src/train/train-model';
import type { FeatureBlock } from '../src/train/auto-config';
import { packDirs } from './pack-dirs';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './red-types';
import { translator } from './translate';

interface TrainDef extends NodeDef {
  dataset?: string;
  model?: string;
  kind?: string;
  arch?: string;
  windowMs?: string | number;
  strideMs?: string | number;
  features?: string;
  board?: string;
  seed?: string | number;
  holdout?: string;
  normalLabel?: string;
  epochs?: string | number;
  maxMemoryMb?: string | number;
}


const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** msg.payload as windows: [{data, label, group}] or number[][][] with msg.labels / msg.groups. */
function windowsOf(msg: NodeMessage): WindowInput[] | null {
  const p = msg.payload;
  if (!Array.isArray(p) || p.length === 0) return null;
  const labels = Array.isArray(msg.labels) ? (msg.labels as unknown[]) : null;
  const groups = Array.isArray(msg.groups) ? (msg.groups as unknown[]) : null;
  return p.map((w: unknown, i) => {
    if (Array.isArray(w)) return { data: w as number[][], label: labels ? String(labels[i]) : undefined, group: groups ? String(groups[i]) : undefined };
    const o = (w ?? {}) as { data?: unknown; payload?: unknown; label?: unknown; group?: unknown };
    const data = Array.isArray(o.data) ? o.data : o.payload;
    return { data: data as number[][], label: o.label === undefined ? undefined : String(o.label), group: o.group === undefined ? undefined : String(o.group) };
  });
}

export = function register(RED: NodeAPI): void {
  const t = translator(RED, 'tinyml-train');

  function TinymlTrain(this: Node, nodeDef: NodeDef): void {
    RED.nodes.createNode(this, nodeDef);
    const node = this as Node;
    const def = nodeDef as TrainDef;
    let job: TrainJob | null = null;
    node.status({});

    node.on('input', (msg: NodeMessage, send, done) => {
      if (msg.command === 'cancel') {
        if (job) job.cancel();
        done();
        return;
      }
      if (job) {
        done(new Error(t('error.busy')));
        return;
      }
      try {
        const windows = windowsOf(msg);
        const dataset = text(msg.dataset) ?? text(def.dataset);
        if (!windows && !dataset) throw new Error(t('error.noData'));
        const features = text(def.features)?.split(',').map((s) => s.trim()) as FeatureBlock[] | undefined;
        const request: TrainRequest = {
          name: text(msg.model) ?? text(def.model) ?? dataset ?? 'model',
          kind: def.kind === 'anomaly' ? 'anomaly' : 'classifier',
          arch: def.arch === 'cnn' ? 'cnn' : 'dense',
          windowMs: num(def.windowMs), strideMs: num(def.strideMs), features,
          board: text(def.board), seed: num(def.seed) ?? 1, holdoutGroup: text(def.holdout), normalLabel: text(def.normalLabel),
          epochs: num(def.epochs),
        };
        if (windows) {
          request.windows = windows;
          request.axes = Array.isArray(msg.axes) ? msg.axes.map(String) : undefined;
          request.rate = num(msg.rate);
        } else {
          request.dataset = { baseDir: packDirs(RED.settings).datasets, name: dataset! };
        }
        node.status({ fill: 'blue', shape: 'ring', text: t('status.starting') });
        // The sidebar's live curves: one run id per training of this node.
        const run = `${node.id}:${Date.now()}`;
        let announcedEpochs = request.epochs ?? 0;
        activity.trainingStarted({ run, model: request.name, epochs: announcedEpochs, dataset });
        const current = startTraining(request, {
          maxMemoryMb: num(def.maxMemoryMb),
          onProgress: (p) => {
            if (p.phase === 'training' && p.epoch !== undefined) {
              // With epochs on auto, the count is known only once the first epoch reports it.
              if (p.epochs !== undefined && p.epochs !== announcedEpochs && p.epoch <= 1) {
                announcedEpochs = p.epochs;
                activity.trainingStarted({ run, model: request.name, epochs: announcedEpochs, dataset });
              }
              activity.trainingEpoch(run, { epoch: p.epoch, loss: p.loss ?? NaN, accuracy: p.accuracy, valLoss: p.valLoss, valAccuracy: p.valAccuracy });
              node.status({ fill: 'blue', shape: 'dot', text: t('status.epoch', { epoch: p.epoch, epochs: p.epochs ?? 0, loss: (p.loss ?? 0).toFixed(2), acc: (p.accuracy ?? 0).toFixed(2) }) });
            } else {
              node.status({ fill: 'blue', shape: 'ring', text: t(`phase.${p.phase}`) });
            }
            send([null, { topic: 'progress', payload: p }]);
          },
        });
        job = current;
        current.result.then(async ({ artifact, warnings }) => {
          const stored = await saveModel(packDirs(RED.settings).models, artifact);
          for (const w of warnings) node.warn(w);
          activity.trainingFinished(run, { ok: true, version: stored.version, message: `${artifact.name}@${stored.version}` });
          const int8 = artifact.metrics?.int8;
          const auc = typeof int8?.auc === 'number' ? int8.auc : undefined;
          node.status({ fill: 'green', shape: 'dot', text: auc !== undefined ? t('status.doneAuc', { name: `${artifact.name}@${stored.version}`, auc: auc.toFixed(2) }) : t('status.done', { name: `${artifact.name}@${stored.version}`, acc: ((int8?.accuracy ?? 0) * 100).toFixed(1) }) });
          send([{ ...msg, topic: 'model', payload: artifact, model: { name: artifact.name, version: stored.version, file: stored.file, hash: artifact.hash }, warnings }, null]);
          done();
        }).catch((e: Error & { cancelled?: boolean }) => {
          activity.trainingFinished(run, { ok: false, message: e.cancelled ? t('status.cancelled') : e.message });
          if (e.cancelled) {
            node.status({ fill: 'grey', shape: 'ring', text: t('status.cancelled') });
            done();
            return;
          }
          node.status({ fill: 'red', shape: 'ring', text: e.message.slice(0, 60) });
          done(e);
        }).finally(() => {
          if (job === current) job = null;
        });
      } catch (e) {
        node.status({ fill: 'red', shape: 'ring', text: (e as Error).message.slice(0, 60) });
        done(e as Error);
      }
    });

    node.on('close', (_removed, closeDone) => {
      if (job) job.cancel();
      closeDone();
    });
  }

  RED.nodes.registerType('tinyml-train', TinymlTrain);
};
