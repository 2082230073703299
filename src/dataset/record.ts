/**
 * The dataset record format: one record per line, `<crc32 as 8 hex digits> <JSON>\n`.
 *
 * The CRC covers the JSON bytes, so a record torn by a crash (no newline, or a checksum that
 * does not match) is recognised and everything from it on is cut off by the loader. Lines are
 * plain text on purpose: a user can inspect a dataset with `less` and recover it by hand.
 */
import { crc32Hex } from './crc32';

export const RECORD_FORMAT_VERSION = 1;

export type RecordKind = 'window' | 'recording';

export interface DatasetRecord {
  /** Positive integer, unique within the dataset, increasing in file order. */
  id: number;
  /** `window`: one labelled window from the flow; `recording`: a raw segment (e.g. from `tinyml import`), windowed at training. */
  kind: RecordKind;
  label?: string;
  /** Recording session or person: group splits keep one group on one side. */
  group?: string;
  /** Time of the first sample, ms (epoch or stream clock). */
  time: number;
  axes: string[];
  /** Unit per axis ('' when unknown), e.g. g, dps. */
  units?: string[];
  rate: number | null;
  /** samples × axes */
  data: number[][];
  features?: number[];
  /** Source columns that identified the recording (e.g. recorder_id, rep_id). */
  fields?: Record<string, string>;
  segment?: number;
}

/** Marks an earlier record as deleted (append-only deletion). */
export interface Tombstone {
  kind: 'delete';
  id: number;
  time: number;
}

export type DatasetEntry = DatasetRecord | Tombstone;

export function encodeEntry(entry: DatasetEntry): Buffer {
  const json = Buffer.from(JSON.stringify({ v: RECORD_FORMAT_VERSION, ...entry }), 'utf8');
  return Buffer.concat([Buffer.from(crc32Hex(json) + ' ', 'ascii'), json, Buffer.from('\n', 'ascii')]);
}

export interface ScannedEntry {
  entry: DatasetEntry;
  offset: number;
  length: number;
}

export interface ScanResult {
  entries: ScannedEntry[];
  /** Bytes from the start that hold only complete, valid records. */
  validBytes: number;
  /** Why the scan stopped before the end of the buffer (undefined when the whole buffer is valid). */
  problem?: string;
}

const NEWLINE = 0x0a;

/** Scans records from the start; stops at the first torn or invalid one (everything after it is the torn tail). */
export function scanEntries(buf: Buffer): ScanResult {
  const entries: ScannedEntry[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(NEWLINE, pos);
    if (nl < 0) return { entries, validBytes: pos, problem: `incomplete last record at byte ${pos} (${buf.length - pos} bytes without a line end)` };
    const entry = decodeLine(buf, pos, nl);
    if (typeof entry === 'string') return { entries, validBytes: pos, problem: `${entry} at byte ${pos}` };
    entries.push({ entry, offset: pos, length: nl + 1 - pos });
    pos = nl + 1;
  }
  return { entries, validBytes: pos };
}

/** Decodes one line (without its newline); returns an error string when it is not a valid record. */
export function decodeLine(buf: Buffer, start: number, end: number): DatasetEntry | string {
  if (end - start < 10 || buf[start + 8] !== 0x20) return 'malformed record';
  const want = buf.toString('ascii', start, start + 8);
  if (crc32Hex(buf, start + 9, end) !== want) return 'checksum mismatch';
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString('utf8', start + 9, end));
  } catch {
    return 'unparsable record';
  }
  return validateEntry(parsed);
}

function validateEntry(o: unknown): DatasetEntry | string {
  if (typeof o !== 'object' || o === null) return 'record is not an object';
  const r = o as Record<string, unknown>;
  if (!Number.isInteger(r.id) || (r.id as number) <= 0) return 'record without a positive integer id';
  delete r.v;
  if (r.kind === 'delete') return r as unknown as Tombstone;
  if (r.kind !== 'window' && r.kind !== 'recording') return `unknown record kind ${JSON.stringify(r.kind)}`;
  if (!Array.isArray(r.axes) || !Array.isArray(r.data)) return 'record without axes or data';
  return r as unknown as DatasetRecord;
}
