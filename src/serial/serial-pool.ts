/**
 * One shared serial connection per port path, with reconnect, lending and clean release.
 *
 * - Users of the same path with the same settings share the connection (reference counted);
 *   different settings are refused with an error naming both users.
 * - An absent or failing port is retried with a growing delay (first retry well within 1 s).
 * - Releasing the last user resolves only once the port is really closed, and a new open of
 *   the same path waits for that close: no "port locked" after a redeploy.
 * - `lend` closes the port for another program (an uploader) and `giveBack` reopens it.
 */
import fs from 'fs';
import { performance } from 'perf_hooks';
import { SerialPort } from 'serialport';
import { Backoff, BackoffOptions } from './backoff';
import { LineSplitter } from './line-splitter';
import { validatePortPath } from './port-list';

export type PortState = 'connecting' | 'connected' | 'waiting' | 'error' | 'lent' | 'closed';

export interface PortStatus {
  state: PortState;
  /** Why (for waiting, error, lent). */
  message?: string;
}

export interface PortSettings {
  baudRate: number;
}

/** What a user of a port listens to; every callback is optional. */
export interface PortSubscriber {
  /** A complete line (no line ending) and the host time it arrived (monotonic ms, epoch-based). */
  onLine?(line: string, hostTimeMs: number): void;
  onState?(status: PortStatus): void;
  /** The port (re)opened: the device may have reset, the stream restarts. */
  onOpen?(): void;
  /** A line longer than the limit was dropped. */
  onOverlong?(): void;
  /** A problem worth telling the user; each distinct message once until the port connects again. */
  onLog?(message: string): void;
}

export interface PortLoan {
  readonly path: string;
  readonly baudRate: number;
  readonly reason: string;
  /** Reopens the port and resumes the readers; safe to call more than once, and after a failed upload. */
  giveBack(): Promise<void>;
}

export interface SerialPoolOptions {
  backoff?: BackoffOptions;
  /** Longest line kept (default 4096 bytes); longer lines are dropped and reported. */
  maxLineBytes?: number;
}

export class PortConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortConflictError';
  }
}

/** Host time for line arrival: monotonic (performance.now) but on the epoch scale like Date.now(). */
function hostNow(): number {
  return performance.timeOrigin + performance.now();
}

let nextHandleId = 1;

class PortEntry {
  readonly handles = new Set<PortHandle>();
  status: PortStatus = { state: 'connecting' };
  private port: SerialPort | null = null;
  private opening: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly splitter: LineSplitter;
  private readonly backoff: Backoff;
  private readonly logged = new Set<string>();
  private stopped = false;
  private lent = false;
  private attemptRunning: Promise<void> | null = null;

  constructor(
    readonly key: string,
    readonly path: string,
    readonly baudRate: number,
    opts: SerialPoolOptions,
    private readonly previousClose: Promise<void> | undefined,
  ) {
    this.splitter = new LineSplitter(opts.maxLineBytes ?? 4096);
    this.splitter.onOverlong = () => this.each((s) => s.onOverlong?.());
    this.backoff = new Backoff(opts.backoff);
    this.schedule(0);
  }

  private each(fn: (s: PortSubscriber) => void): void {
    for (const h of this.handles) {
      for (const s of h.subscribers) {
        try {
          fn(s);
        } catch {
          // A subscriber's fault must not stop the port or the other subscribers.
        }
      }
    }
  }

  private setStatus(status: PortStatus): void {
    this.status = status;
    this.each((s) => s.onState?.(status));
  }

