/**
 * Long-format CSV (one sample per row) -> recordings.
 *
 * Rows with the same segment value(s) that follow each other form one recording; the label column
 * names the class; the time column (optional) gives each sample's time. With no axes given, the
 * axes are the numeric columns that are not label, segment, time or index columns.
 * CSV syntax: RFC 4180 (double-quoted fields, "" escapes a quote), CRLF or LF line ends.
 */

export interface LongCsvOptions {
  axes?: string[];
  label?: string;
  segment?: string[];
  time?: string;
}

export interface LongCsvRecording {
  /** Segment values joined by '/' (or the recording's ordinal when no segment columns). */
  key: string;
  label?: string;
  /** Segment column values. */
  fields: Record<string, string>;
  times?: number[];
  samples: number[][];
}

export interface LongCsv {
  axes: string[];
  recordings: LongCsvRecording[];
}

/** Columns that count samples or name things rather than measure them (t_idx, sample_id, rep_id, index...). */
const INDEX_COLUMN = /(^|_)(idx|index|id|no|num|seq)$/i;

/** Splits CSV text into rows of fields (RFC 4180). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte order mark
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\n' || c === '\r') {
      row.push(field); field = '';
      if (!(row.length === 1 && row[0] === '')) rows.push(row);
      row = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c; i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
  }
  return rows;
}

function isNumeric(s: string): boolean {
  const t = s.trim();
  return t !== '' && Number.isFinite(Number(t));
}

function columnIndex(header: string[], name: string, role: string): number {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`long CSV: the ${role} column '${name}' is not in the header (columns: ${header.join(', ')})`);
  return i;
}

/** Reads a long-format CSV; throws an error naming the row/column at fault. */
export function readLongCsv(text: string, opts: LongCsvOptions = {}): LongCsv {
  const rows = parseCsv(text);
  if (rows.length === 0) throw new Error('long CSV: the file is empty (a header row is needed)');
  const header = rows[0].map((h) => h.trim());
  const body = rows.slice(1);
  const segment = opts.segment ?? [];
  const segIdx = segment.map((s) => columnIndex(header, s, 'segment'));
  const labelIdx = opts.label !== undefined ? columnIndex(header, opts.label, 'label') : -1;
  const timeIdx = opts.time !== undefined ? columnIndex(header, opts.time, 'time') : -1;

  let axes: string[];
  if (opts.axes && opts.axes.length > 0) {
    axes = opts.axes;
  } else {
    const excluded = new Set<number>([...segIdx, labelIdx, timeIdx]);
    axes = header.filter((name, i) => {
      if (excluded.has(i) || INDEX_COLUMN.test(name)) return false;
      // Numeric in the first data row that has this field (a column of text is a label-like column).
      const first = body.find((r) => r[i] !== undefined && r[i].trim() !== '');
      return first !== undefined && isNumeric(first[i]);
    });
    if (axes.length === 0) {
      throw new Error(`long CSV: no numeric sensor columns found (columns: ${header.join(', ')}): name them with axes`);
    }
  }
  const axisIdx = axes.map((a) => columnIndex(header, a, 'axis'));

  const recordings: LongCsvRecording[] = [];
  let current: LongCsvRecording | null = null;
  let currentKey: string | null = null;
  for (let r = 0; r < body.length; r++) {
    const row = body[r];
    const line = r + 2; // 1-based, after the header
    const segValues = segIdx.map((i) => (row[i] ?? '').trim());
    const key = segValues.join('/');
    if (current === null || key !== currentKey) {
      const fields: Record<string, string> = {};
      segment.forEach((s, k) => { fields[s] = segValues[k]; });
      current = { key: segIdx.length > 0 ? key : String(recordings.length), fields, samples: [] };
      if (labelIdx >= 0) current.label = (row[labelIdx] ?? '').trim();
      if (timeIdx >= 0) current.times = [];
      recordings.push(current);
      currentKey = key;
    }
    const values = new Array<number>(axisIdx.length);
    for (let k = 0; k < axisIdx.length; k++) {
      const cell = row[axisIdx[k]];
      if (cell === undefined || !isNumeric(cell)) {
        throw new Error(`long CSV line ${line}: column '${axes[k]}' is ${cell === undefined ? 'missing' : `'${cell}', not a number`}`);
      }
      values[k] = Number(cell);
    }
    current.samples.push(values);
    if (timeIdx >= 0 && current.times) {
      const cell = row[timeIdx];
      if (cell === undefined || !isNumeric(cell)) {
        throw new Error(`long CSV line ${line}: time column '${opts.time}' is ${cell === undefined ? 'missing' : `'${cell}', not a number`}`);
      }
      current.times.push(Number(cell));
    }
  }
  return { axes, recordings };
}

/**
 * A unit from a column-name suffix (aX_g -> g, gX_dps -> dps, gyro_x_rad_s -> rad/s), or undefined.
 * Used to announce units when replaying a recording.
 */
export function unitFromColumn(name: string): string | undefined {
  const m = /_(g|dps|rad_s|m_s2|ms2|deg|degc|c|ut|hpa|pa|v|mv|a|ma|lux|pct)$/i.exec(name);
  if (!m) return undefined;
  const u = m[1].toLowerCase();
  if (u === 'rad_s') return 'rad/s';
  if (u === 'm_s2' || u === 'ms2') return 'm/s2';
  return u;
}

/** The axis name without its unit suffix, lower case (aX_g -> ax). */
export function axisNameFromColumn(name: string): string {
  const unit = /_(g|dps|rad_s|m_s2|ms2|deg|degc|c|ut|hpa|pa|v|mv|a|ma|lux|pct)$/i.exec(name);
  const base = unit ? name.slice(0, unit.index) : name;
  return base.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
