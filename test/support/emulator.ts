/**
 * Test helpers for the emulated Uno: the tools it needs, and reading a port like a host does
 * (a real `serialport` on the pseudo-terminal, each line stamped with the host's clock).
 */
import { SerialPort } from 'serialport';
import { requireTool } from './tools';

/** Fails with an install hint unless the AVR toolchain and the harness's build tools exist. */
export function requireAvrTools(): void {
  requireTool('avr-gcc', 'gcc-avr');
  requireTool('avr-size', 'binutils-avr');
  requireTool('gcc', 'gcc');
}

export interface TimedLine {
  line: string;
  /** Host time (performance.now(), ms) when the line's newline arrived. */
  atMs: number;
}

export interface HostSession {
  /** Lines received so far (without line endings). */
  readonly lines: TimedLine[];
  write(text: string): Promise<void>;
  /** Resolves with the first line from index `from` on that `pred` accepts; rejects after `timeoutMs`. */
  waitFor(pred: (line: string) => boolean, timeoutMs: number, from?: number): Promise<TimedLine>;
  close(): Promise<void>;
}

/** Opens `path` at 115200 baud and collects lines. */
export async function openHost(path: string): Promise<HostSession> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const lines: TimedLine[] = [];
  const waiters: { pred: (l: string) => boolean; resolve: (l: TimedLine) => void }[] = [];
  let partial = '';
  port.on('data', (chunk: Buffer) => {
    const now = performance.now();
    partial += chunk.toString('latin1');
    let nl: number;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const entry = { line: partial.slice(0, nl).replace(/\r$/, ''), atMs: now };
      partial = partial.slice(nl + 1);
      lines.push(entry);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i].pred(entry.line)) {
          waiters[i].resolve(entry);
          waiters.splice(i, 1);
        }
      }
    }
  });
  return {
    lines,
    write: (text) => new Promise((resolve, reject) => port.write(text, (err) => (err ? reject(err) : port.drain(() => resolve())))),
    waitFor: (pred, timeoutMs, from = 0) =>
      new Promise((resolve, reject) => {
        const found = lines.slice(from).find((l) => pred(l.line));
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no matching line within ${timeoutMs} ms; got ${lines.length} lines`)), timeoutMs);
        waiters.push({ pred, resolve: (l) => { clearTimeout(timer); resolve(l); } });
      }),
    close: () => new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
