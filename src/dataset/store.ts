/**
 * The crash-safe, append-only dataset store.
 *
 * Layout of `<base>/<name>/`:
 * - `records.jsonl`  records and tombstones, one per line (see record.ts), appended only;
 * - `dataset.json`   format marker, written once at creation (temp file + rename + fsync of the folder);
 * - `repair.log`     one JSON line per torn tail cut off at open; `torn-<time>.bin` keeps the cut bytes.
 *
 * Durability: each `append()` call is ONE positional write of all its records followed by one
 * fdatasync; its promise resolves only after that. A process killed mid-write loses at most the
 * records of the call in progress (the flow appends one window per call). A failed write (ENOSPC,
 * EIO) is undone by truncating back to the previous end, so the file always ends on a record
 * boundary. Clear and compaction never rewrite in place: they write a temp file, fsync it,
 * rename it over `records.jsonl` and fsync the folder.
 */
import fs from 'fs';
import path from 'path';
import { assertInsideBase, datasetDir, datasetNameProblem } from './dataset-name';
import { encodeEntry, scanEntries, decodeLine, type DatasetRecord, type DatasetEntry, type RecordKind } from './record';

export const RECORDS_FILE = 'records.jsonl';
export const META_FILE = 'dataset.json';
export const REPAIR_LOG = 'repair.log';
/** Torn bytes larger than this are not kept beside the dataset (the repair log still says how many were cut). */
const MAX_SAVED_TORN_BYTES = 16 * 1024 * 1024;

export class DatasetError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

/** A record to append: the store assigns the id. */
export type NewRecord = Omit<DatasetRecord, 'id'>;

export interface RecordSummary {
  id: number;
  kind: RecordKind;
  label?: string;
  group?: string;
  time: number;
  samples: number;
  offset: number;
  length: number;
}

export interface RepairNote {
  time: string;
  offset: number;
  droppedBytes: number;
  problem: string;
  savedAs?: string;
}

/** Positional write; replaceable only to inject faults the test machine cannot cause (see tests). */
export type WriteFn = (fh: fs.promises.FileHandle, buf: Buffer, offset: number, length: number, position: number) => Promise<number>;

export interface OpenOptions {
  /** Create the dataset when it does not exist (default true). */
  create?: boolean;
  /** Scan only: no repair, no writes (appending throws). */
  readOnly?: boolean;
  /** fdatasync after every append (default true); false only for throwaway data (benchmarks). */
  sync?: boolean;
  write?: WriteFn;
}

const defaultWrite: WriteFn = async (fh, buf, offset, length, position) => (await fh.write(buf, offset, length, position)).bytesWritten;

function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

