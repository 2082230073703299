/**
 * tinyml-features: window (samples × axes) -> feature vector with names, by the engine's
 * float32 feature pipeline (the same bits the C twin computes on the chip).
 */
import { computeFeatures, planFeatures, type FeatureConfig, type FeaturePlan } from '../src/dsp/feature-pipeline';
import type { StatName } from '../src/dsp/time-stats';
import type { WindowName } from '../src/dsp/window-function';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './red-types';
import { translator } from './translate';

interface FeaturesDef extends NodeDef {
  scale?: string | number;
  filterType?: string;
  filterCutoff?: string | number;
  filterOrder?: string | number;
  raw?: boolean;
  rawDecimate?: string | number;
  stats?: boolean;
  statList?: string;
  spectral?: boolean;
  fftLength?: string | number;
  overlap?: string | number;
  window?: string;
  bands?: string;
  bandCount?: string | number;
}

const list = (s: unknown): string[] => (typeof s === 'string' ? s.split(',').map((x) => x.trim()).filter((x) => x !== '') : []);

/** Editor fields -> the plain JSON feature configuration (validated by the engine per window shape). */
function featureConfigOf(def: FeaturesDef): FeatureConfig {
  const config: FeatureConfig = {};
  const scales = list(String(def.scale ?? '')).map(Number);
  if (scales.length === 1) config.scale = scales[0];
  else if (scales.length > 1) config.scale = scales;
  if (def.filterType === 'lowpass' || def.filterType === 'highpass') {
    config.filter = { type: def.filterType, cutoffHz: Number(def.filterCutoff), order: Number(def.filterOrder ?? 2) };
  }
  if (def.raw) config.raw = { decimate: Number(def.rawDecimate || 1) };
  if (def.stats) {
    const names = list(def.statList);
    config.stats = names.length ? { features: names as StatName[] } : {};
  }
  if (def.spectral) {
    const bands = list(def.bands).map(Number);
    config.spectral = {
      ...(def.fftLength ? { fftLength: Number(def.fftLength) } : {}),
      overlap: def.overlap === undefined || def.overlap === '' ? 0.5 : Number(def.overlap),
      window: (def.window || 'hann-periodic') as WindowName,
      ...(bands.length ? { bands } : { bandCount: Number(def.bandCount || 8) }),
    };
  }
  return config;
}

export = function register(RED: NodeAPI): void {
  const t = translator(RED, 'tinyml-features');

  function TinymlFeatures(this: Node, nodeDef: NodeDef): void {
    RED.nodes.createNode(this, nodeDef);
    const node = this as Node;
    const config = featureConfigOf(nodeDef as FeaturesDef);
    let plan: FeaturePlan | null = null;
    let planKey = '';
    let count = 0;

    node.on('input', (msg: NodeMessage, send, done) => {
      try {
        const window = msg.payload;
        if (!Array.isArray(window) || !window.every((row) => Array.isArray(row))) {
          throw new Error(t('error.notWindow', { type: Array.isArray(window) ? 'number[]' : typeof window }));
        }
        const rows = window as number[][];
        const width = rows.length ? rows[0].length : 0;
        const axes = Array.isArray(msg.axes) ? msg.axes.map(String) : Array.from({ length: width }, (_, i) => `a${i}`);
        if (!(typeof msg.rate === 'number' && msg.rate > 0)) throw new Error(t('error.noRate'));
        const key = `${rows.length}|${axes.join(',')}|${msg.rate}`;
        if (key !== planKey) {
          plan = planFeatures(config, { windowLength: rows.length, axes, rate: msg.rate });
          planKey = key;
        }
        const p = plan as FeaturePlan;
        msg.payload = computeFeatures(p, rows);
        msg.features = p.names;
        msg.featureConfig = config;
        count++;
        node.status({ fill: 'green', shape: 'dot', text: t('status.vectors', { count, features: p.names.length }) });
        send(msg);
        done();
      } catch (e) {
        planKey = '';
        node.status({ fill: 'red', shape: 'ring', text: (e as Error).message.slice(0, 60) });
        done(e as Error);
      }
    });
  }

  RED.nodes.registerType('tinyml-features', TinymlFeatures);
};
