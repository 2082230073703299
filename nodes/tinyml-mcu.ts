/**
 * tinyml-mcu: the simulated microcontroller. Runs a model artifact exactly as the firmware would
 * (src/mcu/simulate.ts) on a chosen board profile and reports label, scores, raw int8 output,
 * latency, RAM, flash and whether it fits. Refuses a model that does not fit.
 */
import fs from 'fs';
import { Artifact, ArtifactError, parseArtifact, validateArtifact } from '../src/model/artifact';
import { McuSimulator } from '../src/mcu/simulate';
import { modelFileInStore } from '../src/train/model-store';
import { packDirs } from './pack-dirs';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './red-types';
import { translator } from './translate';

interface McuDef extends NodeDef {
  model?: string;
  board?: string;
  /** Also run the artifact's float weights and report the quantization error (msg.payload.float). */
  floatReference?: boolean;
}

export = function register(RED: NodeAPI): void {
  const t = translator(RED, 'tinyml-mcu');
  const models = packDirs(RED.settings).models;

  function TinymlMcu(this: Node, nodeDef: NodeDef): void {
    RED.nodes.createNode(this, nodeDef);
    const node = this as Node;
    const def = nodeDef as McuDef;
    const board = def.board || 'uno';
    let fileModel: { mtimeMs: number; artifact: Artifact } | null = null;
    const sims = new WeakMap<Artifact, McuSimulator>();

    const loadFile = (name: string): Artifact => {
      const file = modelFileInStore(models, name);
      let st: fs.Stats;
      try {
        st = fs.statSync(file);
      } catch {
        throw new Error(t('error.noModelFile', { file }));
      }
      if (!fileModel || fileModel.mtimeMs !== st.mtimeMs) fileModel = { mtimeMs: st.mtimeMs, artifact: parseArtifact(fs.readFileSync(file, 'utf8')) };
      return fileModel.artifact;
    };

    node.on('input', (msg: NodeMessage, send, done) => {
      try {
        let artifact: Artifact;
        if (msg.model !== undefined && typeof msg.model === 'object') artifact = validateArtifact(msg.model);
        else if (typeof msg.model === 'string' && msg.model !== '') artifact = loadFile(msg.model);
        else if (def.model) artifact = loadFile(def.model);
        else throw new Error(t('error.noModel'));
        let sim = sims.get(artifact);
        if (!sim || sim.board !== board) {
          sim = new McuSimulator(artifact, board);
          sims.set(artifact, sim);
        }
        const r = sim.run(msg.payload, { floatReference: def.floatReference === true });
        msg.payload = {
          label: r.label, scores: r.scores, raw: r.raw, latencyMs: r.latencyMs, ramBytes: r.ramBytes, flashBytes: r.flashBytes, fits: r.fits, board: r.board,
          uncertainty: { latency: r.cost.latencyMs.uncertainty, ram: r.cost.ramBytes.uncertainty, flash: r.cost.flashBytes.uncertainty },
          ...(r.float ? { float: r.float } : r.floatReferenceNote ? { floatReference: r.floatReferenceNote } : {}),
        };
        msg.modelHash = artifact.hash;
        const top = r.label !== undefined ? `${r.label} ${Math.max(...r.scores).toFixed(2)}` : `${r.scores[0].toFixed(3)}`;
        node.status({ fill: 'green', shape: 'dot', text: t('status.result', { top, ms: r.latencyMs.toFixed(1), board: r.cost.boardLabel }) });
        send(msg);
        done();
      } catch (e) {
        const err = e instanceof ArtifactError ? new Error(t('error.badModel', { detail: e.message })) : (e as Error);
        node.status({ fill: 'red', shape: 'ring', text: err.message.slice(0, 60) });
        done(err);
      }
    });
  }

  RED.nodes.registerType('tinyml-mcu', TinymlMcu);
};
