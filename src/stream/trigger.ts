/**
 * Trigger magnitude for event windows (a gesture starts when the motion is strong enough).
 *
 * The gesture recordings in this project's reference data were captured with
 * |aX|+|aY|+|aZ| >= 2.5 g (Arduino "GestureToEmoji" tutorial): that is `sumAbs` over ax,ay,az.
 */
export type TriggerMagnitude = 'sumAbs' | 'norm' | 'maxAbs';

export interface TriggerOptions {
  /** How the chosen axes are combined into one magnitude. */
  magnitude: TriggerMagnitude;
  /** Threshold on the magnitude (same units as the samples): a window starts when magnitude >= threshold. */
  threshold: number;
  /** Axis names (or indices as strings) that enter the magnitude; empty = all axes. */
  axes?: string[];
  /** Fraction of the window that lies before the triggering sample, 0..0.9. */
  preTrigger: number;
}

/** Resolves the configured axis names/indices to column indices of the stream; errors name the missing axis. */
export function resolveTriggerAxes(wanted: string[] | undefined, axes: string[]): number[] {
  if (!wanted || wanted.length === 0) return axes.map((_, i) => i);
  return wanted.map((w) => {
    const byName = axes.indexOf(w);
    if (byName >= 0) return byName;
    if (/^\d+$/.test(w) && Number(w) < Math.max(axes.length, 1)) return Number(w);
    throw new Error(`trigger axis "${w}" is not one of the stream's axes (${axes.join(', ') || 'none announced'})`);
  });
}

/** Magnitude of one sample over the given columns. */
export function triggerMagnitude(kind: TriggerMagnitude, values: ArrayLike<number>, columns: number[]): number {
  let acc = 0;
  for (const c of columns) {
    const v = values[c] ?? 0;
    if (kind === 'sumAbs') acc += Math.abs(v);
    else if (kind === 'norm') acc += v * v;
    else acc = Math.max(acc, Math.abs(v));
  }
  return kind === 'norm' ? Math.sqrt(acc) : acc;
}
