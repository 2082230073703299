/**
 * Runs tools/pty-bridge.py: a pseudo-terminal whose slave side is the virtual board's serial
 * path. Node cannot create a pty without a native addon; python3's standard library can.
 * The bridge forwards what we write to whoever has the port open, and reports opens, closes
 * and the bytes the host wrote.
 */
import { ChildProcess, spawn } from 'child_process';
import { EventEmitter } from 'events';
import fs from 'fs';
import path from 'path';

export interface PtyBridgeOptions {
  /** Create a symlink to the pty here, so the board's path survives restarts. */
  link?: string;
  /** The python interpreter (default 'python3'). */
  python?: string;
}

interface BridgeEvent {
  event: string;
  path?: string;
  hex?: string;
  bytes?: number;
  message?: string;
}

/** The bridge script, found relative to this file in src/ and in any dist*\/src/ build. */
export function ptyBridgeScript(): string {
  const candidates = [
    path.resolve(__dirname, '..', '..', 'tools', 'pty-bridge.py'),
    path.resolve(__dirname, '..', '..', '..', 'tools', 'pty-bridge.py'),
  ];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`tools/pty-bridge.py not found (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * Events: 'open' (the host opened the port), 'close', 'data' (Buffer the host wrote),
 * 'dropped' (bytes lost), 'exit' (code, signal).
 */
export class PtyBridge extends EventEmitter {
  private child: ChildProcess | null = null;
  private exited: Promise<void> | null = null;
  private slavePath: string | null = null;
  private hostOpen = false;

  constructor(private readonly opts: PtyBridgeOptions = {}) {
    super();
  }

  /** The path to open (the link when one was asked for), null until started. */
  get path(): string | null {
    return this.slavePath === null ? null : this.opts.link ?? this.slavePath;
  }

  /** The pty device itself (/dev/pts/N). */
  get device(): string | null {
    return this.slavePath;
  }

  /** Whether the host has the port open right now. */
  get isOpen(): boolean {
    return this.hostOpen;
  }

  start(): Promise<string> {
    if (this.child) return Promise.reject(new Error('pty bridge already started'));
    const args = [ptyBridgeScript()];
    if (this.opts.link) args.push('--link', this.opts.link);
    const child = spawn(this.opts.python ?? 'python3', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => { stderr = (stderr + d).slice(-2000); });
    // Writes after the bridge died must not crash the process.
    child.stdin?.on('error', () => undefined);
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    return new Promise((resolve, reject) => {
      let ready = false;
      let buf = '';
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          let ev: BridgeEvent;
          try {
            ev = JSON.parse(line) as BridgeEvent;
          } catch {
            continue;
          }
          if (ev.event === 'ready' && ev.path) {
            ready = true;
            this.slavePath = ev.path;
            resolve(this.path ?? ev.path);
          } else if (ev.event === 'open') {
            this.hostOpen = true;
            this.emit('open');
          } else if (ev.event === 'close') {
            this.hostOpen = false;
            this.emit('close');
          } else if (ev.event === 'data' && ev.hex) {
            this.emit('data', Buffer.from(ev.hex, 'hex'));
          } else if (ev.event === 'dropped') {
            this.emit('dropped', ev.bytes ?? 0);
          }
        }
      });
      child.once('error', (err) => {
        if (!ready) reject(new Error(`cannot start the pty bridge (python3 ${args[0]}): ${err.message}`));
      });
      child.once('close', (code, signal) => {
        this.hostOpen = false;
        this.slavePath = null;
        this.child = null;
        if (!ready) reject(new Error(`the pty bridge exited before it was ready (code ${code ?? signal}): ${stderr.trim()}`));
        this.emit('exit', code, signal);
      });
    });
  }

  /** Sends device output; dropped by the bridge while nobody has the port open. */
  write(data: Buffer | string): boolean {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return false;
    return stdin.write(data);
  }

  /** Ends the bridge (it removes its link) and resolves when the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    const exited = this.exited;
    if (!child || !exited) return;
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGTERM'), 2000);
    await exited;
    clearTimeout(timer);
  }

  /** Kills the bridge abruptly (SIGKILL: the link stays behind), as when a device is yanked out. */
  async kill(): Promise<void> {
    const child = this.child;
    const exited = this.exited;
    if (!child || !exited) return;
    child.kill('SIGKILL');
    await exited;
  }
}
