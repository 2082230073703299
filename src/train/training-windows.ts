/**
 * Training examples: dataset records (labelled windows from the flow, or raw recordings from
 * `tinyml import`) -> equal-length windows with label and group. Recordings are cut with a
 * sliding window; windows never span two recordings.
 */
import type { DatasetRecord } from '../dataset/record';

export interface TrainingWindow {
  /** samples × axes */
  data: number[][];
  label?: string;
  group?: string;
  /** Index of the record it came from (windows of one recording are never split apart). */
  source: number;
}

export interface WindowSet {
  windows: TrainingWindow[];
  axes: string[];
  rate: number;
  length: number;
  /** Samples between window starts within a recording. */
  stride: number;
  warnings: string[];
}

export class TrainInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainInputError';
  }
}

export interface RecordLike {
  kind?: DatasetRecord['kind'];
  data: number[][];
  axes?: string[];
  rate?: number | null;
  label?: string;
  group?: string;
}

/** Common axes and rate of the records, or an error naming the first record that differs. */
export function commonShape(records: readonly RecordLike[], fallback: { axes?: string[]; rate?: number } = {}): { axes: string[]; rate: number } {
  if (records.length === 0) throw new TrainInputError('no training data: the dataset holds no records');
  const axes = records[0].axes ?? fallback.axes ?? records[0].data[0]?.map((_, i) => `a${i}`) ?? [];
  const rate = records[0].rate ?? fallback.rate ?? null;
  if (rate === null || !(rate > 0)) throw new TrainInputError('the sample rate of the data is unknown: give --rate when importing, or send msg.rate with the windows');
  records.forEach((r, i) => {
    const a = r.axes ?? axes;
    if (a.join(',') !== axes.join(',')) throw new TrainInputError(`record ${i} has axes ${a.join(',')}, the first has ${axes.join(',')}: train on one sensor layout at a time`);
    const rr = r.rate ?? rate;
    if (Math.abs(rr - rate) > rate * 0.02) throw new TrainInputError(`record ${i} was sampled at ${rr} Hz, the first at ${rate} Hz: resample or split the dataset`);
  });
  return { axes, rate };
}

/**
 * Default window and stride from the recordings: short recordings (gestures, events: up to 3 s)
 * are windowed whole at the shortest one's length; long ones in 2 s windows (at most 512 samples)
 * with 50% overlap, the usual choice for continuous motion (Edge Impulse's default is 2 s).
 */
export function defaultWindowing(records: readonly RecordLike[], rate: number): { length: number; stride: number } {
  const lengths = records.map((r) => r.data.length).sort((a, b) => a - b);
  const shortest = lengths[0];
  const median = lengths[lengths.length >> 1];
  if (median <= 3 * rate) {
    const length = Math.max(8, Math.min(shortest, 512));
    return { length, stride: Math.max(1, Math.round(length / 2)) };
  }
  const length = Math.max(8, Math.min(Math.round(2 * rate), 512, shortest));
  return { length, stride: Math.max(1, Math.round(length / 2)) };
}

/** Cuts every record into windows of `length` samples every `stride` samples. */
export function windowRecords(records: readonly RecordLike[], shape: { axes: string[]; rate: number }, length: number, stride: number): WindowSet {
  if (!Number.isInteger(length) || length < 2) throw new TrainInputError(`window length must be at least 2 samples, got ${length}`);
  if (!Number.isInteger(stride) || stride < 1) throw new TrainInputError(`stride must be at least 1 sample, got ${stride}`);
  const windows: TrainingWindow[] = [];
  const warnings: string[] = [];
  let tooShort = 0;
  records.forEach((r, source) => {
    if (r.data.length < length) {
      tooShort++;
      return;
    }
    for (let start = 0; start + length <= r.data.length; start += stride) {
      windows.push({ data: r.data.slice(start, start + length), label: r.label, group: r.group, source });
      // A labelled window record is one example, whatever the stride.
      if (r.kind === 'window') break;
    }
  });
  if (tooShort) warnings.push(`${tooShort} of ${records.length} records are shorter than the window (${length} samples) and were left out`);
  if (windows.length === 0) throw new TrainInputError(`no record is as long as the window (${length} samples at ${shape.rate} Hz): choose a shorter window`);
  return { windows, axes: shape.axes, rate: shape.rate, length, stride, warnings };
}
