/**
 * Turns serial text lines into samples: axes, timestamps, sequence numbers, segments (gaps and
 * resets), rate estimate, and counted drops. Pure: no port, no timers, no Node-RED.
 *
 * Decisions (see docs/serial-protocol.md):
 * - Axes come from the announcement, else the configured axes, else JSON / name:value names, else
 *   a0..aN-1 from the first data line. Every later line must carry that many values ('arity').
 * - Timestamp column: 'ms' / 'us' / 'none' as configured; an announcement's `time=` (or its
 *   absence) overrides that, since the device knows what it prints. 'auto' without an
 *   announcement holds the first DETECT_LINES numeric lines and takes column 0 as a timestamp
 *   when it is a non-negative, strictly increasing integer in all of them while no other column
 *   is, and its span matches host time as ms or µs (see detectTimestamp).
 * - Held lines are not lost: once the layout is decided they are emitted in order, each with its
 *   own host time, as if that layout had been known from the start (push returns the first of the
 *   samples a line releases, next() the rest). An announcement while lines are held decides the
 *   layout: the held lines are emitted with it, or dropped as 'arity' when their value count does
 *   not fit it. A line of another value count (or a keyed, one-value or configured-count line)
 *   makes the held lines noise: they are dropped as 'arity'. While held they count as ignored.
 * - Gaps: with device time, a step over 1.5 periods (one lost sample makes 2 periods, and
 *   ±50% jitter cannot reach 1.5); with host time only, a silence over max(5 periods, 200 ms),
 *   because USB and OS buffering routinely delay lines by tens of ms. No period known, no gap.
 *   Device time going backwards (not a 32-bit counter wrap) is a reset.
 * - An announcement that differs from the previous one starts a new segment (reset): another
 *   sketch runs. The same announcement again (the capture sketch answers '?' with it) does not.
 * - After markReset(), lines are ignored until an announcement or a valid data line of the
 *   established arity (or, with no arity yet or a different one, two consecutive data lines of
 *   the same arity): the first line may be a fragment, and boot text may precede the sketch.
 */
import { Sample, StreamInfo } from '../stream/sample';
import { Announcement } from './announcement';
import { LineKind, LineParser } from './line-parser';
import { RateEstimator } from './rate-estimator';

export type TimestampMode = 'auto' | 'none' | 'ms' | 'us';

export interface CaptureStreamOptions {
  timestamp?: TimestampMode;
  axes?: string[];
  /** Longer lines are dropped as tooLong (default 4096, the splitter's default). */
  maxLineBytes?: number;
}

export interface CaptureCounters {
  accepted: number;
  dropped: { malformed: number; binary: number; tooLong: number; arity: number };
  /** Lines neither emitted nor counted as errors: announcements, comments, empty lines, boot lines after a reset, lines held for timestamp detection (until emitted or dropped). */
  ignored: number;
  gaps: number;
  resets: number;
}

export type DropKind = keyof CaptureCounters['dropped'];

/** Numeric lines examined by timestamp detection in 'auto' mode. */
export const DETECT_LINES = 8;

const TWO_32 = 4294967296;

type Layout = 'none' | 'ms' | 'us' | 'detect';
type AxesSource = 'announcement' | 'config' | 'names' | 'default' | null;

/** A numeric line held for timestamp detection, kept whole so that it can be emitted later. */
interface HeldLine {
  line: string;
  values: Float64Array;
  host: number;
  /** markReset() was called just before this line arrived. */
  resetBefore: boolean;
}

export class CaptureStream {
  onWarning?: (kind: string, message: string) => void;
  readonly counters: CaptureCounters = {
    accepted: 0,
    dropped: { malformed: 0, binary: 0, tooLong: 0, arity: 0 },
    ignored: 0,
    gaps: 0,
    resets: 0,
  };

  private readonly parser = new LineParser();
  private readonly configMode: TimestampMode;
  private readonly configAxes: string[] | null;
  private readonly maxLineBytes: number;
  private readonly warned = new Set<string>();
  private streamInfo: StreamInfo = { axes: [], rate: null };
  private axesSource: AxesSource = null;
  private layout: Layout;
  private estimator: RateEstimator;

  private seq = 0;
  private segment = 0;
  private lastTime = -Infinity;
  private lastHost = -Infinity;
  private lastRaw = 0; // last device timestamp, raw units, unwrapped
  private wrapOffset = 0; // raw units added after 32-bit counter wraps
  private timeOffset = 0; // ms added to device time so that time stays monotonic across resets
  private haveDevice = false;
  private pendingReset = false;
  /** After markReset: waiting for the first trustworthy line. */
  private syncing = false;
  private announcementKey: string | null = null;
  private syncCandidate = -1; // arity of the previous valid line while syncing
  private held: HeldLine[] = [];
  private resetWhileHolding = false;
  /** Samples released at once (held lines), handed out by push then next(); readyAt is the next one. */
  private ready: Sample[] = [];
  private readyAt = 0;