  private logOnce(message: string): void {
    if (this.logged.has(message)) return;
    this.logged.add(message);
    this.each((s) => s.onLog?.(message));
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.lent) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.attemptRunning = this.attempt().finally(() => { this.attemptRunning = null; });
    }, delayMs);
  }

  private retry(status: PortStatus): void {
    this.setStatus(status);
    if (status.message) this.logOnce(status.message);
    this.schedule(this.backoff.next());
  }

  private async attempt(): Promise<void> {
    if (this.previousClose) await this.previousClose;
    if (this.stopped || this.lent || this.port) return;
    this.setStatus({ state: 'connecting' });
    if (!fs.existsSync(this.path)) {
      this.retry({ state: 'waiting', message: `serial port ${this.path} is not present (unplugged?): waiting for it` });
      return;
    }
    const port = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false });
    // Errors after open (a failed write, a disconnect) arrive here; without a listener they would crash the process.
    port.on('error', (err: Error) => this.logOnce(`serial port ${this.path}: ${err.message}`));
    const opened = new Promise<Error | null>((resolve) => port.open((err) => resolve(err ?? null)));
    this.opening = opened.then(() => undefined);
    const err = await opened;
    this.opening = null;
    if (err) {
      this.retry({ state: 'error', message: `cannot open serial port ${this.path}: ${err.message}` });
      return;
    }
    if (this.stopped || this.lent) {
      await closeQuietly(port);
      return;
    }
    this.port = port;
    // The first line after an open is usually cut (a board already streaming, or resetting now).
    this.splitter.discardPartial();
    port.on('data', (chunk: Buffer) => {
      const lines = this.splitter.push(chunk);
      if (lines.length === 0) return;
      const t = hostNow();
      for (const line of lines) this.each((s) => s.onLine?.(line, t));
    });
    port.on('close', (closeErr: Error | null) => {
      if (this.port !== port) return; // our own close
      this.port = null;
      port.removeAllListeners('data');
      const why = closeErr ? closeErr.message : 'closed by the system';
      this.retry({ state: 'waiting', message: `serial port ${this.path} disconnected (${why}): waiting for it` });
    });
    this.backoff.reset();
    this.logged.clear();
    this.setStatus({ state: 'connected' });
    this.each((s) => s.onOpen?.());
  }

  /** Closes the port and waits until it is really closed (including an open in flight). */
  private async closePort(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.attemptRunning) await this.attemptRunning;
    if (this.opening) await this.opening;
    const port = this.port;
    this.port = null;
    if (port) {
      port.removeAllListeners('data');
      await closeQuietly(port);
    }
  }

  write(data: Buffer | string): Promise<void> {
    const port = this.port;
    if (!port || this.status.state !== 'connected') {
      return Promise.reject(new Error(`serial port ${this.path} is not connected (${this.status.state}${this.status.message ? `: ${this.status.message}` : ''})`));
    }
    return new Promise((resolve, reject) => {
      port.write(data, (err) => {
        if (err) return reject(new Error(`writing to serial port ${this.path} failed: ${err.message}`));
        port.drain((err2) => (err2 ? reject(new Error(`writing to serial port ${this.path} failed: ${err2.message}`)) : resolve()));
      });
    });
  }

  async lend(reason: string): Promise<PortLoan> {
    if (this.stopped) throw new Error(`serial port ${this.path} is closed: cannot lend it`);
    if (this.lent) throw new Error(`serial port ${this.path} is already lent (${this.status.message ?? 'in use'})`);
    this.lent = true;
    await this.closePort();
    this.setStatus({ state: 'lent', message: reason });
    let returned = false;
    return {
      path: this.path,
      baudRate: this.baudRate,
      reason,
      giveBack: async () => {
        if (returned) return;
        returned = true;
        this.lent = false;
        if (this.stopped) return;
        this.backoff.reset();
        this.setStatus({ state: 'connecting' });
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        // Resolve once the first reopen attempt is over (connected, or retrying on its own).
        const run = this.attempt();
        this.attemptRunning = run.finally(() => { this.attemptRunning = null; });
        await run;
      },
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.closePort();
    this.setStatus({ state: 'closed' });
  }
}

function closeQuietly(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) {
      resolve();
      return;
    }
    port.close(() => resolve());
  });
}

/** One user's share of a port. */
export class PortHandle {
  readonly id = nextHandleId++;
  readonly subscribers = new Set<PortSubscriber>();
  private released: Promise<void> | null = null;

  constructor(private readonly pool: SerialPool, private readonly entry: PortEntry, readonly owner: string) {}

