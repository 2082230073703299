/**
 * tinyml-dataset: records labelled windows into a crash-safe dataset under
 * `<userDir>/tinyml/datasets/<name>/` (the engine's DatasetStore), and answers commands
 * (start, stop, delete-last, clear with confirm, export, counts) given in `msg.command`.
 */
import os from 'os';
import path from 'path';
import { acquireDataset, listDatasets, releaseDataset, DatasetStore, type NewRecord } from '../src/dataset/store';
import { datasetNameProblem } from '../src/dataset/dataset-name';
import { recordsToCsv, recordsToJson } from '../src/dataset/export';
import { recordsFromLongCsv, type LongCsvImportOptions } from '../src/dataset/import-long-csv';
import { DEFAULT_RAW_CHUNK_SAMPLES, RawSegmentRecorder, type RawSample } from '../src/dataset/raw-segments';
import { samplesOfMessage } from '../src/stream/windower';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './red-types';
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

/** A capture node's sample message (it has `seq`; windows from the window node have `window`). */
const isCaptureMessage = (msg: NodeMessage): boolean => typeof msg.seq === 'number' && msg.window === undefined;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRow = (r: unknown): r is number[] => Array.isArray(r) && r.every(isNum);

/** Recordings appended per write + fdatasync by the import command (as `tinyml import` does). */
const IMPORT_BATCH = 256;

/** `msg.import` -> import options; throws naming the field that is wrong. */
function importOptionsOf(v: unknown): LongCsvImportOptions {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`dataset: msg.import must be an object of options, got ${describe(v)}`);
  const o = v as Record<string, unknown>;
  const known = ['label', 'segment', 'axes', 'rate', 'time', 'timeUnit', 'group'];
  const unknown = Object.keys(o).find((k) => !known.includes(k));
  if (unknown !== undefined) throw new Error(`dataset: msg.import.${unknown} is not an import option (use ${known.join(', ')})`);
  const str = (k: string): string | undefined => {
    if (o[k] === undefined || o[k] === '') return undefined;
    if (typeof o[k] !== 'string') throw new Error(`dataset: msg.import.${k} must be a column name, got ${describe(o[k])}`);
    return o[k] as string;
  };
  const cols = (k: string): string[] | undefined => {
    const x = o[k];
    if (x === undefined || x === '') return undefined;
    if (typeof x === 'string') return x.split(',').map((c) => c.trim()).filter((c) => c !== '');
    if (Array.isArray(x) && x.every((c) => typeof c === 'string')) return x as string[];
    throw new Error(`dataset: msg.import.${k} must be column names (a list or "a,b,c"), got ${describe(x)}`);
  };
  const out: LongCsvImportOptions = { label: str('label'), segment: cols('segment'), axes: cols('axes'), time: str('time'), group: str('group') };
  if (o.rate !== undefined) {
    if (!isNum(o.rate) || o.rate <= 0) throw new Error(`dataset: msg.import.rate must be a sample rate in Hz above 0, got ${describe(o.rate)}`);
    out.rate = o.rate;
  }
  if (o.timeUnit !== undefined) {
    if (o.timeUnit !== 's' && o.timeUnit !== 'ms' && o.timeUnit !== 'us') throw new Error(`dataset: msg.import.timeUnit must be "s", "ms" or "us", got ${describe(o.timeUnit)}`);
    out.timeUnit = o.timeUnit;
  }
  return out;
}

/** A file name without folder and extension. */
function baseName(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.[^.]*$/, '');
}

