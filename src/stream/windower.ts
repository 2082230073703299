/**
 * Windowing of a sample stream: continuous sliding windows (length + stride) or triggered
 * event windows (magnitude >= threshold, with a pre-trigger part).
 *
 * Invariants:
 * - a window never contains samples of two segments (a gap, a reset, a change of `segment`
 *   or of the number of axes starts a new segment);
 * - the partial window left at the end of a segment is dropped or padded (zeros or the last
 *   sample repeated) as configured, and counted;
 * - memory is bounded: one ring buffer of `length` samples per axis.
 */
import { resolveTriggerAxes, triggerMagnitude, type TriggerOptions } from './trigger';

export type SizeUnit = 'ms' | 'samples';
export type PartialPolicy = 'drop' | 'zero' | 'edge';

export interface WindowerOptions {
  length: number;
  lengthUnit: SizeUnit;
  /** Hop between window starts (continuous mode only). */
  stride: number;
  strideUnit: SizeUnit;
  partial: PartialPolicy;
  /** When set, windows start on a trigger instead of sliding continuously. */
  trigger?: TriggerOptions;
  /** Upper bound on a window's length in samples (memory bound); default 100000. */
  maxSamples?: number;
}

/** One sample as the windower sees it (the `Sample` contract, with optional segment fields). */
export interface WindowInput {
  values: number[];
  time: number;
  segment?: number;
  gap?: boolean;
  reset?: boolean;
}

export interface StreamShape {
  axes: string[];
  rate: number | null;
}

export interface Window {
  /** samples × axes */
  data: number[][];
  axes: string[];
  rate: number | null;
  /** Time of the first sample (ms). */
  time: number;
  segment: number;
  label?: string;
  /** Running window number, from 0, over the windower's life. */
  index: number;
  /** Samples added by padding at the end (0 for a full window). */
  padded: number;
  /** Triggered mode: magnitude of the triggering sample and its position in `data`. */
  trigger?: { magnitude: number; offset: number };
}

export interface WindowerCounters {
  samples: number;
  windows: number;
  partialDropped: number;
  partialPadded: number;
  /** Samples dropped because the window size is in ms and the stream's rate is not known yet. */
  waitingForRate: number;
  segments: number;
}

export function validateWindowerOptions(o: WindowerOptions): void {
  const pos = (v: number, what: string): void => {
    if (!Number.isFinite(v) || v <= 0) throw new Error(`window ${what} must be a positive number, got ${v}`);
  };
  pos(o.length, 'length');
  if (!o.trigger) pos(o.stride, 'stride');
  if (!['ms', 'samples'].includes(o.lengthUnit) || !['ms', 'samples'].includes(o.strideUnit)) {
    throw new Error(`window units must be "ms" or "samples", got "${o.lengthUnit}"/"${o.strideUnit}"`);
  }
  if (!['drop', 'zero', 'edge'].includes(o.partial)) throw new Error(`partial window policy must be drop, zero or edge, got "${o.partial}"`);
  if (o.trigger) {
    const t = o.trigger;
    if (!Number.isFinite(t.threshold)) throw new Error(`trigger threshold must be a number, got ${t.threshold}`);
    if (!(t.preTrigger >= 0 && t.preTrigger <= 0.9)) throw new Error(`pre-trigger fraction must be within 0..0.9, got ${t.preTrigger}`);
    if (!['sumAbs', 'norm', 'maxAbs'].includes(t.magnitude)) throw new Error(`trigger magnitude must be sumAbs, norm or maxAbs, got "${t.magnitude}"`);
  }
}

/** Converts a length in the given unit to samples (at least 1); null when ms and the rate is unknown. */
export function toSamples(value: number, unit: SizeUnit, rate: number | null): number | null {
  if (unit === 'samples') return Math.max(1, Math.round(value));
  if (rate === null || !(rate > 0)) return null;
  return Math.max(1, Math.round((value * rate) / 1000));
}

