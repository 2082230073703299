/**
 * The statistics pass of src/dsp/time-stats.ts one sample at a time, as the C twin streams it
 * (tml_features_push): the reference the engine's whole-axis pass (powerSums) is checked against.
 */
import { f32 } from '../../src/dsp/float32';
import { STAT_NAMES, centralMoments, meanCrossingCount, statValue, type StatName } from '../../src/dsp/time-stats';

export class TimeStatsAccumulator {
  private n = 0;
  private shift = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private s4 = 0;
  private min = 0;
  private max = 0;
  private prevNeg = false;
  private zeroCrossings = 0;
  /** kept only when the mean-crossing rate is requested */
  private readonly history: number[] | null;

  constructor(keepHistory: boolean) {
    this.history = keepHistory ? [] : null;
  }

  push(x: number): void {
    const neg = x < 0;
    if (this.n === 0) {
      this.shift = x;
      this.min = x;
      this.max = x;
    } else {
      if (x < this.min) this.min = x;
      if (x > this.max) this.max = x;
      if (neg !== this.prevNeg) this.zeroCrossings++;
    }
    const d = f32(x - this.shift);
    const d2 = f32(d * d);
    this.s1 = f32(this.s1 + d);
    this.s2 = f32(this.s2 + d2);
    this.s3 = f32(this.s3 + f32(d2 * d));
    this.s4 = f32(this.s4 + f32(d2 * d2));
    this.prevNeg = neg;
    this.n++;
    if (this.history) this.history.push(x);
  }

  /** The requested statistics, in the order asked. */
  result(names: readonly StatName[]): number[] {
    const c = centralMoments(this.n, this.shift, this.s1, this.s2, this.s3, this.s4);
    const mcr = names.includes('mcr') ? this.meanCrossings(c.mean) : 0;
    return names.map((name) => statValue(STAT_NAMES.indexOf(name), this.n, c, this.min, this.max, this.zeroCrossings, mcr));
  }

  private meanCrossings(mean: number): number {
    if (!this.history) throw new Error('the mean-crossing rate needs the window history: construct with keepHistory=true');
    return meanCrossingCount(this.history, this.history.length, mean);
  }
}