/** The CSV texts of an import command: a string (with msg.filename), or [{filename, payload}] for several files. */
function importFilesOf(msg: NodeMessage): Array<{ filename?: string; text: string }> | null {
  const p = msg.payload;
  const fname = typeof msg.filename === 'string' && msg.filename !== '' ? msg.filename : undefined;
  if (typeof p === 'string') return [{ filename: fname, text: p }];
  if (Array.isArray(p) && p.length > 0) {
    return p.map((f: unknown, i) => {
      const o = f as { filename?: unknown; payload?: unknown };
      if (typeof f !== 'object' || f === null || typeof o.payload !== 'string') throw new Error(`dataset: import: msg.payload[${i}] must be {filename, payload: CSV text}, got ${describe(f)}`);
      return { filename: typeof o.filename === 'string' && o.filename !== '' ? o.filename : undefined, text: o.payload };
    });
  }
  return null;
}

/** A short description of a bad value for error messages. */
function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return v === null ? 'null' : typeof v;
}

/** Why `p` is neither a window (samples × axes of finite numbers) nor a feature vector, naming where; null when it is one. */
function payloadProblem(p: unknown): string | null {
  if (!Array.isArray(p)) return `msg.payload is ${describe(p)}`;
  if (p.length === 0) return 'msg.payload is an empty array';
  if (!Array.isArray(p[0])) {
    const at = p.findIndex((v) => !isNum(v));
    return at < 0 ? null : `msg.payload[${at}] is ${describe(p[at])}`;
  }
  const width = (p[0] as unknown[]).length;
  if (width === 0) return 'msg.payload[0] is an empty sample';
  for (let i = 0; i < p.length; i++) {
    const row: unknown = p[i];
    if (!Array.isArray(row)) return `msg.payload[${i}] is ${describe(row)}, not a sample`;
    if (row.length !== width) return `msg.payload[${i}] has ${row.length} values where msg.payload[0] has ${width}`;
    const at = row.findIndex((v) => !isNum(v));
    if (at >= 0) return `msg.payload[${i}][${at}] is ${describe(row[at])}`;
  }
  return null;
}

/** The folder holding every dataset of this Node-RED instance. */
function datasetsBase(RED: NodeAPI): string {
  const userDir = typeof RED.settings.userDir === 'string' && RED.settings.userDir !== '' ? RED.settings.userDir : path.join(os.homedir(), '.node-red');
  return path.join(userDir, 'tinyml', 'datasets');
}

