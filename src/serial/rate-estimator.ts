/**
 * Sample-rate estimation robust to jitter, dropped lines and bursts.
 *
 * Method: a Theil–Sen style slope of sample index against time (Theil 1950; Sen, "Estimates of
 * the regression coefficient based on Kendall's tau", JASA 1968), restricted to the pairs
 * (i, i+h) with h = n/4 over a sliding window of the last n ≤ 256 samples: the period is the
 * median of (t[i+h] − t[i]) / (k[i+h] − k[i]).
 * - Jitter: each pair spans h periods, so per-sample jitter is divided by h, then a median is taken.
 * - A burst after a stall (host times from USB/serial buffering): burst samples are late, which
 *   biases pairs that end in the burst low and pairs that start in it high, in equal numbers;
 *   the median of the clean pairs wins while the burst is under about a third of the window.
 * - A dropped line or a gap touches at most h of the n−h pairs (a third): the median ignores them.
 *   With device timestamps (`indexFromTime`), the index k also advances by round(Δt / period),
 *   so lost samples do not bend the line at all.
 * `restart()` (a device reset) empties the window; the previous estimate stays until the new run
 * has `minPoints` samples.
 */
export interface RateEstimatorOptions {
  /** Samples kept (default 256). */
  window?: number;
  /** Samples needed before the first estimate, and after a restart (default 32). */
  minPoints?: number;
  /** Times are device timestamps: advance the index by the number of periods elapsed. */
  indexFromTime?: boolean;
}

export class RateEstimator {
  private readonly size: number;
  private readonly minPoints: number;
  private readonly indexFromTime: boolean;
  private readonly times: Float64Array;
  private readonly index: Float64Array;
  private readonly scratch: Float64Array;
  private readonly work: Float64Array;
  private head = 0; // next write position
  private n = 0;
  private k = 0;
  private lastTime = 0;
  private sinceUpdate = 0;
  private period: number | null = null;

  constructor(opts: RateEstimatorOptions = {}) {
    this.size = Math.max(8, opts.window ?? 256);
    this.minPoints = Math.min(this.size, Math.max(4, opts.minPoints ?? 32));
    this.indexFromTime = opts.indexFromTime ?? false;
    this.times = new Float64Array(this.size);
    this.index = new Float64Array(this.size);
    this.scratch = new Float64Array(this.size);
    this.work = new Float64Array(this.size);
  }

  /** Estimated period in ms, null until enough samples. */
  get periodMs(): number | null {
    return this.period;
  }

  /** Estimated rate in Hz, null until enough samples. */
  get rateHz(): number | null {
    return this.period === null || this.period <= 0 ? null : 1000 / this.period;
  }

  /** Samples in the current window. */
  get points(): number {
    return this.n;
  }

  /** Records one sample at `timeMs` (non-decreasing within a run). */
  add(timeMs: number): void {
    if (this.n > 0) {
      let step = 1;
      if (this.indexFromTime && this.period !== null && this.period > 0) {
        step = Math.max(1, Math.round((timeMs - this.lastTime) / this.period));
      }
      this.k += step;
    } else {
      this.k = 0;
    }
    this.lastTime = timeMs;
    this.times[this.head] = timeMs;
    this.index[this.head] = this.k;
    this.head = this.head + 1 === this.size ? 0 : this.head + 1;
    if (this.n < this.size) this.n++;
    this.sinceUpdate++;
    // Recompute on every sample while young, then every 32 samples: a full window moves little.
    if (this.n >= this.minPoints && (this.n < 64 || this.sinceUpdate >= 32)) this.update();
  }

  /** A device reset: later samples do not continue the earlier line. */
  restart(): void {
    this.n = 0;
    this.head = 0;
    this.sinceUpdate = 0;
  }

  private update(): void {
    this.sinceUpdate = 0;
    const n = this.n;
    const h = Math.max(1, n >> 2);
    const first = this.n < this.size ? 0 : this.head; // oldest sample's slot
    let m = 0;
    for (let j = 0; j + h < n; j++) {
      let a = first + j;
      if (a >= this.size) a -= this.size;
      let b = a + h;
      if (b >= this.size) b -= this.size;
      const dk = this.index[b] - this.index[a];
      const dt = this.times[b] - this.times[a];
      if (dk > 0) this.scratch[m++] = dt / dk;
    }
    if (m === 0) return;
    const slope = median(this.scratch, m);
    if (!(slope > 0)) return;
    // Refine: least squares over the points near the robust line. The median alone cannot average
    // quantised host times (USB frames), a least-squares fit can; rejecting points farther than
    // 3 scaled MADs (Rousseeuw & Croux, JASA 1993: 1.4826·MAD estimates σ) keeps bursts out.
    for (let j = 0; j < n; j++) {
      let a = first + j;
      if (a >= this.size) a -= this.size;
      this.scratch[j] = this.times[a] - this.times[first] - (this.index[a] - this.index[first]) * slope;
    }
    this.work.set(this.scratch.subarray(0, n));
    const mid = median(this.work, n);
    for (let j = 0; j < n; j++) this.scratch[j] = Math.abs(this.scratch[j] - mid);
    this.work.set(this.scratch.subarray(0, n));
    const mad = median(this.work, n);
    if (mad === 0) {
      this.period = slope; // most points lie exactly on the line: clean timestamps
      return;
    }
    const limit = 3 * 1.4826 * mad;
    let sk = 0;
    let st = 0;
    let used = 0;
    for (let j = 0; j < n; j++) {
      if (this.scratch[j] > limit) continue;
      let a = first + j;
      if (a >= this.size) a -= this.size;
      sk += this.index[a] - this.index[first];
      st += this.times[a] - this.times[first];
      used++;
    }
    if (used < n / 2) {
      this.period = slope;
      return;
    }
    const mk = sk / used;
    const mt = st / used;
    let sxy = 0;
    let sxx = 0;
    for (let j = 0; j < n; j++) {
      if (this.scratch[j] > limit) continue;
      let a = first + j;
      if (a >= this.size) a -= this.size;
      const dk = this.index[a] - this.index[first] - mk;
      sxy += dk * (this.times[a] - this.times[first] - mt);
      sxx += dk * dk;
    }
    this.period = sxx > 0 && sxy > 0 ? sxy / sxx : slope;
  }
}

/** Median of the first m values (reorders them). Quickselect: O(m), and far faster here than TypedArray sort. */
export function median(values: Float64Array, m: number): number {
  const k = m >> 1;
  const upper = select(values, m, k);
  if (m % 2 === 1) return upper;
  let lower = values[0];
  for (let i = 1; i < k; i++) if (values[i] > lower) lower = values[i];
  return (lower + upper) / 2;
}

/** The k-th smallest of the first m values; afterwards values[0..k) ≤ values[k] (Hoare's FIND, CACM 1961). */
function select(a: Float64Array, m: number, k: number): number {
  let lo = 0;
  let hi = m - 1;
  while (hi > lo) {
    // Median of three as the pivot keeps sorted and nearly constant input linear.
    const mid = (lo + hi) >> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
