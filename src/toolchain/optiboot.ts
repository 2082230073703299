/**
 * Optiboot for the ATmega328P at 115200 baud, rebuilt from the optiboot.c that Debian's
 * arduino-core-avr ships: its prebuilt optiboot_atmega328.hex is 532 bytes, overflows the
 * 512-byte boot section and has data past 32 KB. Built with the flags of optiboot's own Makefile
 * (target atmega328) minus the LED flashes; 496 bytes at 0x7E00, version word at 0x7FFE.
 */
import fs from 'fs';
import path from 'path';
import { buildDir } from './build-paths';
import { DEFAULT_AVR_CORE_DIR } from './avr-build';
import { CompileError, parseGccDiagnostics } from './compiler-diagnostics';
import { runTool } from './run-tool';

const FLAGS = [
  '-g', '-Os', '-fno-inline-small-functions', '-fno-split-wide-types', '-mshort-calls', '-mmcu=atmega328p',
  '-DF_CPU=16000000L', '-DLED_START_FLASHES=0', '-DBAUD_RATE=115200',
  '-Wl,--section-start=.text=0x7e00', '-Wl,--section-start=.version=0x7ffe', '-Wl,--relax', '-Wl,--gc-sections',
  '-nostartfiles', '-nostdlib',
];

/** Path of optiboot_atmega328_115200.hex under build/optiboot/, built on first use. */
export async function buildOptiboot(coreDir: string = process.env.TINYML_ARDUINO_AVR_CORE ?? DEFAULT_AVR_CORE_DIR): Promise<string> {
  const srcDir = path.join(coreDir, 'bootloaders', 'optiboot');
  const source = path.join(srcDir, 'optiboot.c');
  if (!fs.existsSync(source)) throw new Error(`optiboot.c is not at '${srcDir}': install 'arduino-core-avr'`);
  const out = buildDir('optiboot');
  const hex = path.join(out, 'optiboot_atmega328_115200.hex');
  if (fs.existsSync(hex)) return hex;
  const elf = path.join(out, `optiboot.${process.pid}.elf`);
  const cc = await runTool('avr-gcc', [...FLAGS, `-I${srcDir}`, '-o', elf, source]);
  if (cc.code !== 0) throw new CompileError('optiboot', parseGccDiagnostics(cc.stderr), cc.stderr);
  const tmpHex = `${hex}.${process.pid}.tmp`;
  // --set-start 0: no start-address record (simavr's HEX reader does not know record type 03).
  const oc = await runTool('avr-objcopy', [
    '-j', '.text', '-j', '.data', '-j', '.version', '--set-section-flags', '.version=alloc,load', '--set-start', '0',
    '-O', 'ihex', elf, tmpHex,
  ]);
  fs.rmSync(elf, { force: true });
  if (oc.code !== 0) throw new Error(`avr-objcopy could not make optiboot's .hex: ${oc.stderr.trim()}`);
  fs.renameSync(tmpHex, hex);
  return hex;
}
