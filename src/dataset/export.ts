/**
 * Dataset export: long-format CSV (one sample per row, the format `tinyml import` reads back with
 * `--segment record_id --label label --group group`) and JSON (everything, including features).
 */
import type { DatasetRecord } from './record';

/** RFC 4180 field quoting: quote when the value holds a comma, quote, CR or LF; double inner quotes. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Long CSV: `record_id,label,group,t_idx,<axes>`; axes are the union over records (empty cell when a record lacks one). */
export function recordsToCsv(records: readonly DatasetRecord[]): string {
  const axes: string[] = [];
  for (const r of records) for (const a of r.axes) if (!axes.includes(a)) axes.push(a);
  const lines = [['record_id', 'label', 'group', 't_idx', ...axes].map(csvField).join(',')];
  for (const r of records) {
    const cols = axes.map((a) => r.axes.indexOf(a));
    const head = `${r.id},${csvField(r.label ?? '')},${csvField(r.group ?? '')},`;
    r.data.forEach((row, t) => {
      lines.push(head + t + ',' + cols.map((c) => (c < 0 ? '' : String(row[c]))).join(','));
    });
  }
  return lines.join('\n') + '\n';
}

export interface DatasetJson {
  format: 'tinyml-dataset';
  version: 1;
  name: string;
  records: DatasetRecord[];
}

export function recordsToJson(name: string, records: readonly DatasetRecord[]): DatasetJson {
  return { format: 'tinyml-dataset', version: 1, name, records: records.slice() };
}
