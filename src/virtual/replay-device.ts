/**
 * The replay board: plays recordings (long-format CSV) through a pseudo-terminal, so capture
 * reads them through the same serial code path as a real board.
 *
 * Each time the host opens the port the device "resets": it prints the announcement line and
 * plays from the first recording, at the recorded rate times `speed`, looping. Data lines
 * carry a leading device timestamp in microseconds (`time=us`, like a sketch printing
 * micros()), and recordings are separated by a pause of `gapMs`, which the timestamps show
 * too: capture sees each recording as its own segment.
 * Pacing follows a drift-free schedule: sample k is due at open time + its device time; every
 * tick sends all lines that are due.
 */
import { performance } from 'perf_hooks';
import { formatAnnouncement } from '../serial/announcement';
import { LongCsv, axisNameFromColumn, unitFromColumn } from '../io/long-csv';
import { PtyBridge } from './pty-bridge';
import { VirtualDevice } from './virtual-device';

export interface ReplayOptions {
  /** The recordings to play. */
  data: LongCsv;
  /** Recorded sample rate in Hz; when absent it is derived from the recordings' times. */
  rate?: number;
  /** Unit of the time column when the rate is derived from it (default 'ms'). */
  timeUnit?: 's' | 'ms' | 'us';
  /** Playback speed factor (default 1). */
  speed?: number;
  /** Start again after the last recording (default true). */
  loop?: boolean;
  /** Pause between recordings, in recorded milliseconds (default 250). */
  gapMs?: number;
  /** Symlink for the pty, stable across restarts. */
  link?: string;
  /** Name announced as board= (default 'replay'). */
  board?: string;
  /** Axis names to announce (default: derived from the column names, e.g. aX_g -> ax). */
  axes?: string[];
  /** Units to announce (default: from the column-name suffixes when all are known). */
  units?: string[];
}

/** Recorded rate from per-sample times: the median step, in Hz. */
export function rateFromTimes(data: LongCsv, unit: 's' | 'ms' | 'us'): number | null {
  const steps: number[] = [];
  for (const r of data.recordings) {
    const t = r.times;
    if (!t) continue;
    for (let i = 1; i < t.length && steps.length < 100_000; i++) {
      const d = t[i] - t[i - 1];
      if (d > 0) steps.push(d);
    }
  }
  if (steps.length === 0) return null;
  steps.sort((a, b) => a - b);
  const median = steps[Math.floor(steps.length / 2)];
  const perSecond = unit === 's' ? 1 : unit === 'ms' ? 1e3 : 1e6;
  return perSecond / median;
}

export class ReplayDevice implements VirtualDevice {
  readonly rate: number;
  readonly speed: number;
  readonly axes: string[];
  readonly units: string[] | undefined;
  private readonly bridge: PtyBridge;
  private readonly periodUs: number;
  private readonly gapUs: number;
  private timer: NodeJS.Timeout | null = null;
  private rec = 0;
  private idx = 0;
  private devTimeUs = 0;
  private startMs = 0;
  private sent = 0;
  private running = false;
  private finished = false;

  constructor(private readonly opts: ReplayOptions) {
    const data = opts.data;
    if (data.recordings.length === 0 || data.recordings.every((r) => r.samples.length === 0)) {
      throw new Error('replay board: the recording has no samples');
    }
    const rate = opts.rate ?? rateFromTimes(data, opts.timeUnit ?? 'ms');
    if (rate === null || !(rate > 0) || !Number.isFinite(rate)) {
      throw new Error('replay board: no sample rate: set the rate (Hz) or name a time column');
    }
    const speed = opts.speed ?? 1;
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`replay board: speed must be > 0, got ${speed}`);
    this.rate = rate;
    this.speed = speed;
    this.periodUs = 1e6 / (rate * speed);
    this.gapUs = ((opts.gapMs ?? 250) * 1000) / speed;
    this.axes = opts.axes ?? data.axes.map(axisNameFromColumn);
    if (this.axes.length !== data.axes.length) {
      throw new Error(`replay board: ${this.axes.length} axis names given for ${data.axes.length} columns (${data.axes.join(', ')})`);
    }
    const units = opts.units ?? data.axes.map(unitFromColumn);
    this.units = units.every((u): u is string => typeof u === 'string') ? units : undefined;
    this.bridge = new PtyBridge({ link: opts.link });
    this.bridge.on('open', () => this.onHostOpen());
    this.bridge.on('close', () => this.pause());
    this.bridge.on('exit', () => this.pause());
  }

  get path(): string | null {
    return this.bridge.path;
  }

  /** Data lines written since start (for tests and diagnostics). */
  get linesSent(): number {
    return this.sent;
  }

  /** The announcement printed at each open. */
  announcement(): string {
    return formatAnnouncement({
      proto: 1,
      board: this.opts.board ?? 'replay',
      rate: Math.round(this.rate * this.speed * 1000) / 1000,
      axes: this.axes,
      units: this.units,
      time: 'us',
      sensor: 'replay',
    });
  }

  start(): Promise<string> {
    return this.bridge.start();
  }

  async stop(): Promise<void> {
    this.pause();
    await this.bridge.stop();
  }

  /** Stops the bridge abruptly, leaving its link behind (an unplugged cable, for tests). */
  async kill(): Promise<void> {
    this.pause();
    await this.bridge.kill();
  }

  private onHostOpen(): void {
    this.pause();
    this.rec = 0;
    this.idx = 0;
    this.devTimeUs = 0;
    this.finished = false;
    // The leading newline is eaten by the host's discard of a possibly cut first line.
    this.bridge.write(`\n${this.announcement()}\n`);
    this.startMs = performance.now();
    this.running = true;
    this.tick();
  }

  private pause(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private tick(): void {
    this.timer = null;
    if (!this.running) return;
    const nowUs = (performance.now() - this.startMs) * 1000;
    const recs = this.opts.data.recordings;
    let out = '';
    while (!this.finished && this.devTimeUs <= nowUs) {
      const r = recs[this.rec];
      if (this.idx < r.samples.length) {
        out += `${Math.round(this.devTimeUs)},${r.samples[this.idx].join(',')}\n`;
        this.sent++;
        this.idx++;
        this.devTimeUs += this.periodUs;
        continue;
      }
      // End of a recording: pause, then the next one (or the first again).
      this.idx = 0;
      this.rec++;
      if (this.rec >= recs.length) {
        if (this.opts.loop === false) {
          this.finished = true;
          break;
        }
        this.rec = 0;
      }
      this.devTimeUs += this.gapUs;
    }
    if (out) this.bridge.write(out);
    if (this.finished) return;
    const waitMs = Math.max(1, this.devTimeUs / 1000 - (performance.now() - this.startMs));
    this.timer = setTimeout(() => this.tick(), waitMs);
  }
}
