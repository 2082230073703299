/**
 * Hardware-in-the-loop: streams recorded samples through the real firmware (the sketch built with
 * mode 'hil' reads one sample per serial line) and holds every result against the parity twin.
 * Flow control: the host sends the samples of one window (the first TML_WINDOW, then TML_STRIDE
 * each), then waits for that window's result, so the board's 64-byte receive buffer never overflows
 * while it computes. The samples go out no faster than the serial line's bit rate: a real UART paces
 * them so, but a pseudo-terminal (the emulated Uno) would take a whole window at once and its
 * bridge holds only 4 KB: a window of 119 x 6 values is ~5 KB of text.
 */
import { Artifact } from '../model/artifact';
import { DeviceLink, LineWaiter } from './device-link';
import { parseDeviceResult, DeviceResult } from './device-result';
import { formatHilValue, ParityMismatch, ParityTwin } from './parity-twin';

export interface HilOptions {
  board: string;
  stride: number;
  /** Serial speed the samples are paced to (default 115200; 10 bits per byte). */
  baud?: number;
  /** Longest wait for one window's result (default 20 s). */
  windowTimeoutMs?: number;
  signal?: AbortSignal;
  /** Called with each device result and the twin's verdict (null when equal). */
  onWindow?: (result: DeviceResult, mismatch: ParityMismatch | null) => void;
}

export interface HilReport {
  windows: number;
  matched: number;
  mismatches: ParityMismatch[];
  results: DeviceResult[];
  /** Mean microseconds of the model (and of the features) on the device. */
  meanUs: number | null;
  meanFeatUs: number | null;
}

export class HilError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HilError';
  }
}

/** Bytes written in one piece; a pause follows until the line would have carried them. */
const CHUNK = 256;

/** Writes `text` in pieces no faster than `baud` would carry it (10 bits per byte). */
async function writePaced(link: DeviceLink, text: string, baud: number, signal?: AbortSignal): Promise<void> {
  const start = Date.now();
  for (let i = 0; i < text.length; i += CHUNK) {
    signal?.throwIfAborted();
    await link.write(text.slice(i, i + CHUNK));
    const due = ((Math.min(text.length, i + CHUNK) * 10) / baud) * 1000;
    const wait = start + due - Date.now();
    if (wait > 0 && i + CHUNK < text.length) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

export async function runHil(artifact: Artifact, link: DeviceLink, samples: readonly (readonly number[])[], opts: HilOptions): Promise<HilReport> {
  const twin = new ParityTwin(artifact, opts.board, opts.stride);
  const axes = artifact.input.window.axes.length;
  const waiter = new LineWaiter();
  const stop = await link.listen(waiter.onLine);
  const results: DeviceResult[] = [];
  const timeout = opts.windowTimeoutMs ?? 20_000;
  try {
    // Asked again while unanswered: a board that resets when the port opens spends its first
    // second in the bootloader, which swallows what it is sent.
    let ack: string | null = null;
    for (let attempt = 0; attempt < 6 && ack === null; attempt++) {
      await link.write('!\n');
      ack = await waiter.next((l) => l.startsWith('# tinyml-hil reset'), 1500, opts.signal);
    }
    if (ack === null) throw new HilError("the board did not answer the hardware-in-the-loop reset ('!') within 9 s: is the sketch built in HIL mode?");
    let batch: string[] = [];
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i];
      if (s.length !== axes) throw new HilError(`sample ${i} has ${s.length} values; the model takes ${axes} (${artifact.input.window.axes.join(', ')})`);
      const text = s.map(formatHilValue);
      batch.push(text.join(','));
      const expected = twin.push(text.map(Number));
      if (!expected) continue;
      const resultLine = waiter.next((l) => parseDeviceResult(l)?.win === expected.win || l.startsWith('# tinyml-hil error'), timeout, opts.signal);
      await writePaced(link, batch.join('\n') + '\n', opts.baud ?? 115200, opts.signal);
      batch = [];
      const line = await resultLine;
      if (line === null) throw new HilError(`no result for window ${expected.win} within ${timeout} ms`);
      const r = parseDeviceResult(line);
      if (!r) throw new HilError(`the board refused sample data: ${line.slice(2)}`);
      if (r.hash !== artifact.hash) throw new HilError(`the board runs model ${r.hash.slice(0, 12)}, not ${artifact.hash.slice(0, 12)} ("${artifact.name}"): deploy it first`);
      results.push(r);
      const mismatch = twin.check(r); // before the optional call: `?.` would skip evaluating it
      opts.onWindow?.(r, mismatch);
    }
  } finally {
    await stop();
  }
  const mean = (xs: (number | undefined)[]): number | null => {
    const v = xs.filter((x): x is number => x !== undefined);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  return { windows: results.length, matched: twin.matched, mismatches: twin.mismatches, results, meanUs: mean(results.map((r) => r.us)), meanFeatUs: mean(results.map((r) => r.featUs)) };
}
