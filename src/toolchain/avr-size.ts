/**
 * Section sizes of an AVR ELF from `avr-size` (Berkeley format): flash holds text + data (the
 * initial values of .data are stored in flash), RAM at start holds data + bss (stack not counted).
 */
import { runTool } from './run-tool';

export interface AvrSizes {
  text: number;
  data: number;
  bss: number;
  /** Bytes of flash used: text + data. */
  flash: number;
  /** Bytes of SRAM used by globals: data + bss (the stack comes on top). */
  ram: number;
}

export async function avrSize(elfPath: string): Promise<AvrSizes> {
  const res = await runTool('avr-size', ['-B', elfPath]);
  if (res.code !== 0) throw new Error(`avr-size could not read '${elfPath}': ${res.stderr.trim()}`);
  // Output: header line, then "text data bss dec hex filename".
  const line = res.stdout.trim().split(/\r?\n/)[1] ?? '';
  const [text, data, bss] = line.trim().split(/\s+/).map(Number);
  if (![text, data, bss].every(Number.isFinite)) throw new Error(`unexpected avr-size output for '${elfPath}': ${res.stdout}`);
  return { text, data, bss, flash: text + data, ram: data + bss };
}
