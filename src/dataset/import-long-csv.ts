/**
 * Long-format CSV -> dataset records. Each recording (rows with the same segment values) becomes
 * ONE raw `recording` record; training windows recordings itself, so one import serves any
 * window length. Axis names are normalised (aX_g -> ax), matching what a replay board announces.
 */
import { readLongCsv, axisNameFromColumn, unitFromColumn } from '../io/long-csv';
import type { NewRecord } from './store';

export interface LongCsvImportOptions {
  label?: string;
  segment?: string[];
  axes?: string[];
  /** Sample rate in Hz; else estimated from the time column; else unknown (null). */
  rate?: number;
  time?: string;
  timeUnit?: 's' | 'ms' | 'us';
  /** Column giving the group (session/person); default: the first segment column. */
  group?: string;
  /** Group when there is no group or segment column (e.g. the file name). */
  defaultGroup?: string;
  /** Name of the file the text came from: an Edge Impulse name `<label>.<id>.csv` gives the label when no label column is named. */
  fileName?: string;
}

/**
 * The label in an Edge Impulse export file name, `<label>.<sample id>.csv` (e.g. `wave.2hhmlk4v.csv`,
 * `idle.s12.csv`; the id may itself hold dots): the text before the first dot; undefined for a
 * name without two dots (`gestures.csv`).
 */
export function edgeImpulseLabel(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const m = /^([^.]+)\.[^/\\]+\.csv$/i.exec(base);
  return m ? m[1] : undefined;
}

export interface LongCsvImport {
  records: NewRecord[];
  axes: string[];
  columns: string[];
  rate: number | null;
  warnings: string[];
}

const MS_PER_UNIT = { s: 1000, ms: 1, us: 0.001 };

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function recordsFromLongCsv(text: string, o: LongCsvImportOptions): LongCsvImport {
  const segment = o.segment ?? [];
  const groupCol = o.group ?? segment[0];
  const withGroup = groupCol !== undefined && !segment.includes(groupCol) ? [...segment, groupCol] : segment;
  // The group column is read as an extra segment column: a group change also ends a recording.
  const warnings: string[] = [];
  // Edge Impulse's CSV format: a first column named "timestamp", in ms. Without --time it would
  // otherwise be taken for a sensor axis.
  if (o.time === undefined && firstHeaderCell(text) === 'timestamp' && !(o.axes ?? []).includes('timestamp')) {
    o = { ...o, time: 'timestamp' };
    warnings.push("took the first column 'timestamp' as the sample time in ms (Edge Impulse CSV format); give --time to choose another");
  }
  const csv = readLongCsv(text, { axes: o.axes, label: o.label, segment: withGroup, time: o.time });
  const scale = MS_PER_UNIT[o.timeUnit ?? 'ms'];
  let rate: number | null = o.rate ?? null;
  if (rate === null && o.time !== undefined) {
    const diffs: number[] = [];
    for (const r of csv.recordings) {
      const t = r.times ?? [];
      for (let i = 1; i < t.length; i++) if (t[i] > t[i - 1]) diffs.push((t[i] - t[i - 1]) * scale);
    }
    if (diffs.length > 0) rate = 1000 / median(diffs);
    else warnings.push(`the time column '${o.time}' never increases: the sample rate is unknown (give --rate)`);
  }
  if (rate === null && o.time === undefined) warnings.push('no --rate and no --time column: the sample rate is unknown, so windows in ms cannot be cut from this dataset until it is given');
  const axes = csv.axes.map(axisNameFromColumn);
  const units = csv.axes.map((c) => unitFromColumn(c) ?? '');
  const fileLabel = o.label === undefined && o.fileName !== undefined ? edgeImpulseLabel(o.fileName) : undefined;
  const records: NewRecord[] = csv.recordings.map((r) => {
    const rec: NewRecord = { kind: 'recording', time: r.times && r.times.length ? r.times[0] * scale : 0, axes, rate, data: r.samples };
    if (r.label !== undefined && r.label !== '') rec.label = r.label;
    else if (fileLabel !== undefined) rec.label = fileLabel;
    const group = groupCol !== undefined ? r.fields[groupCol] : o.defaultGroup;
    if (group !== undefined && group !== '') rec.group = group;
    const fields: Record<string, string> = {};
    for (const s of segment) fields[s] = r.fields[s];
    if (segment.length) rec.fields = fields;
    if (units.some((u) => u !== '')) rec.units = units;
    return rec;
  });
  if (records.length === 0) warnings.push('the file holds no data rows');
  return { records, axes, columns: csv.axes, rate, warnings };
}

/** The first header field, unquoted and trimmed ('' when the file is empty). */
function firstHeaderCell(text: string): string {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const m = /^"?([^",\r\n]*)"?/.exec(text.slice(start, start + 256));
  return m ? m[1].trim() : '';
}
