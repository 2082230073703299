/**
 * tinyml-dataset: records labelled windows into a crash-safe dataset under
 * `<userDir>/tinyml/datasets/<name>/` with the engine's DatasetRecorder, and answers commands
 * (start, stop, delete-last, clear with confirm, export, counts, import) given in `msg.command`.
 */
import { DatasetRecorder } from '../src/dataset/dataset-recorder';
import { DatasetMessageError } from '../src/dataset/dataset-message-error';
import { sessionGroup } from '../src/dataset/dataset-message';
import { datasetNameProblem } from '../src/dataset/dataset-name';
import { DEFAULT_RAW_CHUNK_SAMPLES } from '../src/dataset/raw-segments';
import { acquireDataset } from '../src/dataset/store';
import { datasetOverviews } from '../src/editor/dataset-summary';
import { packDirs } from './pack-dirs';
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeStatus } from './red-types';
import { translator } from './translate';

interface DatasetDef extends NodeDef {
  dataset?: string;
  label?: string;
  labelFromTopic?: boolean;
  group?: string;
  recording?: boolean;
  /** also record the raw capture samples wired to this node, as `recording` records */
  recordRaw?: boolean;
  /** samples per raw chunk record (default 1000) */
  rawChunk?: string | number;
}

export = function register(RED: NodeAPI): void {
  const t = translator(RED, 'tinyml-dataset');
  /** An engine error in the user's language (refused messages have locale keys error.<code>). */
  const translated = (e: Error): Error => (e instanceof DatasetMessageError ? new Error(t(`error.${e.code}`, e.params)) : e);

  function TinymlDataset(this: Node, nodeDef: NodeDef): void {
    RED.nodes.createNode(this, nodeDef);
    const def = nodeDef as DatasetDef;
    const node = this as Node;
    const name = (def.dataset ?? '').trim();
    const problem = datasetNameProblem(name);
    if (problem) {
      node.status({ fill: 'red', shape: 'ring', text: t('status.badName') });
      node.error(t('error.name', { message: problem }));
      return;
    }
    const rawChunk = def.rawChunk === undefined || def.rawChunk === '' ? DEFAULT_RAW_CHUNK_SAMPLES : Number(def.rawChunk);
    if (def.recordRaw === true && !(Number.isInteger(rawChunk) && rawChunk >= 1)) {
      node.status({ fill: 'red', shape: 'ring', text: t('status.badRawChunk') });
      node.error(t('error.rawChunk', { name, value: String(def.rawChunk) }));
      return;
    }
    const options = {
      // Default group: this run of the flow, so a split by group can hold out a whole session.
      labelling: { fixedLabel: (def.label ?? '').trim(), fromTopic: def.labelFromTopic === true, group: (def.group ?? '').trim() || sessionGroup(new Date()) },
      recording: def.recording !== false,
      rawChunk: def.recordRaw === true ? rawChunk : null,
      warn: (m: string) => node.warn(m),
    };
    let closed = false;
    let lastStatus = '';
    const show = (s: NodeStatus): void => {
      // A raw sample stream would otherwise send the editor the same status many times a second.
      const key = JSON.stringify(s);
      if (key !== lastStatus) node.status(s);
      lastStatus = key;
    };
    const refresh = (r: DatasetRecorder): void => {
      if (closed) return;
      const counts = Object.entries(r.store.counts()).sort((a, b) => b[1] - a[1]);
      let text = counts.length === 0 ? t('status.empty') : counts.slice(0, 6).map(([l, n]) => `${l === '' ? t('status.unlabelled') : l} ${n}`).join(' · ');
      if (counts.length > 6) text += ' · …';
      if (!r.recording) text += t('status.paused');
      show({ fill: r.recording ? 'green' : 'grey', shape: r.recording ? 'dot' : 'ring', text });
    };

    const opening = acquireDataset(packDirs(RED.settings).datasets, name).then(
      (s) => {
        for (const r of s.repairs) node.warn(t('warn.repaired', { bytes: r.droppedBytes, problem: r.problem, file: r.savedAs ?? '-' }));
        const recorder = new DatasetRecorder(s, options);
        refresh(recorder);
        return recorder;
      },
      (e: Error) => {
        show({ fill: 'red', shape: 'ring', text: t('status.error') });
        node.error(t('error.open', { name, message: e.message }));
        throw e;
      },
    );
    opening.catch(() => undefined);

    // The recorder queues messages in arrival order (callbacks on `opening` run in registration order),
    // so outputs keep the input order while writes are in flight, and close() waits for all of them.
    node.on('input', (msg: NodeMessage, send, done) => {
      opening
        .then(async (r) => {
          const out = await r.handle(msg);
          refresh(r);
          if (out) send(out);
        })
        .then(
          () => done(),
          (e: Error) => {
            const err = translated(e);
            show({ fill: 'red', shape: 'ring', text: err.message.slice(0, 60) });
            done(err);
          },
        );
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      // Windows already received are written before the store closes: a redeploy loses none of them.
      opening
        .then(
          (r) => r.close().catch((e: Error) => node.error(e.message)),
          () => undefined, // the dataset never opened; that was reported then
        )
        .then(() => done());
    });
  }

  RED.nodes.registerType('tinyml-dataset', TinymlDataset);

  // For editors (e.g. the train node's dataset picker): the datasets of this instance and their counts
  // (a dataset that cannot be read is listed with its error; the sidebar serves the same list).
  RED.httpAdmin.get('/tinyml/datasets', RED.auth.needsPermission('tinyml-dataset.read'), (_req, res) => {
    datasetOverviews(packDirs(RED.settings).datasets).then((list) => res.json(list), (e: Error) => res.status(500).json({ error: e.message }));
  });
};
