/**
 * Records a flow's messages into one opened dataset store: windows and feature vectors become
 * `window` records, raw capture samples (when raw recording is on) `recording` records in chunks,
 * and commands (start, stop, delete-last, clear with confirm, counts, import, export) are obeyed.
 * Messages are handled strictly one after the other, in the order given, so replies keep the
 * input order while writes are in flight, and close() writes everything received before it.
 */
import { DatasetMessageError } from './dataset-message-error';
import { describe, groupOf, isCaptureMessage, isFiniteNumber, labelOf, recordOf, type DatasetMessage, type Labelling, type RecordReceipt } from './dataset-message';
import { recordsToCsv, recordsToJson } from './export';
import { recordsFromLongCsv, type LongCsvImport } from './import-long-csv';
import { fileGroup, importFilesOf, importOptionsOf } from './import-message';
import { RawSegmentRecorder, type RawSample } from './raw-segments';
import { releaseDataset, type DatasetStore } from './store';
import { samplesOfMessage } from '../stream/windower';

/** Recordings appended per write + fdatasync by the import command (as `tinyml import` does). */
export const IMPORT_BATCH = 256;

export interface DatasetRecorderOptions {
  labelling: Labelling;
  /** Record from the start (else wait for a `start` command). */
  recording: boolean;
  /** Samples per raw chunk record; null: raw capture messages are not recorded as such. */
  rawChunk: number | null;
  /** Non-fatal notes (e.g. an import's skipped rows). */
  warn?: (message: string) => void;
  /** The clock for windows without `msg.time` (tests). */
  now?: () => number;
}

/** `delete-last` reply payload: the record deleted, null when the dataset was empty. */
export interface DeletedRecord {
  id: number;
  label: string | null;
}

/** `import` reply payload. */
export interface ImportSummary {
  imported: number;
  files: number;
  axes: string[];
  /** null when the files differ in rate or have none */
  rate: number | null;
}

export class DatasetRecorder {
  private isRecording: boolean;
  private readonly raw: RawSegmentRecorder | null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  constructor(
    readonly store: DatasetStore,
    private readonly options: DatasetRecorderOptions,
  ) {
    this.isRecording = options.recording;
    this.raw = options.rawChunk === null ? null : new RawSegmentRecorder(options.rawChunk);
    this.now = options.now ?? Date.now;
  }

  get name(): string {
    return this.store.name;
  }

  /** False after a `stop` command: windows are passed on unrecorded and raw samples dropped. */
  get recording(): boolean {
    return this.isRecording;
  }

  /** Raw samples held in memory, not yet on disk. */
  get pendingRawSamples(): number {
    return this.raw?.pending ?? 0;
  }

