/**
 * The `import` command's message: long-format CSV text in `msg.payload` (with `msg.filename`), or
 * several files as `[{filename, payload}, ...]`, and the options in `msg.import` (those of
 * `tinyml import`). Errors name the field that is wrong.
 */
import { describe, isFiniteNumber, type DatasetMessage } from './dataset-message';
import type { LongCsvImportOptions } from './import-long-csv';

export interface ImportFile {
  filename?: string;
  text: string;
}

const OPTIONS = ['label', 'segment', 'axes', 'rate', 'time', 'timeUnit', 'group'] as const;

/** `msg.import` -> import options; throws naming the field that is wrong. */
export function importOptionsOf(v: unknown): LongCsvImportOptions {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`dataset: msg.import must be an object of options, got ${describe(v)}`);
  const o = v as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !(OPTIONS as readonly string[]).includes(k));
  if (unknown !== undefined) throw new Error(`dataset: msg.import.${unknown} is not an import option (use ${OPTIONS.join(', ')})`);
  const column = (k: string): string | undefined => {
    const x = o[k];
    if (x === undefined || x === '') return undefined;
    if (typeof x !== 'string') throw new Error(`dataset: msg.import.${k} must be a column name, got ${describe(x)}`);
    return x;
  };
  const columns = (k: string): string[] | undefined => {
    const x = o[k];
    if (x === undefined || x === '') return undefined;
    if (typeof x === 'string') return x.split(',').map((c) => c.trim()).filter((c) => c !== '');
    if (Array.isArray(x) && x.every((c): c is string => typeof c === 'string')) return x;
    throw new Error(`dataset: msg.import.${k} must be column names (a list or "a,b,c"), got ${describe(x)}`);
  };
  const out: LongCsvImportOptions = { label: column('label'), segment: columns('segment'), axes: columns('axes'), time: column('time'), group: column('group') };
  if (o.rate !== undefined) {
    if (!isFiniteNumber(o.rate) || o.rate <= 0) throw new Error(`dataset: msg.import.rate must be a sample rate in Hz above 0, got ${describe(o.rate)}`);
    out.rate = o.rate;
  }
  if (o.timeUnit !== undefined) {
    if (o.timeUnit !== 's' && o.timeUnit !== 'ms' && o.timeUnit !== 'us') throw new Error(`dataset: msg.import.timeUnit must be "s", "ms" or "us", got ${describe(o.timeUnit)}`);
    out.timeUnit = o.timeUnit;
  }
  return out;
}

/**
 * The CSV texts of an import command: a string (with msg.filename), or [{filename, payload}] for
 * several files; null when msg.payload is neither. Throws naming a malformed entry by its index.
 */
export function importFilesOf(msg: DatasetMessage): ImportFile[] | null {
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

/** A file name without folder and extension: the group of a file's recordings when no group column is named. */
export function fileGroup(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.[^.]*$/, '');
}
