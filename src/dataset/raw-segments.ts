/**
 * Raw capture samples -> `recording` records in chunks of at most `maxSamples` samples, so a
 * long stream never holds more than one chunk in memory. A chunk ends (and becomes a record) when
 * it is full, when the capture segment changes or a gap/reset is flagged, when the label, group,
 * axes or rate change, and on flush() (stop, redeploy). Chunks of one segment carry
 * `segment`, `fields.part` (0, 1, ... within the segment) and `fields.seq` (the capture sequence
 * number of their first sample, when known), so they can be joined back in order.
 */
import type { NewRecord } from './store';

export interface RawSample {
  values: number[];
  time: number;
  segment?: number;
  seq?: number;
  gap?: boolean;
  reset?: boolean;
}

export interface RawContext {
  axes: string[];
  rate: number | null;
  label?: string;
  group?: string;
}

interface Chunk {
  ctx: RawContext;
  segment: number | undefined;
  part: number;
  seq: number | undefined;
  time: number;
  data: number[][];
}

export const DEFAULT_RAW_CHUNK_SAMPLES = 1000;

export class RawSegmentRecorder {
  private chunk: Chunk | null = null;
  /** part number of the next chunk of the current segment */
  private nextPart = 0;
  private lastSegment: number | undefined = undefined;

  constructor(readonly maxSamples: number = DEFAULT_RAW_CHUNK_SAMPLES) {
    if (!Number.isInteger(maxSamples) || maxSamples < 1) throw new Error(`raw chunk size must be a positive whole number of samples, got ${maxSamples}`);
  }

  /** Samples held in memory, not yet on disk. */
  get pending(): number {
    return this.chunk ? this.chunk.data.length : 0;
  }

  /** Adds samples in stream order; returns the chunks they completed (to append to the store). */
  push(samples: readonly RawSample[], ctx: RawContext): NewRecord[] {
    const done: NewRecord[] = [];
    for (const s of samples) {
      const c = this.chunk;
      const newSegment = s.segment !== this.lastSegment || s.gap === true || s.reset === true;
      if (c && (newSegment || !sameContext(c.ctx, ctx) || c.data[0].length !== s.values.length)) done.push(...this.flush());
      if (newSegment) this.nextPart = 0;
      this.lastSegment = s.segment;
      if (!this.chunk) this.chunk = { ctx: { ...ctx, axes: [...ctx.axes] }, segment: s.segment, part: this.nextPart++, seq: s.seq, time: s.time, data: [] };
      this.chunk.data.push(s.values.slice());
      if (this.chunk.data.length >= this.maxSamples) done.push(...this.flush());
    }
    return done;
  }

  /** The chunk in progress as a record ([] when there is none); the next sample starts a new part. */
  flush(): NewRecord[] {
    const c = this.chunk;
    if (!c) return [];
    this.chunk = null;
    const width = c.data[0].length;
    const axes = c.ctx.axes.length === width ? c.ctx.axes : Array.from({ length: width }, (_, i) => `a${i}`);
    const rec: NewRecord = { kind: 'recording', time: c.time, axes, rate: c.ctx.rate, data: c.data };
    if (c.ctx.label !== undefined) rec.label = c.ctx.label;
    if (c.ctx.group !== undefined) rec.group = c.ctx.group;
    if (c.segment !== undefined) rec.segment = c.segment;
    rec.fields = { part: String(c.part), ...(c.seq !== undefined ? { seq: String(c.seq) } : {}) };
    return [rec];
  }
}

function sameContext(a: RawContext, b: RawContext): boolean {
  return a.label === b.label && a.group === b.group && a.rate === b.rate && a.axes.length === b.axes.length && a.axes.every((x, i) => x === b.axes[i]);
}