  constructor(opts: CaptureStreamOptions = {}) {
    this.configMode = opts.timestamp ?? 'auto';
    this.maxLineBytes = opts.maxLineBytes ?? 4096;
    this.configAxes = opts.axes !== undefined && opts.axes.length > 0 ? opts.axes.slice() : null;
    if (this.configAxes !== null) this.setAxes(this.configAxes, 'config');
    this.layout = this.configMode === 'auto' ? 'detect' : this.configMode;
    this.estimator = this.newEstimator();
  }

  get info(): StreamInfo {
    return this.streamInfo;
  }

  /** The rate to give downstream: the measured rate, or the device's announced rate until one is measured. */
  get sampleRate(): number | null {
    return this.streamInfo.rate ?? this.streamInfo.announcedRate ?? null;
  }

  /** Lines held for timestamp detection (at most DETECT_LINES). */
  get heldLines(): number {
    return this.held.length;
  }

  /** The port (re)opened or the device reset: the next sample starts a new segment with reset=true. */
  markReset(): void {
    this.syncing = true;
    this.syncCandidate = -1;
    if (this.counters.accepted > 0) this.pendingReset = true;
    if (this.held.length > 0) this.resetWhileHolding = true; // applied when the held lines are emitted
  }

  /** Counts a drop that happened before a line reached push (e.g. the splitter's over-long lines). */
  noteDropped(kind: DropKind, message?: string): void {
    this.counters.dropped[kind]++;
    this.warn(kind, message ?? DEFAULT_MESSAGES[kind]);
  }

  /**
   * Parses one line received at host time `hostTimeMs`; returns the first sample now ready, or
   * null. A line that ends timestamp detection releases the held lines' samples at once: call
   * next() until it returns null to take the rest (left untaken, they come out of later pushes,
   * still in order).
   */
  push(line: string, hostTimeMs: number): Sample | null {
    const s = this.lineSample(line, hostTimeMs);
    if (this.readyAt === this.ready.length) return s;
    if (s !== null) this.ready.push(s);
    return this.next();
  }

  /** The next sample released by the last push, or null when there is none. */
  next(): Sample | null {
    if (this.readyAt === this.ready.length) return null;
    const s = this.ready[this.readyAt++];
    if (this.readyAt === this.ready.length) {
      this.ready = [];
      this.readyAt = 0;
    }
    return s;
  }

  private lineSample(line: string, hostTimeMs: number): Sample | null {
    if (line.length > this.maxLineBytes) {
      this.noteDropped('tooLong', `dropped a line of ${line.length} characters (limit ${this.maxLineBytes}): the device is not sending one sample per line`);
      return null;
    }
    const p = this.parser;
    const kind: LineKind = p.parse(line);
    switch (kind) {
      case 'numbers':
        return this.numeric(line, hostTimeMs);
      case 'named':
        return this.named(line, hostTimeMs);
      case 'announcement':
        this.counters.ignored++;
        this.announce(p.announcement as Announcement);
        return null;
      case 'empty':
      case 'comment':
      case 'result':
        this.counters.ignored++;
        return null;
      case 'malformed':
      case 'binary':
        if (this.syncing) {
          this.counters.ignored++; // boot noise before the sketch runs is expected
          this.syncCandidate = -1;
          return null;
        }
        this.noteDropped(kind, `dropped ${kind === 'binary' ? 'a binary line' : 'a malformed line'} ${preview(line)}: ${p.error}`);
        return null;
    }
  }

  private numeric(line: string, host: number): Sample | null {
    const p = this.parser;
    if (this.layout === 'detect') {
      if (this.syncing && !this.syncOk(p.count, true)) return null;
      return this.detect(line, host);
    }
    if (this.syncing) {
      const count = this.layout === 'ms' || this.layout === 'us' ? p.count - 1 : p.count;
      if (count < 1) return this.ignoreWhileSyncing();
      if (!this.syncOk(count, false)) return null;
    }
    return this.row(line, p.values, p.count, host);
  }