async function fsyncDir(dir: string): Promise<void> {
  const h = await fs.promises.open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Writes `data` to `file` atomically: temp file, fsync, rename, fsync of the folder. */
export async function writeFileAtomic(file: string, data: Buffer | string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  const h = await fs.promises.open(tmp, 'w');
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
  await fs.promises.rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

export class DatasetStore {
  /** Repairs made when this store was opened (empty when the file was intact). */
  readonly repairs: RepairNote[] = [];
  /** Read-only open only: the problem a writable open would repair. */
  pendingRepair?: string;
  private fh: fs.promises.FileHandle | null = null;
  private size = 0;
  private live: RecordSummary[] = [];
  private nextId = 1;
  private labelCounts = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly writeFn: WriteFn;
  private readonly sync: boolean;

  private constructor(
    readonly name: string,
    readonly dir: string,
    private readonly readOnly: boolean,
    opts: OpenOptions,
  ) {
    this.writeFn = opts.write ?? defaultWrite;
    this.sync = opts.sync ?? true;
  }

  static async open(baseDir: string, name: string, opts: OpenOptions = {}): Promise<DatasetStore> {
    const dir = datasetDir(baseDir, name);
    const file = path.join(dir, RECORDS_FILE);
    const exists = fs.existsSync(file);
    if (!exists) {
      if (opts.readOnly || opts.create === false) throw new DatasetError(`dataset "${name}" does not exist in ${path.resolve(baseDir)}`, 'ENOENT');
      await fs.promises.mkdir(dir, { recursive: true });
    }
    assertInsideBase(baseDir, dir);
    const store = new DatasetStore(name, dir, opts.readOnly === true, opts);
    if (!exists) await store.create();
    await store.load();
    return store;
  }

  get file(): string {
    return path.join(this.dir, RECORDS_FILE);
  }

  /** Live records (deleted ones excluded), in file order. */
  summaries(): readonly RecordSummary[] {
    return this.live;
  }

  get count(): number {
    return this.live.length;
  }

  /** Number of live records per label (unlabelled records count under ""). */
  counts(): Record<string, number> {
    return Object.fromEntries(this.labelCounts);
  }

  /** Appends records with one write and one fdatasync; resolves with them, ids assigned. */
  append(records: NewRecord | NewRecord[]): Promise<DatasetRecord[]> {
    const list = Array.isArray(records) ? records : [records];
    return this.enqueue(async () => {
      const fh = this.writable();
      const stored: DatasetRecord[] = [];
      const parts: Buffer[] = [];
      let id = this.nextId;
      for (const r of list) {
        const rec = { id: id++, ...r } as DatasetRecord;
        checkRecord(rec);
        stored.push(rec);
        parts.push(encodeEntry(rec));
      }
      const buf = Buffer.concat(parts);
      const at = this.size;
      await this.writeAt(fh, buf, `record${list.length > 1 ? 's' : ''} ${this.nextId}${list.length > 1 ? `..${id - 1}` : ''}`);
      let off = at;
      stored.forEach((rec, i) => {
        this.addLive(rec, off, parts[i].length);
        off += parts[i].length;
      });
      this.nextId = id;
      return stored;
    });
  }

  /** Deletes the newest live record by appending a tombstone; resolves with it, or null when empty. */
  deleteLast(): Promise<RecordSummary | null> {
    return this.enqueue(async () => {
      const fh = this.writable();
      const last = this.live[this.live.length - 1];
      if (!last) return null;
      await this.writeAt(fh, encodeEntry({ kind: 'delete', id: last.id, time: Date.now() }), `the deletion of record ${last.id}`);
      this.live.pop();
      this.bump(last.label, -1);
      return last;
    });
  }

  /** Removes every record: an empty file replaces the old one atomically. */
  clear(): Promise<void> {
    return this.enqueue(async () => {
      this.writable();
      await this.replaceFile(Buffer.alloc(0));
      this.live = [];
      this.labelCounts.clear();
      this.nextId = 1;
    });
  }

  /** Rewrites the file without tombstones and deleted records (atomic replace); ids are kept. */
  compact(): Promise<void> {
    return this.enqueue(async () => {
      this.writable();
      const parts: Buffer[] = [];
      for (const s of this.live) parts.push(await this.readRaw(s));
      await this.replaceFile(Buffer.concat(parts));
      await this.load();
    });
  }

  /** Reads one live record in full. */
  async read(summary: RecordSummary): Promise<DatasetRecord> {
    const raw = await this.readRaw(summary);
    const e = decodeLine(raw, 0, raw.length - 1);
    if (typeof e === 'string' || e.kind === 'delete') throw new DatasetError(`dataset "${this.name}": record ${summary.id} is unreadable (${typeof e === 'string' ? e : 'tombstone'})`);
    return e;
  }

  /** All live records in file order (loads the data of every record). */
  async readAll(): Promise<DatasetRecord[]> {
    const buf = await fs.promises.readFile(this.file);
    return this.live.map((s) => {
      const e = decodeLine(buf, s.offset, s.offset + s.length - 1);
      if (typeof e === 'string' || e.kind === 'delete') throw new DatasetError(`dataset "${this.name}": record ${s.id} is unreadable`);
      return e;
    });
  }

  /** Waits for pending writes and closes the file. */
  async close(): Promise<void> {
    await this.enqueue(async () => {
      if (this.fh) await this.fh.close();
      this.fh = null;
    });
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private writable(): fs.promises.FileHandle {
    if (this.readOnly) throw new DatasetError(`dataset "${this.name}" was opened read-only`);
    if (!this.fh) throw new DatasetError(`dataset "${this.name}" is closed`);
    return this.fh;
  }

  private async create(): Promise<void> {
    await writeFileAtomic(path.join(this.dir, META_FILE), JSON.stringify({ format: 'tinyml-dataset', version: 1, name: this.name, created: new Date().toISOString() }, null, 2) + '\n');
    const h = await fs.promises.open(this.file, 'a');
    await h.sync();
    await h.close();
    await fsyncDir(this.dir);
  }

  private async load(): Promise<void> {
    if (this.fh) await this.fh.close();
    this.fh = null;
    const buf = await fs.promises.readFile(this.file);
    const scan = scanEntries(buf);
    if (scan.problem) {
      if (this.readOnly) this.pendingRepair = scan.problem;
      else await this.repairTail(buf, scan.validBytes, scan.problem);
    }
    this.live = [];
    this.labelCounts.clear();
    this.nextId = 1;
    const index = new Map<number, number>();
    for (const { entry, offset, length } of scan.entries) this.applyEntry(entry, offset, length, index);
    this.size = scan.validBytes;
    if (!this.readOnly) this.fh = await fs.promises.open(this.file, 'r+');
  }

  private applyEntry(entry: DatasetEntry, offset: number, length: number, index: Map<number, number>): void {
    if (entry.kind === 'delete') {
      const at = index.get(entry.id);
      if (at === undefined) return;
      const [gone] = this.live.splice(at, 1);
      this.bump(gone.label, -1);
      index.delete(entry.id);
      for (const [id, i] of index) if (i > at) index.set(id, i - 1);
      return;
    }
    index.set(entry.id, this.live.length);
    this.addLive(entry, offset, length);
    this.nextId = Math.max(this.nextId, entry.id + 1);
  }

  private addLive(r: DatasetRecord, offset: number, length: number): void {
    const s: RecordSummary = { id: r.id, kind: r.kind, time: r.time, samples: r.data.length, offset, length };
    if (r.label !== undefined) s.label = r.label;
    if (r.group !== undefined) s.group = r.group;
    this.live.push(s);
    this.bump(r.label, 1);
  }

  private bump(label: string | undefined, d: number): void {
    const k = label ?? '';
    const n = (this.labelCounts.get(k) ?? 0) + d;
    if (n > 0) this.labelCounts.set(k, n);
    else this.labelCounts.delete(k);
  }

  /** Cuts the torn tail off: keeps the cut bytes beside the dataset and notes it in repair.log. */
  private async repairTail(buf: Buffer, validBytes: number, problem: string): Promise<void> {
    const dropped = buf.length - validBytes;
    const stamp = new Date().toISOString();
    const note: RepairNote = { time: stamp, offset: validBytes, droppedBytes: dropped, problem };
    if (dropped <= MAX_SAVED_TORN_BYTES) {
      const saved = `torn-${stamp.replace(/[:.]/g, '-')}-${validBytes}.bin`;
      await writeFileAtomic(path.join(this.dir, saved), buf.subarray(validBytes));
      note.savedAs = saved;
    }
    await fs.promises.appendFile(path.join(this.dir, REPAIR_LOG), JSON.stringify(note) + '\n');
    const h = await fs.promises.open(this.file, 'r+');
    try {
      await h.truncate(validBytes);
      await h.sync();
    } finally {
      await h.close();
    }
    this.repairs.push(note);
  }

  private async writeAt(fh: fs.promises.FileHandle, buf: Buffer, what: string): Promise<void> {
    const at = this.size;
    try {
      let done = 0;
      while (done < buf.length) {
        const n = await this.writeFn(fh, buf, done, buf.length - done, at + done);
        if (n <= 0) throw new DatasetError('the write made no progress', 'EIO');
        done += n;
      }
      if (this.sync) await fh.datasync();
      this.size = at + buf.length;
    } catch (e) {
      // Undo a partial write so the file still ends on a record boundary; earlier records are untouched.
      await fh.truncate(at).catch(() => undefined);
      const code = errCode(e);
      const why = code === 'ENOSPC' ? 'the disk is full (ENOSPC)' : `${(e as Error).message}`;
      throw new DatasetError(`dataset "${this.name}": could not save ${what} to ${this.file}: ${why}; the ${this.live.length} records saved before are intact`, code);
    }
  }

  private async readRaw(s: RecordSummary): Promise<Buffer> {
    const h = this.fh ?? (await fs.promises.open(this.file, 'r'));
    try {
      const buf = Buffer.alloc(s.length);
      await h.read(buf, 0, s.length, s.offset);
      return buf;
    } finally {
      if (h !== this.fh) await h.close();
    }
  }

  private async replaceFile(content: Buffer): Promise<void> {
    const tmp = `${this.file}.tmp-${process.pid}`;
    try {
      await writeFileAtomic(this.file, content);
    } catch (e) {
      await fs.promises.rm(tmp, { force: true });
      const code = errCode(e);
      throw new DatasetError(`dataset "${this.name}": could not rewrite ${this.file}: ${code === 'ENOSPC' ? 'the disk is full (ENOSPC)' : (e as Error).message}; the old file is unchanged`, code);
    }
    if (this.fh) await this.fh.close();
    this.fh = await fs.promises.open(this.file, 'r+');
    this.size = content.length;
  }
}

function checkRecord(r: DatasetRecord): void {
  const where = `record ${r.id}${r.label !== undefined ? ` (label "${r.label}")` : ''}`;
  if (r.kind !== 'window' && r.kind !== 'recording') throw new DatasetError(`${where}: kind must be "window" or "recording"`);
  if (!Array.isArray(r.axes) || !r.axes.every((a) => typeof a === 'string')) throw new DatasetError(`${where}: axes must be a list of names`);
  if (!Array.isArray(r.data)) throw new DatasetError(`${where}: data must be samples × axes`);
  for (let i = 0; i < r.data.length; i++) {
    const row = r.data[i];
    if (!Array.isArray(row) || row.length !== r.axes.length) throw new DatasetError(`${where}: sample ${i} has ${Array.isArray(row) ? row.length : 0} values for ${r.axes.length} axes`);
    for (const v of row) if (typeof v !== 'number' || !Number.isFinite(v)) throw new DatasetError(`${where}: sample ${i} holds a value that is not a finite number`);
  }
  if (r.features !== undefined && !(Array.isArray(r.features) && r.features.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
    throw new DatasetError(`${where}: features must be finite numbers`);
  }
  if (r.data.length === 0 && (r.features?.length ?? 0) === 0) throw new DatasetError(`${where}: neither data nor features`);
}

/** Names of the datasets under `baseDir` (folders holding a records file), sorted. */
export async function listDatasets(baseDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(baseDir);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return [];
    throw e;
  }
  return names.filter((n) => datasetNameProblem(n) === null && fs.existsSync(path.join(baseDir, n, RECORDS_FILE))).sort();
}

/** Shared stores per folder within this process, so two nodes naming one dataset write through one store. */
const shared = new Map<string, { store: Promise<DatasetStore>; refs: number }>();

export function acquireDataset(baseDir: string, name: string): Promise<DatasetStore> {
  const dir = datasetDir(baseDir, name);
  let e = shared.get(dir);
  if (!e) {
    e = { store: DatasetStore.open(baseDir, name), refs: 0 };
    shared.set(dir, e);
    e.store.catch(() => shared.delete(dir));
  }
  e.refs++;
  return e.store;
}

export async function releaseDataset(store: DatasetStore): Promise<void> {
  const e = shared.get(store.dir);
  if (!e) return store.close();
  if (--e.refs > 0) return;
  shared.delete(store.dir);
  await store.close();
}