export class Windower {
  readonly counters: WindowerCounters = { samples: 0, windows: 0, partialDropped: 0, partialPadded: 0, waitingForRate: 0, segments: 0 };
  private readonly opts: WindowerOptions;
  private readonly maxSamples: number;
  // Per-segment state.
  private active = false;
  private segment = 0;
  private axes: string[] = [];
  private rate: number | null = null;
  private len = 0;
  private stride = 0;
  private pre = 0;
  private trigCols: number[] = [];
  private ring: Float64Array[] = [];
  private times = new Float64Array(0);
  private head = 0; // next write position
  private n = 0; // samples in this segment
  private nextStart = 0; // continuous: first sample of the next window; triggered: start of the captured window
  private lastCovered = -1; // highest sample index already inside an emitted window
  private capturing = false;
  private trigMag = 0;
  private trigIndex = 0;
  private lastLabel: string | undefined;
  private windowIndex = 0;

  constructor(opts: WindowerOptions) {
    validateWindowerOptions(opts);
    this.opts = opts;
    this.maxSamples = opts.maxSamples ?? 100000;
  }

  /** Adds one sample; returns the windows it completes (a segment change may also flush a partial one). */
  push(s: WindowInput, stream: StreamShape, label?: string): Window[] {
    const out: Window[] = [];
    const seg = s.segment ?? (this.active ? this.segment : 0);
    if (this.active && (seg !== this.segment || s.gap === true || s.reset === true || s.values.length !== this.ring.length)) {
      out.push(...this.endSegment());
    }
    this.counters.samples++;
    if (!this.active && !this.startSegment(seg, s.values.length, stream)) {
      this.counters.waitingForRate++;
      return out;
    }
    this.lastLabel = label;
    this.write(s);
    const k = this.n - 1;
    if (this.opts.trigger) {
      if (!this.capturing) {
        const mag = triggerMagnitude(this.opts.trigger.magnitude, s.values, this.trigCols);
        if (mag >= this.opts.trigger.threshold) {
          // Pre-trigger samples come only from after the previous window: no sample is in two event windows.
          const available = Math.min(this.pre, k - (this.lastCovered + 1));
          this.capturing = true;
          this.nextStart = k - available;
          this.trigMag = mag;
          this.trigIndex = available;
        }
      }
      if (this.capturing && k - this.nextStart + 1 === this.len) {
        out.push(this.emit(this.len, 0));
        this.capturing = false;
      }
    } else if (k >= this.nextStart && k - this.nextStart + 1 === this.len) {
      out.push(this.emit(this.len, 0));
      this.nextStart += this.stride;
    }
    return out;
  }

  /** Ends the current segment (e.g. the stream stopped): the partial window is padded or dropped per config. */
  endSegment(): Window[] {
    if (!this.active) return [];
    this.active = false;
    const last = this.n - 1;
    const inWindow = this.opts.trigger ? this.capturing : last >= this.nextStart;
    if (!inWindow || last <= this.lastCovered) return [];
    const have = last - this.nextStart + 1;
    if (this.opts.partial === 'drop') {
      this.counters.partialDropped++;
      return [];
    }
    this.counters.partialPadded++;
    return [this.emit(have, this.len - have)];
  }

  /** Forgets everything buffered (counters are kept). */
  clear(): void {
    this.active = false;
    this.capturing = false;
  }

  /** Window length in samples for the current segment (0 before the first segment starts). */
  get lengthSamples(): number {
    return this.len;
  }

  private startSegment(seg: number, arity: number, stream: StreamShape): boolean {
    const len = toSamples(this.opts.length, this.opts.lengthUnit, stream.rate);
    const stride = this.opts.trigger ? 1 : toSamples(this.opts.stride, this.opts.strideUnit, stream.rate);
    if (len === null || stride === null) return false;
    if (len > this.maxSamples) throw new Error(`window of ${len} samples exceeds the limit of ${this.maxSamples} samples: shorten the window`);
    if (arity === 0) throw new Error('a sample has no values');
    this.axes = stream.axes.length === arity ? stream.axes.slice() : Array.from({ length: arity }, (_, i) => stream.axes[i] ?? `a${i}`);
    if (this.opts.trigger) {
      this.trigCols = resolveTriggerAxes(this.opts.trigger.axes, this.axes);
      this.pre = Math.min(len - 1, Math.round(this.opts.trigger.preTrigger * len));
    }
    if (this.ring.length !== arity || this.len !== len) {
      this.ring = Array.from({ length: arity }, () => new Float64Array(len));
      this.times = new Float64Array(len);
    }
    this.len = len;
    this.stride = stride;
    this.rate = stream.rate;
    this.segment = seg;
    this.active = true;
    this.capturing = false;
    this.head = 0;
    this.n = 0;
    this.nextStart = 0;
    this.lastCovered = -1;
    this.counters.segments++;
    return true;
  }

