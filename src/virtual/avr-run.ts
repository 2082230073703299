/**
 * Runs an AVR program (ELF or HEX for the ATmega328P at 16 MHz) headless on the emulated chip
 * until it ends, and returns what it printed on UART0 and the cycle marks it made.
 *
 * The program ends when main returns (avr-libc then disables interrupts and loops: status =
 * main's return value), when it writes GPIOR2 (status = the value), or at the time/cycle limit.
 * Cycle marks: each write of a tag to GPIOR0 records the chip's cycle counter, so
 * `marks[1].cycle - marks[0].cycle` is the cost of the code between two marks (plus 1 cycle for
 * the `out` instruction). tools/uno-emulator/tml_avr_test.h wraps all of this for C test programs.
 */
import { spawn } from 'child_process';
import { ensureUnoEmulator } from './uno-emulator-binary';

export interface AvrRunOptions {
  /** Real-time limit; default 30 000 ms. */
  timeoutMs?: number;
  /** Emulated-cycle limit; default none (16 000 000 cycles = 1 s of chip time). */
  maxCycles?: number;
}

export interface CycleMark {
  /** The chip's cycle counter when the tag was written to GPIOR0. */
  cycle: number;
  tag: number;
}

export interface AvrRunResult {
  /** UART0 (and GPIOR1 fast) output as text (latin1: one char per byte). */
  uart: string;
  uartBytes: Buffer;
  /** Cycle counter values at each GPIOR0 write, in order. */
  cycles: number[];
  marks: CycleMark[];
  /** How the run ended. */
  ended: 'exit' | 'crashed' | 'timeout';
  /** Exit status (main's return value or the GPIOR2 value); null on timeout. */
  exitCode: number | null;
  /** Cycles run from reset to the end. */
  totalCycles: number;
}

export async function runAvrProgram(firmwarePath: string, opts: AvrRunOptions = {}): Promise<AvrRunResult> {
  const binary = await ensureUnoEmulator();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const args = ['--headless', '--timeout-ms', String(timeoutMs)];
  if (opts.maxCycles !== undefined) args.push('--max-cycles', String(Math.floor(opts.maxCycles)));
  args.push(firmwarePath);
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // The harness enforces the limit itself; this guard only catches a harness that hangs.
    const guard = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000);
    child.on('error', (e) => {
      clearTimeout(guard);
      reject(new Error(`could not run the emulated Uno: ${e.message}`));
    });
    child.on('close', () => {
      clearTimeout(guard);
      const uartBytes = Buffer.concat(out);
      const marks: CycleMark[] = [];
      let ended: AvrRunResult['ended'] | null = null;
      let exitCode: number | null = null;
      let totalCycles = 0;
      const other: string[] = [];
      for (const line of Buffer.concat(err).toString('utf8').split('\n')) {
        let m: RegExpExecArray | null;
        if ((m = /^cycles (\d+) (\d+)$/.exec(line))) {
          marks.push({ cycle: Number(m[1]), tag: Number(m[2]) });
        } else if ((m = /^(exit|crashed) (-?\d+) cycles (\d+)$/.exec(line))) {
          ended = m[1] as 'exit' | 'crashed';
          exitCode = Number(m[2]);
          totalCycles = Number(m[3]);
        } else if ((m = /^timeout cycles (\d+)$/.exec(line))) {
          ended = 'timeout';
          totalCycles = Number(m[1]);
        } else if (line.trim() !== '') {
          other.push(line);
        }
      }
      if (ended === null) {
        reject(new Error(`the emulated Uno failed to run '${firmwarePath}': ${other.join('\n') || 'no result line'}`));
        return;
      }
      resolve({ uart: uartBytes.toString('latin1'), uartBytes, cycles: marks.map((k) => k.cycle), marks, ended, exitCode, totalCycles });
    });
  });
}
