/**
 * tinyml-deploy: puts a model on the board. Engine: src/deploy/deploy.ts (generate, compile, size
 * check, upload with the board's port on loan, hash verification) and src/deploy/hil.ts
 * (hardware-in-the-loop streaming held against the parity twin). This adapter reads the config,
 * maps stages to status and progress messages, and results to msg.
 *
 * Input: a model (msg.model: artifact object or file name in <userDir>/tinyml/models; else the
 * node's Model) deploys it. msg.topic "samples" with msg.payload samples x axes streams them
 * through a board deployed in hardware-in-the-loop mode and compares each window with the twin.
 * msg.topic "cancel" cancels what is running.
 * Outputs: 1) the deploy report / the HIL report, 2) progress and per-window messages.
 */
import fs from 'fs';
import { Artifact, parseArtifact, validateArtifact } from '../src/model/artifact';
import { deployModel, DeployError, DeployReport } from '../src/deploy/deploy';
import type { DeviceLink } from '../src/deploy/device-link';
import { runHil } from '../src/deploy/hil';
import type { SketchSensor } from '../src/codegen/sketch';
import type { BoardNode } from './board-api';
import { modelFileInStore } from '../src/train/model-store';
import { packDirs } from './pack-dirs';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './red-types';
import { translator } from './translate';
import { activity } from '../src/editor/activity-feed';

interface DeployDef extends NodeDef {
  board?: string;
  model?: string;
  mode?: string;
  sensor?: string;
  analogPins?: string;
  stride?: string | number;
  verifyMs?: string | number;
}

function sensorOf(def: DeployDef): SketchSensor {
  switch (def.sensor) {
    case 'analog': return { analogPins: (def.analogPins ?? 'A0').split(',').map((p) => p.trim().toUpperCase()).filter(Boolean) };
    case 'lsm9ds1': return { imu: 'lsm9ds1' };
    case 'lsm9ds1-gyro': return { imu: 'lsm9ds1', gyro: true };
    case 'bmi270': return { imu: 'bmi270' };
    case 'bmi270-gyro': return { imu: 'bmi270', gyro: true };
    default: return 'synthetic';
  }
}

/** The board config node as a DeviceLink: lends its port to the uploader, then shares its lines. */
function boardLink(board: BoardNode): DeviceLink {
  return {
    borrow: async (reason) => {
      const loan = await board.lend(reason);
      return { path: loan.path, giveBack: () => loan.giveBack() };
    },
    listen: async (onLine) => {
      const off = board.subscribe({ onLine: (line) => onLine(line) });
      return async () => off();
    },
    write: (text) => board.write(text),
  };
}