  private write(s: WindowInput): void {
    for (let a = 0; a < this.ring.length; a++) this.ring[a][this.head] = s.values[a];
    this.times[this.head] = s.time;
    this.head = (this.head + 1) % this.len;
    this.n++;
  }

  /** Builds a window from the last `have` samples, padded with `pad` samples. */
  private emit(have: number, pad: number): Window {
    const data: number[][] = [];
    let start = (this.head - have + this.len) % this.len;
    const time = this.times[start];
    for (let i = 0; i < have; i++) {
      const row = new Array<number>(this.ring.length);
      for (let a = 0; a < this.ring.length; a++) row[a] = this.ring[a][start];
      data.push(row);
      start = (start + 1) % this.len;
    }
    const fill = this.opts.partial === 'edge' && data.length > 0 ? data[data.length - 1] : null;
    for (let i = 0; i < pad; i++) data.push(fill ? fill.slice() : new Array<number>(this.ring.length).fill(0));
    this.lastCovered = this.n - 1;
    this.counters.windows++;
    const w: Window = { data, axes: this.axes.slice(), rate: this.rate, time, segment: this.segment, index: this.windowIndex++, padded: pad };
    if (this.lastLabel !== undefined) w.label = this.lastLabel;
    if (this.opts.trigger) w.trigger = { magnitude: this.trigMag, offset: this.trigIndex };
    return w;
  }
}

/** Converts a capture message (single sample or a batch) into windower inputs; errors say what is wrong. */
export function samplesOfMessage(msg: { payload?: unknown; time?: unknown; segment?: unknown; gap?: unknown; reset?: unknown; rate?: unknown }, now: number): WindowInput[] | null {
  const p = msg.payload;
  if (!Array.isArray(p) || p.length === 0) return null;
  const seg = typeof msg.segment === 'number' ? msg.segment : undefined;
  const gap = msg.gap === true;
  const reset = msg.reset === true;
  const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (p.every(isNum)) {
    const s: WindowInput = { values: p as number[], time: isNum(msg.time) ? msg.time : now };
    if (seg !== undefined) s.segment = seg;
    if (gap) s.gap = true;
    if (reset) s.reset = true;
    return [s];
  }
  if (p.every((r) => Array.isArray(r) && r.length > 0 && r.every(isNum))) {
    const rows = p as number[][];
    const times = Array.isArray(msg.time) ? (msg.time as unknown[]) : null;
    const rate = isNum(msg.rate) && msg.rate > 0 ? msg.rate : null;
    const t0 = isNum(msg.time) ? msg.time : now;
    return rows.map((values, i) => {
      const t = times && isNum(times[i]) ? times[i] : rate ? t0 + (i * 1000) / rate : t0;
      const s: WindowInput = { values, time: t };
      if (seg !== undefined) s.segment = seg;
      // A batch never spans two segments: gap/reset apply to its first sample only.
      if (i === 0 && gap) s.gap = true;
      if (i === 0 && reset) s.reset = true;
      return s;
    });
  }
  throw new Error(`${payloadProblem(p)}: msg.payload must be a sample (array of numbers) or a batch (array of arrays of numbers)`);
}

/** Where a payload that is neither a sample nor a batch goes wrong, e.g. 'msg.payload[3][1] is "x"'. */
function payloadProblem(p: unknown[]): string {
  const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v) : v === null ? 'null' : Array.isArray(v) ? `an array of ${v.length}` : typeof v === 'number' ? String(v) : typeof v);
  const ok = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
  if (!Array.isArray(p[0])) {
    const at = p.findIndex((v) => !ok(v));
    return `msg.payload[${at}] is ${show(p[at])}`;
  }
  for (let i = 0; i < p.length; i++) {
    const row = p[i];
    if (!Array.isArray(row)) return `msg.payload[${i}] is ${show(row)}, not a sample`;
    if (row.length === 0) return `msg.payload[${i}] is an empty sample`;
    const at = row.findIndex((v) => !ok(v));
    if (at >= 0) return `msg.payload[${i}][${at}] is ${show(row[at])}`;
  }
  return 'msg.payload mixes samples and numbers';
}