  /** One numeric line's `n` values under the decided layout: a sample, or null when dropped. */
  private row(line: string, src: Float64Array, n: number, host: number): Sample | null {
    const timed = this.layout === 'ms' || this.layout === 'us';
    const count = timed ? n - 1 : n;
    if (count < 1) {
      this.noteDropped('arity', `dropped ${preview(line)}: it has no value after the timestamp column`);
      return null;
    }
    if (this.axesSource === null) this.setAxes(defaultAxes(count), 'default');
    if (count !== this.streamInfo.axes.length) return this.arity(line, count);
    const values = new Array<number>(count);
    const off = timed ? 1 : 0;
    for (let i = 0; i < count; i++) values[i] = src[i + off];
    return timed ? this.emitDevice(values, src[0], host) : this.emitHost(values, host);
  }

  private named(line: string, host: number): Sample | null {
    const p = this.parser;
    const names = p.names;
    if (this.syncing && !this.syncOk(p.count, false)) return null;
    if (this.layout === 'detect') {
      this.setLayout('none'); // keyed lines carry no timestamp column
      // Held lines of the same count come first, as plain numeric samples; others were noise.
      if (this.heldCount() !== p.count) this.dropHeld(p.count);
      else this.release();
    }
    if (this.axesSource === null || (this.axesSource === 'default' && sameLength(names, this.streamInfo.axes))) {
      this.setAxes(names.slice(), 'names');
    }
    const axes = this.streamInfo.axes;
    // Established from keys: the same key set; from an announcement or config: a selection of keys.
    if (this.axesSource === 'names' && names.length !== axes.length) return this.arity(line, names.length);
    const values = new Array<number>(axes.length);
    for (let a = 0; a < axes.length; a++) {
      const at = names[a] === axes[a] ? a : names.indexOf(axes[a]);
      if (at < 0) {
        this.noteDropped('arity', `dropped ${preview(line)}: it has no value for axis ${JSON.stringify(axes[a])} (axes ${axes.join(',')})`);
        return null;
      }
      values[a] = p.values[at];
    }
    return this.emitHost(values, host);
  }

  private arity(line: string, count: number): null {
    this.noteDropped(
      'arity',
      `dropped ${preview(line)}: ${count} values where the stream has ${this.streamInfo.axes.length} axes (${this.streamInfo.axes.join(',')}); check that the sketch prints one whole sample per line`,
    );
    return null;
  }

  /** While syncing: is this data line trustworthy? Ignores it (and returns false) otherwise. */
  private syncOk(count: number, raw: boolean): boolean {
    // Established: the axes, or while detecting the held lines' count (they will set the axes).
    const established = raw ? this.heldCount() : this.axesSource !== null ? this.streamInfo.axes.length : -1;
    if (count === established) {
      this.syncing = false;
      return true;
    }
    if (count === this.syncCandidate) {
      this.syncing = false;
      // A non-announcing sketch may have changed: re-learn axes that were only guessed.
      if (!raw && (this.axesSource === 'default' || this.axesSource === 'names') && count !== this.streamInfo.axes.length) {
        this.axesSource = null;
      }
      return true;
    }
    this.syncCandidate = count;
    this.counters.ignored++;
    return false;
  }

  private ignoreWhileSyncing(): null {
    this.counters.ignored++;
    this.syncCandidate = -1;
    return null;
  }

  private announce(a: Announcement): void {
    this.syncing = false;
    // A different announcement means another sketch started; the same one again is the sketch
    // answering '?' or greeting a new host, which is no break in the data.
    const key = JSON.stringify([a.axes, a.units, a.rate, a.time, a.board, a.sensor]);
    if (this.counters.accepted > 0 && this.announcementKey !== null && key !== this.announcementKey) this.pendingReset = true;
    if (this.counters.accepted > 0 && this.announcementKey === null && a.axes.length > 0 && !sameNames(a.axes, this.streamInfo.axes)) this.pendingReset = true;
    this.announcementKey = key;
    const info: StreamInfo = { ...this.streamInfo };
    if (a.axes.length > 0) {
      if (this.configAxes !== null && !sameNames(a.axes, this.configAxes)) {
        this.warn('config', `the device announces axes ${a.axes.join(',')}, which replace the configured ${this.configAxes.join(',')}`);
      }
      info.axes = a.axes.slice();
      this.axesSource = 'announcement';
    }
    if (a.units !== undefined && a.units.length === info.axes.length) info.units = a.units.slice();
    else delete info.units;
    if (a.rate !== undefined) info.announcedRate = a.rate;
    else delete info.announcedRate;
    if (a.board !== undefined) info.board = a.board;
    const layout: Layout = a.time ?? 'none';
    if (this.configMode !== 'auto' && this.configMode !== layout) {
      this.warn('config', `the device announces ${a.time === undefined ? 'no timestamp column' : `time=${a.time}`}, which replaces the configured timestamp '${this.configMode}'`);
    }
    this.setLayout(layout);
    this.streamInfo = info;
    // The announcement declares the layout of the lines held before it (the same sketch printed them).
    this.release();
  }