export = function register(RED: NodeAPI): void {
  const t = translator(RED, 'tinyml-deploy');
  const dirs = packDirs(RED.settings);

  function TinymlDeploy(this: Node, nodeDef: NodeDef): void {
    RED.nodes.createNode(this, nodeDef);
    const node = this as Node;
    const def = nodeDef as DeployDef;
    const board = def.board ? (RED.nodes.getNode(def.board) as BoardNode | null) : null;
    const mode = def.mode === 'hil' ? 'hil' : 'sensor';
    const strideText = def.stride === undefined || def.stride === '' ? undefined : Number(def.stride);
    const verifyMs = Number(def.verifyMs) > 0 ? Number(def.verifyMs) : 20_000;
    let running: AbortController | null = null;
    /** The run in progress, settled when it has finished (uploader and port loan included). */
    let finished: Promise<void> | null = null;
    const shutdown = new AbortController();
    let deployed: { artifact: Artifact; report: DeployReport } | null = null;

    const loadModel = (msg: NodeMessage): Artifact => {
      if (msg.model !== undefined && typeof msg.model === 'object' && msg.model !== null) return validateArtifact(msg.model);
      const name = typeof msg.model === 'string' && msg.model !== '' ? msg.model : def.model;
      if (!name) throw new Error(t('error.noModel'));
      const file = modelFileInStore(dirs.models, name);
      if (!fs.existsSync(file)) throw new Error(t('error.noModelFile', { file }));
      return parseArtifact(fs.readFileSync(file, 'utf8'));
    };

    node.status({});
    node.on('input', (msg: NodeMessage, send, done) => {
      if (msg.topic === 'cancel') {
        if (running) running.abort();
        done();
        return;
      }
      if (!board) {
        node.status({ fill: 'red', shape: 'ring', text: t('status.noBoard') });
        done(new Error(t('error.noBoard')));
        return;
      }
      if (running) {
        done(new Error(t('error.busy')));
        return;
      }
      const controller = new AbortController();
      running = controller;
      const progress = (payload: Record<string, unknown>): void => send([null, { topic: 'progress', payload }]);
      // The sidebar's "last deploy" follows this run; a HIL stream is not a deploy and leaves it alone.
      let run = '';
      const run$ = (async () => {
        if (msg.topic === 'samples') {
          if (!deployed || deployed.report.mode !== 'hil') throw new Error(t('error.notHil'));
          if (!Array.isArray(msg.payload) || !msg.payload.every((s) => Array.isArray(s) && s.every((v) => typeof v === 'number'))) throw new Error(t('error.badSamples'));
          node.status({ fill: 'blue', shape: 'dot', text: t('status.hil') });
          const { artifact, report } = deployed;
          const hil = await runHil(artifact, boardLink(board), msg.payload as number[][], {
            board: report.board, stride: report.stride, signal: controller.signal,
            onWindow: (r, mismatch) => {
              if (mismatch) node.warn(t('warn.mismatch', { detail: mismatch.message }));
              send([null, { topic: 'window', payload: { win: r.win, label: r.label, scores: r.scores, us: r.us, match: mismatch === null, mismatch } }]);
            },
          });
          const ok = hil.mismatches.length === 0;
          node.status({ fill: ok ? 'green' : 'red', shape: 'dot', text: t(ok ? 'status.parity' : 'status.mismatch', { n: hil.windows, bad: hil.mismatches.length }) });
          send([{ ...msg, topic: 'hil', payload: { windows: hil.windows, matched: hil.matched, mismatches: hil.mismatches, meanUs: hil.meanUs, meanFeatUs: hil.meanFeatUs } }, null]);
          return;
        }
        const artifact = loadModel(msg);
        deployed = null; // whatever ran before is replaced, or the board is left unknown if this fails
        run = `${node.id}:${Date.now()}`;
        activity.deployStarted({ run, model: artifact.name, board: board.boardType, port: board.portPath ?? undefined, stages: ['generate', 'compile', 'size', 'upload', 'verify'] });
        const report = await deployModel(artifact, {
          board: board.boardType, link: boardLink(board), workRoot: dirs.build, mode, sensor: sensorOf(def),
          strideSamples: strideText, signal: controller.signal, shutdown: shutdown.signal, timeouts: { verify: verifyMs },
          onProgress: (p) => {
            if (p.state === 'start') node.status({ fill: 'blue', shape: 'ring', text: t(`stage.${p.stage}`) });
            progress({ stage: p.stage, state: p.state, message: p.message });
            activity.deployStage(run, { name: p.stage, state: p.state === 'start' ? 'running' : 'done', detail: p.message });
            if (p.message) activity.deployLog(run, p.message);
          },
        });
        for (const w of report.warnings) node.warn(w);
        deployed = { artifact, report };
        node.status({ fill: 'green', shape: 'dot', text: t('status.deployed', { model: artifact.name, hash: artifact.hash.slice(0, 8) }) });
        activity.deployFinished(run, { ok: true, message: t('status.deployed', { model: artifact.name, hash: artifact.hash.slice(0, 8) }) });
        send([{ ...msg, topic: 'deployed', payload: report }, null]);
      })().then(() => done(), (e: unknown) => {
        const stage = e instanceof DeployError ? e.stage : undefined;
        const text = e instanceof Error ? e.message : String(e);
        node.status({ fill: 'red', shape: 'dot', text: stage ? t('status.failed', { stage: t(`stage.${stage}`) }) : t('status.error') });
        if (stage) progress({ stage, state: 'failed', message: text, ...(e instanceof DeployError && e.sizes ? e.sizes : {}) });
        if (run) {
          if (stage) activity.deployStage(run, { name: stage, state: 'failed', detail: text });
          activity.deployFinished(run, { ok: false, message: text });
        }
        done(new Error(stage ? `${stage}: ${text}` : text));
      }).finally(() => {
        if (running === controller) running = null;
      });
      finished = run$;
    });

    node.on('close', (_removed: boolean, closeDone: () => void) => {
      // Redeploy or shutdown: stop everything now, an upload included, so no uploader outlives the node.
      shutdown.abort();
      running?.abort();
      if (!finished) return closeDone();
      const limit = setTimeout(closeDone, 5000);
      void finished.finally(() => { clearTimeout(limit); closeDone(); });
    });
  }

  RED.nodes.registerType('tinyml-deploy', TinymlDeploy);
};