export = function register(RED: NodeAPI): void {
  const t = translator(RED, 'tinyml-dataset');

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
    const fixedLabel = (def.label ?? '').trim();
    // Default group: this run of the flow, so a split by group can hold out a whole session.
    const group = (def.group ?? '').trim() || `session-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    let recording = def.recording !== false;
    let closed = false;
    const rawChunk = def.rawChunk === undefined || def.rawChunk === '' ? DEFAULT_RAW_CHUNK_SAMPLES : Number(def.rawChunk);
    if (def.recordRaw === true && !(Number.isInteger(rawChunk) && rawChunk >= 1)) {
      node.status({ fill: 'red', shape: 'ring', text: t('status.badRawChunk') });
      node.error(t('error.rawChunk', { name, value: String(def.rawChunk) }));
      return;
    }
    const raw = def.recordRaw === true ? new RawSegmentRecorder(rawChunk) : null;
    /** Writes the raw chunk in progress (stop, export, redeploy). */
    const flushRaw = async (s: DatasetStore): Promise<void> => {
      const recs = raw ? raw.flush() : [];
      if (recs.length) await s.append(recs);
    };
    let store: DatasetStore | null = null;
    const opening = acquireDataset(datasetsBase(RED), name).then(
      (s) => {
        store = s;
        for (const r of s.repairs) node.warn(t('warn.repaired', { bytes: r.droppedBytes, problem: r.problem, file: r.savedAs ?? '-' }));
        refresh();
        return s;
      },
      (e: Error) => {
        node.status({ fill: 'red', shape: 'ring', text: t('status.error') });
        node.error(t('error.open', { name, message: e.message }));
        throw e;
      },
    );
    opening.catch(() => undefined);

    const refresh = (): void => {
      if (!store || closed) return;
      const counts = Object.entries(store.counts()).sort((a, b) => b[1] - a[1]);
      let text = counts.length === 0 ? t('status.empty') : counts.slice(0, 6).map(([l, n]) => `${l === '' ? t('status.unlabelled') : l} ${n}`).join(' · ');
      if (counts.length > 6) text += ' · …';
      if (!recording) text += t('status.paused');
      node.status({ fill: recording ? 'green' : 'grey', shape: recording ? 'dot' : 'ring', text });
    };

    const labelOf = (msg: NodeMessage): string | undefined => {
      if (typeof msg.label === 'string' && msg.label !== '') return msg.label;
      if (def.labelFromTopic === true && typeof msg.topic === 'string' && msg.topic !== '') return msg.topic;
      return fixedLabel !== '' ? fixedLabel : undefined;
    };

    /**
     * Input message -> record; null when it carries no window (no payload, or an inject node's
     * number or boolean); throws naming what is wrong and where for anything else.
     */
    const recordOf = (msg: NodeMessage): NewRecord | null => {
      const p = msg.payload;
      if (p === undefined || p === null || typeof p === 'number' || typeof p === 'boolean') return null;
      const problem = payloadProblem(p);
      if (problem !== null) throw new Error(t('error.payloadAt', { problem }));
      const features = isRow(msg.features) ? (msg.features as number[]) : undefined;
      const rows = p as unknown[];
      if (isRow(rows)) {
        // A flat vector (a features node's output) is stored as the record's features.
        return withMeta({ kind: 'window', time: isNum(msg.time) ? msg.time : Date.now(), axes: [], rate: null, data: [], features: rows }, msg);
      }
      const data = rows as number[][];
      const width = data[0].length;
      const axes = Array.isArray(msg.axes) && msg.axes.length === width ? msg.axes.map(String) : Array.from({ length: width }, (_, i) => `a${i}`);
      const rec: NewRecord = { kind: 'window', time: isNum(msg.time) ? msg.time : Date.now(), axes, rate: isNum(msg.rate) ? msg.rate : null, data };
      if (features) rec.features = features;
      return withMeta(rec, msg);
    };
    const withMeta = (rec: NewRecord, msg: NodeMessage): NewRecord => {
      const label = labelOf(msg);
      if (label !== undefined) rec.label = label;
      rec.group = typeof msg.group === 'string' && msg.group !== '' ? msg.group : group;
      if (isNum(msg.segment)) rec.segment = msg.segment;
      return rec;
    };

    const command = async (s: DatasetStore, msg: NodeMessage, cmd: string): Promise<NodeMessage | null> => {
      switch (cmd) {
        case 'start':
          recording = true;
          return null;
        case 'stop':
          recording = false;
          await flushRaw(s);
          return null;
        case 'delete-last': {
          const gone = await s.deleteLast();
          return { ...msg, payload: gone ? { id: gone.id, label: gone.label ?? null } : null, counts: s.counts() };
        }
        case 'clear':
          if (msg.confirm !== true) throw new Error(t('error.confirm', { name, count: s.count }));
          raw?.flush();
          await s.clear();
          return { ...msg, payload: { cleared: true }, counts: s.counts() };
        case 'counts':
          return { ...msg, payload: s.counts(), total: s.count };
        case 'import': {
          // Long-format CSV text (a file-in node's output, Edge Impulse's CSV export): one raw recording per segment.
          // Several files: msg.payload = [{filename, payload}, ...]; an Edge Impulse name <label>.<id>.csv gives the label.
          const files = importFilesOf(msg);
          if (files === null) throw new Error(t('error.importPayload', { type: describe(msg.payload) }));
          const options = importOptionsOf(msg.import);
          let count = 0;
          const axes = new Set<string>();
          const rates = new Set<number | null>();
          for (const f of files) {
            const where = f.filename !== undefined ? `${f.filename}: ` : '';
            let imported;
            try {
              imported = recordsFromLongCsv(f.text, { ...options, fileName: f.filename, defaultGroup: options.defaultGroup ?? (f.filename !== undefined ? baseName(f.filename) : undefined) });
            } catch (e) {
              throw new Error(`dataset "${name}": import ${where}${(e as Error).message}`);
            }
            for (const w of imported.warnings) node.warn(`dataset "${name}": import ${where}${w}`);
            for (let i = 0; i < imported.records.length; i += IMPORT_BATCH) await s.append(imported.records.slice(i, i + IMPORT_BATCH));
            count += imported.records.length;
            imported.axes.forEach((a) => axes.add(a));
            rates.add(imported.rate);
          }
          return { ...msg, payload: { imported: count, files: files.length, axes: [...axes], rate: rates.size === 1 ? [...rates][0] : null }, counts: s.counts() };
        }
        case 'export': {
          await flushRaw(s);
          const records = await s.readAll();
          if (msg.format === 'json') return { ...msg, payload: recordsToJson(name, records), filename: `${name}.json` };
          return { ...msg, payload: recordsToCsv(records), filename: `${name}.csv` };
        }
        default:
          throw new Error(t('error.command', { command: cmd }));
      }
    };

    // Messages are handled one after the other, so outputs keep the input order while writes are in flight.
    let chain: Promise<unknown> = opening.catch(() => undefined);
    node.on('input', (msg: NodeMessage, send, done) => {
      const job = chain
        .then(() => opening)
        .then(async (s) => {
          if (typeof msg.command === 'string' && msg.command !== '') {
            const reply = await command(s, msg, msg.command);
            refresh();
            if (reply) send(reply);
            return;
          }
          if (raw && isCaptureMessage(msg)) {
            // raw samples are recorded in chunks and not passed on (the window node gets its own wire)
            if (!recording) return;
            const first = msg.seq as number;
            const samples: RawSample[] = (samplesOfMessage(msg, Date.now()) ?? []).map((x, i) => ({ ...x, seq: first + i }));
            const axes = Array.isArray(msg.axes) ? msg.axes.map(String) : [];
            const label = labelOf(msg);
            const done = raw.push(samples, { axes, rate: isNum(msg.rate) ? msg.rate : null, label, group: typeof msg.group === 'string' && msg.group !== '' ? msg.group : group });
            if (done.length) {
              await s.append(done);
              refresh();
            }
            return;
          }
          const rec = recording ? recordOf(msg) : null;
          if (rec) {
            const [stored] = await s.append(rec);
            msg.record = { dataset: name, id: stored.id, label: stored.label ?? null, group: stored.group ?? null };
            refresh();
          }
          send(msg);
        })
        .then(
          () => done(),
          (e: Error) => {
            node.status({ fill: 'red', shape: 'ring', text: e.message.slice(0, 60) });
            done(e);
          },
        );
      chain = job;
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      // Windows already received are written before the store closes: a redeploy loses none of them.
      chain
        .catch(() => undefined)
        .then(() => opening)
        .then(async (s) => {
          await flushRaw(s).catch((e: Error) => node.error(`dataset "${name}": the last raw chunk (${raw?.pending ?? 0} samples) was not written: ${e.message}`));
          return releaseDataset(s);
        })
        .then(() => done(), () => done());
    });
  }

  RED.nodes.registerType('tinyml-dataset', TinymlDataset);

  // For editors (e.g. the train node's dataset picker): the datasets of this instance and their counts.
  RED.httpAdmin.get('/tinyml/datasets', RED.auth.needsPermission('tinyml-dataset.read'), (_req, res) => {
    const base = datasetsBase(RED);
    listDatasets(base)
      .then((names) =>
        Promise.all(
          names.map(async (n) => {
            const s = await DatasetStore.open(base, n, { readOnly: true });
            return { name: n, records: s.count, counts: s.counts() };
          }),
        ),
      )
      .then((list) => res.json(list), (e: Error) => res.status(500).json({ error: e.message }));
  });
};
