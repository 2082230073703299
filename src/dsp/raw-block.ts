/**
 * The raw block: the (scaled, optionally filtered) window flattened sample-major
 * ([t0 axis0, t0 axis1, ..., t1 axis0, ...], the layout a Conv1D input expects), optionally
 * decimated by an integer factor D by AVERAGING each run of D consecutive samples (a box-car
 * anti-alias filter, not picking); a trailing incomplete run is dropped. Float32 step by step:
 *   acc = ((x0 + x1) + ...) ; out = acc / D
 */
import { f32 } from './float32';

export interface RawBlockConfig {
  /** integer decimation factor >= 1 (default 1: every sample) */
  decimate?: number;
}

export function rawOutputLength(windowLength: number, decimate: number): number {
  return Math.floor(windowLength / decimate);
}

/** signals[axis][t] (float32, preprocessed) -> flattened, decimated values. */
export function rawBlock(signals: readonly (Float32Array | Float64Array)[], decimate: number): number[] {
  const axes = signals.length;
  const len = axes ? rawOutputLength(signals[0].length, decimate) : 0;
  const out = new Array<number>(len * axes);
  for (let a = 0; a < axes; a++) {
    const x = signals[a];
    for (let j = 0; j < len; j++) {
      let acc = 0;
      for (let i = 0; i < decimate; i++) acc = f32(acc + x[j * decimate + i]);
      out[j * axes + a] = f32(acc / decimate);
    }
  }
  return out;
}
