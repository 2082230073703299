/**
 * The parity twin: the simulated MCU (src/mcu/simulate.ts: the same features and int8 arithmetic
 * as the firmware) fed the same samples as the device, windowed as the sketch windows them (the
 * first window after TML_WINDOW samples, then one every TML_STRIDE samples). Every device result
 * must equal the twin's for that window index: label and every int8 score.
 */
import { Artifact } from '../model/artifact';
import { McuSimulator } from '../mcu/simulate';
import type { DeviceResult } from './device-result';

export interface TwinWindow {
  win: number;
  /** The twin's int8 output and label. */
  raw: number[];
  label: string | undefined;
  /** Index of the first sample of the window in the stream since the last reset. */
  start: number;
}

export interface ParityMismatch {
  win: number;
  start: number;
  expected: { label: string | undefined; scores: number[] };
  device: { label: string; scores: number[] };
  message: string;
}

/** A sample value as the hardware-in-the-loop sketch reads it: a decimal with a mantissa below 2^24. */
export function formatHilValue(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`cannot send ${v} to the device: not a finite number`);
  for (let d = 0; d <= 7; d++) {
    const text = v.toFixed(d);
    if (Math.abs(Number(text)) * 10 ** d >= 2 ** 24) break;
    if (Number(text) === v) return text;
  }
  // Not exactly a short decimal: the most decimals that still fit the 24-bit mantissa.
  let d = 7;
  while (d > 0 && Math.abs(v) * 10 ** d >= 2 ** 24) d--;
  const text = v.toFixed(d);
  if (Math.abs(Number(text)) * 10 ** d >= 2 ** 24) throw new Error(`cannot send ${v} to the device: more than 2^24 in magnitude`);
  return text;
}

export class ParityTwin {
  readonly sim: McuSimulator;
  private ring: number[][] = [];
  private count = 0;
  private since = 0;
  private wins = 0;
  private readonly pending = new Map<number, TwinWindow>();
  matched = 0;
  readonly mismatches: ParityMismatch[] = [];

  constructor(readonly artifact: Artifact, board: string, readonly stride: number) {
    this.sim = new McuSimulator(artifact, board);
  }

  get window(): number {
    return this.artifact.input.window.length;
  }

  /** Restart windowing (the sketch's "!" command). */
  reset(): void {
    this.ring = [];
    this.count = 0;
    this.since = 0;
    this.wins = 0;
    this.pending.clear();
  }

  /** One sample (the values exactly as sent to the device); returns the twin's result when a window completes. */
  push(sample: readonly number[]): TwinWindow | null {
    this.ring.push(sample.slice());
    if (this.ring.length > this.window) this.ring.shift();
    this.count++;
    this.since++;
    if (this.ring.length < this.window || this.since < this.stride) return null;
    this.since = 0;
    const r = this.sim.run(this.ring, { requireFit: false });
    const w: TwinWindow = { win: this.wins++, raw: r.raw, label: r.label, start: this.count - this.window };
    this.pending.set(w.win, w);
    return w;
  }

  /** Compares a device result with the twin's window of the same index; null when they agree. */
  check(result: DeviceResult): ParityMismatch | null {
    const w = this.pending.get(result.win);
    if (!w) {
      const m: ParityMismatch = { win: result.win, start: -1, expected: { label: undefined, scores: [] }, device: { label: result.label, scores: result.scores },
        message: `the device reported window ${result.win}, which the twin has not computed (samples out of step)` };
      this.mismatches.push(m);
      return m;
    }
    this.pending.delete(result.win);
    const same = w.raw.length === result.scores.length && w.raw.every((v, i) => v === result.scores[i]) && (w.label === undefined || w.label === result.label);
    if (same) {
      this.matched++;
      return null;
    }
    const m: ParityMismatch = {
      win: w.win, start: w.start, expected: { label: w.label, scores: w.raw }, device: { label: result.label, scores: result.scores },
      message: `window ${w.win} (samples ${w.start}..${w.start + this.window - 1}): device ${result.label} [${result.scores.join(',')}], simulator ${w.label ?? '?'} [${w.raw.join(',')}]`,
    };
    this.mismatches.push(m);
    return m;
  }
}
