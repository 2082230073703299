/**
 * An emulated Arduino Uno as a VirtualDevice: the uno-emulator harness (simavr ATmega328P at
 * 16 MHz) runs a compiled firmware image behind a pseudo-terminal. Opening the port resets the
 * chip, like a real Uno's DTR auto-reset; emulated time is paced to real time unless `fast`.
 */
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import { ensureUnoEmulator } from './uno-emulator-binary';
import { VirtualDevice } from './virtual-device';

export { runAvrProgram } from './avr-run';
export type { AvrRunOptions, AvrRunResult, CycleMark } from './avr-run';

export interface EmulatedUnoOptions {
  /** Firmware image: an .elf or Intel .hex for the ATmega328P. Optional with a bootloader (empty flash). */
  firmware?: string;
  /** A stable path (symlink) to the pseudo-terminal, e.g. for a board node's configured port. */
  link?: string;
  /** Run unpaced, as fast as the host allows (3-7x real time here). */
  fast?: boolean;
  /** Optiboot .hex: start in the bootloader at each reset, so avrdude can program the flash. */
  bootloader?: string;
  /** Called for each GPIOR0 write of the firmware: the chip's cycle counter and the tag written. */
  onCycleMark?: (cycle: number, tag: number) => void;
  /** Called when a client opens the port (the chip resets) or closes it. */
  onPortEvent?: (event: 'reset' | 'closed') => void;
}

interface ReadyLine {
  ready?: boolean;
  pty?: string;
  event?: string;
}

export class EmulatedUno implements VirtualDevice {
  private child: ChildProcess | null = null;
  private current: string | null = null;

  constructor(private readonly opts: EmulatedUnoOptions) {}

  get path(): string | null {
    return this.current;
  }

  async start(): Promise<string> {
    if (this.child) throw new Error('the emulated Uno is already running');
    const { firmware, bootloader, link } = this.opts;
    if (!firmware && !bootloader) throw new Error('the emulated Uno needs a firmware image or a bootloader');
    for (const [what, file] of [['firmware', firmware], ['bootloader', bootloader]] as const) {
      if (file && !fs.existsSync(file)) throw new Error(`the emulated Uno's ${what} '${file}' does not exist`);
    }
    const binary = await ensureUnoEmulator();
    const args = ['--parent-watch'];
    if (this.opts.fast) args.push('--fast');
    if (link) args.push('--link', link);
    if (bootloader) args.push('--bootloader', bootloader);
    if (firmware) args.push(firmware);
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      let stderrTail = '';
      let outBuf = '';
      let errBuf = '';
      const fail = (message: string): void => {
        if (settled) return;
        settled = true;
        this.child = null;
        reject(new Error(message));
      };
      child.on('error', (e) => fail(`could not start the emulated Uno: ${e.message}`));
      child.on('exit', (code, signal) => {
        this.child = null;
        this.current = null;
        fail(`the emulated Uno exited before it was ready (${signal ?? `status ${code}`}): ${stderrTail.trim()}`);
      });
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        outBuf += chunk;
        let nl: number;
        while ((nl = outBuf.indexOf('\n')) >= 0) {
          const line = outBuf.slice(0, nl);
          outBuf = outBuf.slice(nl + 1);
          let msg: ReadyLine;
          try {
            msg = JSON.parse(line) as ReadyLine;
          } catch {
            continue;
          }
          if (msg.ready && msg.pty && !settled) {
            settled = true;
            this.current = link ?? msg.pty;
            resolve(this.current);
          } else if (msg.event === 'reset' || msg.event === 'closed') {
            this.opts.onPortEvent?.(msg.event);
          }
        }
      });
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        errBuf += chunk;
        let nl: number;
        while ((nl = errBuf.indexOf('\n')) >= 0) {
          const line = errBuf.slice(0, nl);
          errBuf = errBuf.slice(nl + 1);
          const m = /^cycles (\d+) (\d+)$/.exec(line);
          if (m) this.opts.onCycleMark?.(Number(m[1]), Number(m[2]));
          else stderrTail = (stderrTail + line + '\n').slice(-2000);
        }
      });
    });
  }

  /** Stops the harness (which removes its link) and waits until it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    this.current = null;
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.stdin?.end();
      child.kill('SIGTERM');
    });
    if (this.opts.link && fs.existsSync(this.opts.link) && fs.lstatSync(this.opts.link).isSymbolicLink()) {
      fs.rmSync(this.opts.link, { force: true });
    }
  }
}
