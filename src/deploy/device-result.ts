/**
 * What the inference sketch prints, read back: result lines
 *   # tinyml-result hash=<hash> win=<n> label=<label> scores=<int8,...> us=<n> feat_us=<n>
 * (labels percent-encoded by src/codegen/sketch.ts) and the model hash in its announcement.
 */
import { parseAnnouncementResult } from '../serial/announcement';
import { parseResultLine } from '../serial/result-line';

export interface DeviceResult {
  hash: string;
  /** Window index since the sketch started (or since "!" in hardware-in-the-loop mode). */
  win: number;
  label: string;
  /** The int8 output tensor. */
  scores: number[];
  /** Microseconds of quantization + model, and of the features. */
  us?: number;
  featUs?: number;
}

function decodeLabel(text: string): string {
  if (text === '%00') return '';
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The parsed result, or null when the line is not a (well-formed) result line. */
export function parseDeviceResult(line: string): DeviceResult | null {
  const kv = parseResultLine(line);
  if (!kv || kv.hash === undefined || kv.scores === undefined) return null;
  const scores = kv.scores.split(',').map(Number);
  if (scores.some((s) => !Number.isInteger(s) || s < -128 || s > 127)) return null;
  const win = kv.win === undefined ? -1 : Number(kv.win);
  if (!Number.isInteger(win)) return null;
  const num = (v: string | undefined): number | undefined => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  return { hash: kv.hash, win, label: decodeLabel(kv.label ?? ''), scores, us: num(kv.us), featUs: num(kv.feat_us) };
}

/** The model hash an announcement line carries (`model=<hash>`), '' for an announcement without one, null for other lines. */
export function announcedModel(line: string): string | null {
  const r = parseAnnouncementResult(line);
  if (r === null) return null;
  // A malformed announcement names no model we could trust.
  return r.ok ? r.announcement.model ?? '' : '';
}