  /**
   * Handles one message after every message given before it. Resolves to the message to pass on
   * (the window itself with `msg.record`, or a command's reply), or null (a raw sample, start,
   * stop); rejects naming what was wrong (a DatasetMessageError for refused messages).
   */
  handle<M extends DatasetMessage>(msg: M): Promise<(M & DatasetMessage) | null> {
    const job = this.queue.then(() => this.handleNow(msg));
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Writes what was received before (messages queued, the raw chunk in progress) and releases the store. */
  async close(): Promise<void> {
    await this.queue;
    const pending = this.pendingRawSamples;
    try {
      await this.flushRaw();
    } catch (e) {
      throw new Error(`dataset "${this.name}": the last raw chunk (${pending} samples) was not written: ${(e as Error).message}`);
    } finally {
      await releaseDataset(this.store);
    }
  }

  private async handleNow<M extends DatasetMessage>(msg: M): Promise<(M & DatasetMessage) | null> {
    if (typeof msg.command === 'string' && msg.command !== '') return this.command(msg, msg.command);
    if (this.raw && isCaptureMessage(msg)) {
      // Raw samples are recorded in chunks and not passed on (the window node gets its own wire).
      if (this.isRecording) await this.recordRaw(this.raw, msg);
      return null;
    }
    const rec = this.isRecording ? recordOf(msg, this.options.labelling, this.now()) : null;
    if (rec) {
      const [stored] = await this.store.append(rec);
      const receipt: RecordReceipt = { dataset: this.name, id: stored.id, label: stored.label ?? null, group: stored.group ?? null };
      (msg as DatasetMessage).record = receipt;
    }
    return msg;
  }

  private async recordRaw(raw: RawSegmentRecorder, msg: DatasetMessage): Promise<void> {
    const first = msg.seq as number;
    const samples: RawSample[] = (samplesOfMessage(msg, this.now()) ?? []).map((x, i) => ({ ...x, seq: first + i }));
    const l = this.options.labelling;
    const ctx = { axes: Array.isArray(msg.axes) ? msg.axes.map(String) : [], rate: isFiniteNumber(msg.rate) ? msg.rate : null, label: labelOf(msg, l), group: groupOf(msg, l) };
    const done = raw.push(samples, ctx);
    if (done.length) await this.store.append(done);
  }

  /** Writes the raw chunk in progress (stop, export, close). */
  private async flushRaw(): Promise<void> {
    const recs = this.raw ? this.raw.flush() : [];
    if (recs.length) await this.store.append(recs);
  }

  private async command<M extends DatasetMessage>(msg: M, cmd: string): Promise<(M & DatasetMessage) | null> {
    const s = this.store;
    switch (cmd) {
      case 'start':
        this.isRecording = true;
        return null;
      case 'stop':
        this.isRecording = false;
        await this.flushRaw();
        return null;
      case 'delete-last': {
        const gone = await s.deleteLast();
        const payload: DeletedRecord | null = gone ? { id: gone.id, label: gone.label ?? null } : null;
        return { ...msg, payload, counts: s.counts() };
      }
      case 'clear':
        if (msg.confirm !== true) throw new DatasetMessageError('confirm', { name: this.name, count: s.count });
        // The chunk in progress belongs to what is cleared.
        this.raw?.flush();
        await s.clear();
        return { ...msg, payload: { cleared: true }, counts: s.counts() };
      case 'counts':
        return { ...msg, payload: s.counts(), total: s.count };
      case 'import':
        return { ...msg, payload: await this.importCsv(msg), counts: s.counts() };
      case 'export': {
        await this.flushRaw();
        const records = await s.readAll();
        if (msg.format === 'json') return { ...msg, payload: recordsToJson(this.name, records), filename: `${this.name}.json` };
        return { ...msg, payload: recordsToCsv(records), filename: `${this.name}.csv` };
      }
      default:
        throw new DatasetMessageError('command', { command: cmd });
    }
  }

  /**
   * Long-format CSV text (a file-in node's output, Edge Impulse's CSV export): one raw recording
   * per segment, file after file. An Edge Impulse name <label>.<id>.csv gives the label.
   */
  private async importCsv(msg: DatasetMessage): Promise<ImportSummary> {
    const files = importFilesOf(msg);
    if (files === null) throw new DatasetMessageError('importPayload', { type: describe(msg.payload) });
    const options = importOptionsOf(msg.import);
    let count = 0;
    const axes = new Set<string>();
    const rates = new Set<number | null>();
    for (const f of files) {
      const where = f.filename !== undefined ? `${f.filename}: ` : '';
      let imported: LongCsvImport;
      try {
        imported = recordsFromLongCsv(f.text, { ...options, fileName: f.filename, defaultGroup: f.filename !== undefined ? fileGroup(f.filename) : undefined });
      } catch (e) {
        throw new Error(`dataset "${this.name}": import ${where}${(e as Error).message}`);
      }
      for (const w of imported.warnings) this.options.warn?.(`dataset "${this.name}": import ${where}${w}`);
      for (let i = 0; i < imported.records.length; i += IMPORT_BATCH) await this.store.append(imported.records.slice(i, i + IMPORT_BATCH));
      count += imported.records.length;
      imported.axes.forEach((a) => axes.add(a));
      rates.add(imported.rate);
    }
    return { imported: count, files: files.length, axes: [...axes], rate: rates.size === 1 ? [...rates][0] : null };
  }
}