  private setLayout(layout: Layout): void {
    const wasDevice = this.layout === 'ms' || this.layout === 'us';
    const isDevice = layout === 'ms' || layout === 'us';
    this.layout = layout;
    if (wasDevice !== isDevice) {
      this.estimator = this.newEstimator();
      this.haveDevice = false;
    }
  }

  private newEstimator(): RateEstimator {
    return new RateEstimator({ indexFromTime: this.layout === 'ms' || this.layout === 'us' });
  }

  /** 'auto' without announcement: hold DETECT_LINES numeric lines, decide, then emit them. */
  private detect(line: string, host: number): Sample | null {
    const p = this.parser;
    const count = p.count;
    const configured = this.configAxes !== null ? this.configAxes.length : -1;
    if (count === configured || count < 2) {
      this.dropHeld(count); // held lines have another count: noise
      this.setLayout('none');
      return this.numeric(line, host);
    }
    if (this.heldCount() !== count) this.dropHeld(count); // arity changed: earlier lines were noise
    this.held.push({ line, values: p.values.slice(0, count), host, resetBefore: this.resetWhileHolding });
    this.resetWhileHolding = false;
    this.counters.ignored++; // until emitted or dropped
    if (this.held.length < DETECT_LINES) return null;
    const layout = detectTimestamp(this.held.map((h) => h.values), this.held.map((h) => h.host));
    this.setLayout(layout);
    if (layout !== 'none') {
      this.warn('timestamp', `column 1 increases steadily: taken as a device timestamp in ${layout === 'ms' ? 'ms' : 'µs'} (set the timestamp option to 'none' if it is a measurement)`);
    }
    this.release();
    return null;
  }

  /** The value count of the held lines (all have the same), -1 when none are held. */
  private heldCount(): number {
    return this.held.length > 0 ? this.held[0].values.length : -1;
  }

  /** Emits the held lines under the decided layout, in arrival order, into the ready queue. */
  private release(): void {
    const held = this.held;
    if (held.length === 0) return;
    this.held = [];
    this.resetWhileHolding = false;
    for (const h of held) {
      this.counters.ignored--; // counted when held; now accepted or dropped instead
      if (h.resetBefore && this.counters.accepted > 0) this.pendingReset = true; // as markReset() would have
      const s = this.row(h.line, h.values, h.values.length, h.host);
      if (s !== null) this.ready.push(s);
    }
  }

  /** Drops the held lines as 'arity': a line with `count` values ended them. */
  private dropHeld(count: number): void {
    const n = this.held.length;
    if (n === 0) return;
    const first = this.held[0];
    this.held = [];
    this.resetWhileHolding = false;
    this.counters.ignored -= n;
    this.counters.dropped.arity += n;
    this.warn(
      'arity',
      `dropped ${n} line${n === 1 ? '' : 's'} held for timestamp detection, from ${preview(first.line)}: ${first.values.length} values each, then a line with ${count}; check that the sketch prints one whole sample per line`,
    );
  }

  private emitHost(values: number[], host: number): Sample {
    let gap = false;
    if (!this.pendingReset && this.lastHost > -Infinity) {
      const period = this.periodMs();
      if (period !== null && host - this.lastHost > Math.max(5 * period, 200)) gap = true;
    }
    this.lastHost = host;
    const time = host > this.lastTime ? host : this.lastTime;
    return this.emit(values, time, host, gap);
  }

  private emitDevice(values: number[], raw: number, host: number): Sample {
    const scale = this.layout === 'us' ? 0.001 : 1;
    let gap = false;
    let unwrapped = raw + this.wrapOffset;
    if (this.haveDevice && unwrapped < this.lastRaw) {
      const last32 = this.lastRaw - this.wrapOffset;
      // A 32-bit millis()/micros() counter wrapped when the step across 2^32 is short (< 60 s).
      if (last32 >= TWO_32 / 2 && last32 < TWO_32 && raw < TWO_32 / 2 && (raw + TWO_32 - last32) * scale < 60000) {
        this.wrapOffset += TWO_32;
        unwrapped = raw + this.wrapOffset;
      } else {
        // Device time went backwards: the device restarted its clock.
        this.wrapOffset = 0;
        unwrapped = raw;
        if (this.counters.accepted > 0) this.pendingReset = true;
      }
    } else if (this.haveDevice && !this.pendingReset) {
      const period = this.periodMs();
      if (period !== null && (unwrapped - this.lastRaw) * scale > 1.5 * period) gap = true;
    }
    let time = unwrapped * scale + this.timeOffset;
    if (time < this.lastTime || (this.pendingReset && time <= this.lastTime)) {
      this.timeOffset = this.lastTime + (this.periodMs() ?? 1) - unwrapped * scale;
      time = unwrapped * scale + this.timeOffset;
      if (time < this.lastTime) time = this.lastTime; // rounding with huge timestamps
    }
    // Without a period yet, the estimator cannot count the samples lost in a gap: start it over.
    if (gap && this.estimator.periodMs === null) this.estimator.restart();
    this.haveDevice = true;
    this.lastRaw = unwrapped;
    this.lastHost = host;
    return this.emit(values, time, time, gap);
  }

