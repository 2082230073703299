/**
 * The announcement line the pack's sketches and virtual boards print at start-up, a `#` comment
 * that plain serial monitors and Edge Impulse's data forwarder ignore:
 *
 *   # tinyml proto=1 board=uno rate=100 axes=ax,ay,az units=g,g,g sensor=synthetic [time=ms|us]
 *
 * `time=ms|us` says the data lines carry a leading device timestamp column that is not an axis.
 * `model=<hash>` is the hash of the model the inference sketch runs (src/codegen/sketch.ts).
 * Unknown keys are ignored so that later protocol versions stay readable.
 */

export interface Announcement {
  proto: number;
  board?: string;
  rate?: number;
  axes: string[];
  units?: string[];
  time?: 'ms' | 'us';
  sensor?: string;
  /** Hash of the model an inference sketch runs (the capture sketch has none). */
  model?: string;
}

/** The first token after `#` that marks an announcement (a result line uses `tinyml-result`). */
export const ANNOUNCEMENT_TAG = 'tinyml';

/** Either the announcement, or why a line that claims to be one is not valid. */
export type AnnouncementResult = { ok: true; announcement: Announcement } | { ok: false; error: string };

const VALUE_RE = /^[^\s,=]+$/;

function listText(key: string, items: string[]): string {
  for (const item of items) {
    if (!VALUE_RE.test(item)) throw new Error(`announcement ${key} item ${JSON.stringify(item)} must be non-empty without spaces, commas or '='`);
  }
  return `${key}=${items.join(',')}`;
}

function valueText(key: string, value: string): string {
  if (!VALUE_RE.test(value)) throw new Error(`announcement ${key} ${JSON.stringify(value)} must be non-empty without spaces, commas or '='`);
  return `${key}=${value}`;
}

/** Formats the one-line announcement; throws (a programming error) on values that cannot round-trip. */
export function formatAnnouncement(a: Announcement): string {
  const parts = [`# ${ANNOUNCEMENT_TAG}`, `proto=${a.proto}`];
  if (a.board !== undefined) parts.push(valueText('board', a.board));
  if (a.rate !== undefined) parts.push(`rate=${a.rate}`);
  if (a.axes.length > 0) parts.push(listText('axes', a.axes));
  if (a.units !== undefined && a.units.length > 0) parts.push(listText('units', a.units));
  if (a.time !== undefined) parts.push(`time=${a.time}`);
  if (a.sensor !== undefined) parts.push(valueText('sensor', a.sensor));
  if (a.model !== undefined) parts.push(valueText('model', a.model));
  return parts.join(' ');
}

/** Is this line (already known to start with optional blanks then `#`) tagged as an announcement? */
function announcementBody(line: string): string | null {
  let i = 0;
  const n = line.length;
  while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  if (line.charCodeAt(i) !== 35 /* # */) return null;
  i++;
  while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  if (!line.startsWith(ANNOUNCEMENT_TAG, i)) return null;
  const after = i + ANNOUNCEMENT_TAG.length;
  if (after < n) {
    const c = line.charCodeAt(after);
    if (c !== 32 && c !== 9 && c !== 13) return null; // `# tinyml-result`, `# tinymlx`: not ours
  }
  return line.slice(after);
}

/**
 * Parses an announcement. Returns null when the line is not an announcement at all (any other
 * text or comment), or `{ok:false,error}` naming the field when it is one but malformed.
 */
export function parseAnnouncementResult(line: string): AnnouncementResult | null {
  const body = announcementBody(line);
  if (body === null) return null;
  const fields = new Map<string, string>();
  for (const token of body.split(/[ \t\r]+/)) {
    if (token === '') continue;
    const eq = token.indexOf('=');
    if (eq <= 0) return { ok: false, error: `announcement token ${JSON.stringify(token)} is not key=value` };
    fields.set(token.slice(0, eq), token.slice(eq + 1));
  }
  const protoText = fields.get('proto');
  if (protoText === undefined) return { ok: false, error: 'announcement has no proto=N' };
  const proto = Number(protoText);
  if (!Number.isInteger(proto) || proto < 1) return { ok: false, error: `announcement proto=${protoText} is not a positive integer` };
  const a: Announcement = { proto, axes: [] };
  const list = (key: string): string[] | undefined => {
    const v = fields.get(key);
    return v === undefined ? undefined : v.split(',');
  };
  const axes = list('axes');
  if (axes !== undefined) {
    if (axes.some((x) => x === '')) return { ok: false, error: `announcement axes=${fields.get('axes')} has an empty axis name` };
    if (new Set(axes).size !== axes.length) return { ok: false, error: `announcement axes=${fields.get('axes')} repeats an axis name` };
    a.axes = axes;
  }
  const units = list('units');
  if (units !== undefined) {
    if (axes !== undefined && units.length !== axes.length) {
      return { ok: false, error: `announcement units=${fields.get('units')} has ${units.length} units for ${axes.length} axes` };
    }
    a.units = units;
  }
  const rateText = fields.get('rate');
  if (rateText !== undefined) {
    const rate = Number(rateText);
    if (!Number.isFinite(rate) || rate <= 0 || rateText.trim() === '') return { ok: false, error: `announcement rate=${rateText} is not a positive number of Hz` };
    a.rate = rate;
  }
  const time = fields.get('time');
  if (time !== undefined) {
    if (time !== 'ms' && time !== 'us') return { ok: false, error: `announcement time=${time} must be ms or us` };
    a.time = time;
  }
  const board = fields.get('board');
  if (board !== undefined && board !== '') a.board = board;
  const sensor = fields.get('sensor');
  if (sensor !== undefined && sensor !== '') a.sensor = sensor;
  const model = fields.get('model');
  if (model !== undefined) {
    if (!/^[0-9A-Za-z]{1,128}$/.test(model)) return { ok: false, error: `announcement model=${model} is not a model hash (letters and digits)` };
    a.model = model;
  }
  return { ok: true, announcement: a };
}

/** The announcement on this line, or null (not an announcement, or a malformed one). */
export function parseAnnouncement(line: string): Announcement | null {
  const r = parseAnnouncementResult(line);
  return r !== null && r.ok ? r.announcement : null;
}
