/**
 * The messages a dataset recorder takes (a window from the window node, a feature vector, a raw
 * capture message, a command) and how a window message becomes a dataset record: the payload is
 * checked and any problem named with where it is; label and group come from the message or the
 * recorder's defaults.
 */
import { DatasetMessageError } from './dataset-message-error';
import type { NewRecord } from './store';

/** The fields a dataset recorder reads; anything else is carried through to the replies untouched. */
export interface DatasetMessage {
  payload?: unknown;
  label?: unknown;
  topic?: unknown;
  group?: unknown;
  segment?: unknown;
  time?: unknown;
  axes?: unknown;
  rate?: unknown;
  features?: unknown;
  /** set by the capture node on raw sample messages */
  seq?: unknown;
  /** set by the window node on windows */
  window?: unknown;
  command?: unknown;
  confirm?: unknown;
  format?: unknown;
  import?: unknown;
  filename?: unknown;
  [key: string]: unknown;
}

/** Where a recorded record went, set as `msg.record` on the window passed on. */
export interface RecordReceipt {
  dataset: string;
  id: number;
  label: string | null;
  group: string | null;
}

/** How records are labelled and grouped when the message does not say. */
export interface Labelling {
  /** The label of windows without `msg.label` (and without a topic, when `fromTopic`); '' for none. */
  fixedLabel: string;
  /** Take `msg.topic` as the label when `msg.label` is absent (capture messages carry the board name as topic, so off by default). */
  fromTopic: boolean;
  /** The group of records without `msg.group`. */
  group: string;
}

export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRow = (r: unknown): r is number[] => Array.isArray(r) && r.every(isFiniteNumber);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** The default group: this run of the flow (`session-<ISO time>`), so a split by group can hold out a whole session. */
export function sessionGroup(start: Date): string {
  return `session-${start.toISOString().replace(/[:.]/g, '-')}`;
}

/** A capture node's sample message (it has `seq`; windows from the window node have `window`). */
export function isCaptureMessage(msg: DatasetMessage): boolean {
  return typeof msg.seq === 'number' && msg.window === undefined;
}

/** A short description of a bad value for error messages. */
export function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return v === null ? 'null' : typeof v;
}

/** Why `p` is neither a window (samples × axes of finite numbers) nor a feature vector, naming where; null when it is one. */
export function payloadProblem(p: unknown): string | null {
  if (!Array.isArray(p)) return `msg.payload is ${describe(p)}`;
  if (p.length === 0) return 'msg.payload is an empty array';
  if (!Array.isArray(p[0])) {
    const at = p.findIndex((v) => !isFiniteNumber(v));
    return at < 0 ? null : `msg.payload[${at}] is ${describe(p[at])}`;
  }
  const width = (p[0] as unknown[]).length;
  if (width === 0) return 'msg.payload[0] is an empty sample';
  for (let i = 0; i < p.length; i++) {
    const row: unknown = p[i];
    if (!Array.isArray(row)) return `msg.payload[${i}] is ${describe(row)}, not a sample`;
    if (row.length !== width) return `msg.payload[${i}] has ${row.length} values where msg.payload[0] has ${width}`;
    const at = row.findIndex((v) => !isFiniteNumber(v));
    if (at >= 0) return `msg.payload[${i}][${at}] is ${describe(row[at])}`;
  }
  return null;
}

/** `msg.label`, else `msg.topic` when labelling takes it, else the fixed label; undefined for none. */
export function labelOf(msg: DatasetMessage, l: Labelling): string | undefined {
  if (nonEmptyString(msg.label)) return msg.label;
  if (l.fromTopic && nonEmptyString(msg.topic)) return msg.topic;
  return l.fixedLabel !== '' ? l.fixedLabel : undefined;
}

/** `msg.group`, else the labelling's group. */
export function groupOf(msg: DatasetMessage, l: Labelling): string {
  return nonEmptyString(msg.group) ? msg.group : l.group;
}

/**
 * Input message -> window record; null when it carries no window (no payload, or an inject node's
 * number or boolean); throws a DatasetMessageError 'payloadAt' naming what is wrong and where for
 * anything else. `now` is the time of a message without `msg.time`.
 */
export function recordOf(msg: DatasetMessage, l: Labelling, now: number): NewRecord | null {
  const p = msg.payload;
  if (p === undefined || p === null || typeof p === 'number' || typeof p === 'boolean') return null;
  const problem = payloadProblem(p);
  if (problem !== null) throw new DatasetMessageError('payloadAt', { problem });
  const time = isFiniteNumber(msg.time) ? msg.time : now;
  if (isRow(p)) {
    // A flat vector (a features node's output) is stored as the record's features.
    return withMeta({ kind: 'window', time, axes: [], rate: null, data: [], features: p }, msg, l);
  }
  const data = p as number[][];
  const width = data[0].length;
  const axes = Array.isArray(msg.axes) && msg.axes.length === width ? msg.axes.map(String) : Array.from({ length: width }, (_, i) => `a${i}`);
  const rec: NewRecord = { kind: 'window', time, axes, rate: isFiniteNumber(msg.rate) ? msg.rate : null, data };
  if (isRow(msg.features)) rec.features = msg.features;
  return withMeta(rec, msg, l);
}

function withMeta(rec: NewRecord, msg: DatasetMessage, l: Labelling): NewRecord {
  const label = labelOf(msg, l);
  if (label !== undefined) rec.label = label;
  rec.group = groupOf(msg, l);
  if (isFiniteNumber(msg.segment)) rec.segment = msg.segment;
  return rec;
}
