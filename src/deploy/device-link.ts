/**
 * How deploy reaches a board: borrow the port for the uploader and give it back, then listen to
 * its lines and write to it. The board node lends its shared connection (`boardLink` in the node
 * adapter); the command line opens the port itself (`DirectPortLink`).
 */
import { SerialPort } from 'serialport';
import { LineSplitter } from '../serial/line-splitter';

export interface PortBorrow {
  readonly path: string;
  /** Gives the port back; safe to call more than once, and after a failed upload. */
  giveBack(): Promise<void>;
}

export interface DeviceLink {
  borrow(reason: string): Promise<PortBorrow>;
  /** Receives each line from the board until the returned function is called. */
  listen(onLine: (line: string) => void): Promise<() => Promise<void>>;
  write(text: string): Promise<void>;
}

/** A serial port opened by deploy itself (the command line, no Node-RED). */
export class DirectPortLink implements DeviceLink {
  private port: SerialPort | null = null;
  private readonly listeners = new Set<(line: string) => void>();

  constructor(readonly path: string, readonly baudRate = 115200) {}

  async borrow(): Promise<PortBorrow> {
    await this.close();
    return { path: this.path, giveBack: async () => undefined };
  }

  private async open(): Promise<SerialPort> {
    if (this.port) return this.port;
    const port = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(new Error(`cannot open serial port ${this.path}: ${err.message}`)) : resolve())));
    const splitter = new LineSplitter(4096);
    splitter.discardPartial();
    port.on('data', (chunk: Buffer) => {
      for (const line of splitter.push(chunk)) for (const l of this.listeners) l(line.replace(/\r$/, ''));
    });
    port.on('error', () => undefined);
    this.port = port;
    return port;
  }

  async listen(onLine: (line: string) => void): Promise<() => Promise<void>> {
    this.listeners.add(onLine);
    await this.open();
    return async () => {
      this.listeners.delete(onLine);
    };
  }

  async write(text: string): Promise<void> {
    const port = await this.open();
    await new Promise<void>((resolve, reject) => port.write(text, (err) => (err ? reject(err) : port.drain((e) => (e ? reject(e) : resolve())))));
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

/** Lines collected from a link, with waiting for one that matches. */
export class LineWaiter {
  readonly lines: string[] = [];
  private waiters: { pred: (l: string) => boolean; resolve: (l: string) => void }[] = [];

  readonly onLine = (line: string): void => {
    this.lines.push(line);
    if (this.lines.length > 10_000) this.lines.splice(0, 5_000);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].pred(line)) {
        this.waiters[i].resolve(line);
        this.waiters.splice(i, 1);
      }
    }
  };

  /** Resolves with the next line `pred` accepts (lines already seen are not looked at); null at the timeout. */
  next(pred: (l: string) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const entry = { pred, resolve: (l: string) => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); resolve(l); } };
      const onAbort = (): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== entry);
        reject(new Error('cancelled'));
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== entry);
        signal?.removeEventListener('abort', onAbort);
        resolve(null);
      }, timeoutMs);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(entry);
    });
  }
}