  get path(): string {
    return this.entry.path;
  }

  get baudRate(): number {
    return this.entry.baudRate;
  }

  get status(): PortStatus {
    return this.entry.status;
  }

  /** Adds a listener; it is told the current state at once. Returns the unsubscribe function. */
  subscribe(sub: PortSubscriber): () => void {
    if (this.released) throw new Error(`serial port ${this.path}: this handle was released`);
    this.subscribers.add(sub);
    sub.onState?.(this.entry.status);
    if (this.entry.status.state === 'connected') sub.onOpen?.();
    return () => { this.subscribers.delete(sub); };
  }

  write(data: Buffer | string): Promise<void> {
    if (this.released) return Promise.reject(new Error(`serial port ${this.path}: this handle was released`));
    return this.entry.write(data);
  }

  lend(reason: string): Promise<PortLoan> {
    if (this.released) return Promise.reject(new Error(`serial port ${this.path}: this handle was released`));
    return this.entry.lend(reason);
  }

  /** Gives up this share; resolves when the port is really closed if this was the last user. Idempotent. */
  release(): Promise<void> {
    if (!this.released) {
      this.subscribers.clear();
      this.released = this.pool.releaseHandle(this, this.entry);
    }
    return this.released;
  }
}

export class SerialPool {
  private readonly entries = new Map<string, PortEntry>();
  private readonly closing = new Map<string, Promise<void>>();

  constructor(private readonly opts: SerialPoolOptions = {}) {}

  /**
   * A share of the connection to `path`. Throws a PortConflictError when the port is already in
   * use with other settings, or an error when the path is not a device path.
   */
  acquire(path: string, settings: PortSettings, owner: string): PortHandle {
    const bad = validatePortPath(path);
    if (bad) throw new Error(bad);
    if (!Number.isInteger(settings.baudRate) || settings.baudRate <= 0) {
      throw new Error(`baud rate must be a positive integer, got ${String(settings.baudRate)}`);
    }
    const key = portKey(path);
    let entry = this.entries.get(key);
    if (entry) {
      if (entry.baudRate !== settings.baudRate) {
        const users = [...entry.handles].map((h) => `'${h.owner}'`).join(', ');
        throw new PortConflictError(
          `serial port ${path} is already open by ${users} at ${entry.baudRate} baud; ` +
          `'${owner}' asks for ${settings.baudRate} baud: use one board for this port, or the same baud rate`);
      }
    } else {
      entry = new PortEntry(key, path, settings.baudRate, this.opts, this.closing.get(key));
      this.entries.set(key, entry);
    }
    const handle = new PortHandle(this, entry, owner);
    entry.handles.add(handle);
    return handle;
  }

  /** @internal used by PortHandle.release */
  releaseHandle(handle: PortHandle, entry: PortEntry): Promise<void> {
    entry.handles.delete(handle);
    if (entry.handles.size > 0) return Promise.resolve();
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    const done = entry.stop();
    const tracked = done.finally(() => {
      if (this.closing.get(entry.key) === tracked) this.closing.delete(entry.key);
    });
    this.closing.set(entry.key, tracked);
    return tracked;
  }

  /** Number of ports held open or being opened (for leak checks). */
  get size(): number {
    return this.entries.size;
  }

  /** Number of ports still closing. */
  get closingCount(): number {
    return this.closing.size;
  }

  /** Users per path (for diagnostics). */
  users(): Array<{ path: string; baudRate: number; owners: string[]; status: PortStatus }> {
    return [...this.entries.values()].map((e) => ({
      path: e.path, baudRate: e.baudRate, owners: [...e.handles].map((h) => h.owner), status: e.status,
    }));
  }
}

/** Two names of one device (a by-id link and /dev/ttyACM0) share one entry. */
function portKey(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return path;
  }
}

let shared: SerialPool | null = null;

/** The process-wide pool the nodes share. */
export function sharedSerialPool(): SerialPool {
  if (!shared) shared = new SerialPool();
  return shared;
}