  private emit(values: number[], time: number, rateTime: number, gap: boolean): Sample {
    const sample: Sample = { values, seq: this.seq++, time, segment: this.segment };
    if (this.pendingReset) {
      this.pendingReset = false;
      this.segment++;
      sample.segment = this.segment;
      sample.reset = true;
      this.counters.resets++;
      this.estimator.restart();
    } else if (gap) {
      this.segment++;
      sample.segment = this.segment;
      sample.gap = true;
      this.counters.gaps++;
    }
    this.lastTime = time;
    this.counters.accepted++;
    this.estimator.add(rateTime);
    const rate = this.estimator.rateHz;
    if (rate !== this.streamInfo.rate) this.streamInfo = { ...this.streamInfo, rate };
    return sample;
  }

  /** The period used for gap detection: the estimate, else the announced rate. */
  private periodMs(): number | null {
    const p = this.estimator.periodMs;
    if (p !== null) return p;
    const announced = this.streamInfo.announcedRate;
    return announced !== undefined ? 1000 / announced : null;
  }

  private setAxes(axes: string[], source: AxesSource): void {
    this.axesSource = source;
    const info: StreamInfo = { ...this.streamInfo, axes };
    if (info.units !== undefined && info.units.length !== axes.length) delete info.units;
    this.streamInfo = info;
  }

  private warn(kind: string, message: string): void {
    if (this.warned.has(kind)) return;
    this.warned.add(kind);
    if (this.onWarning !== undefined) this.onWarning(kind, message);
  }
}

const DEFAULT_MESSAGES: Record<DropKind, string> = {
  malformed: 'dropped a malformed line',
  binary: 'dropped a binary line: check the baud rate',
  tooLong: 'dropped an over-long line: the device is not sending one sample per line (or the baud rate is wrong)',
  arity: 'dropped a line whose value count differs from the axes',
};

/**
 * Timestamp detection over the held rows: column 0 must be a non-negative integer strictly
 * increasing in every row while no other column is; its unit is the one (ms or µs) whose span
 * is within 3× of the host-time span (a sample counter at ≤ 333 Hz is not). When host times are uninformative (< 20 ms span, e.g. one
 * burst), a median step ≥ 1000 means µs: ms steps that large would mean ≤ 1 Hz.
 */
export function detectTimestamp(rows: ReadonlyArray<ArrayLike<number>>, hostMs: readonly number[]): 'none' | 'ms' | 'us' {
  const cols = rows[0].length;
  const increasing = (c: number, integer: boolean): boolean => {
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r][c];
      if (integer && (!Number.isInteger(v) || v < 0)) return false;
      if (r > 0 && !(v > rows[r - 1][c])) return false;
    }
    return true;
  };
  if (!increasing(0, true)) return 'none';
  for (let c = 1; c < cols; c++) if (increasing(c, true)) return 'none';
  const span = rows[rows.length - 1][0] - rows[0][0];
  const hostSpan = hostMs[hostMs.length - 1] - hostMs[0];
  if (hostSpan >= 20) {
    const ratio = span / hostSpan;
    if (ratio >= 1 / 3 && ratio <= 3) return 'ms';
    if (ratio >= 1000 / 3 && ratio <= 3000) return 'us';
    return 'none';
  }
  const steps = rows.slice(1).map((r, i) => r[0] - rows[i][0]).sort((a, b) => a - b);
  return steps[steps.length >> 1] >= 1000 ? 'us' : 'ms';
}

function defaultAxes(n: number): string[] {
  const axes = new Array<string>(n);
  for (let i = 0; i < n; i++) axes[i] = `a${i}`;
  return axes;
}

function sameLength(a: string[], b: string[]): boolean {
  return a.length === b.length;
}

function sameNames(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A short, printable excerpt of a line for messages. */
function preview(line: string): string {
  const cut = line.length > 40 ? `${line.slice(0, 40)}…` : line;
  return JSON.stringify(cut);
}
