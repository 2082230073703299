/**
 * Builds one C program that runs many generated models (headers from src/codegen/c-model.ts)
 * on the portable runtime and prints, per case: name, quantized input, output (hex bytes) and the
 * dequantized outputs (float32 bits). The same text is computed by the TypeScript engine, so a
 * parity test is one string comparison. Targets: host gcc, avr-gcc (UART on simavr), arm-none-eabi
 * (semihosting on qemu mps2-an386).
 */
import { execFileSync } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { Artifact } from '../../src/model/artifact';
import { generateCModel, floatLiteral } from '../../src/codegen/c-model';
import { quantizeInput, dequantizeOutput } from '../../src/mcu/quantize-io';
import { runModel } from '../../src/mcu/interpreter';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const RUNTIME_DIR = join(REPO_ROOT, 'firmware', 'arduino', 'tinyml_runtime');
export const RUNTIME_SOURCES = ['tml_fixed_point.c', 'tml_fully_connected.c', 'tml_conv1d.c', 'tml_depthwise_conv1d.c', 'tml_pool1d.c', 'tml_softmax.c', 'tml_interpreter.c', 'tml_quantize.c'];

export function buildDir(...parts: string[]): string {
  const d = join(REPO_ROOT, 'build', 'int8', ...parts);
  mkdirSync(d, { recursive: true });
  return d;
}

export interface ParityCase {
  artifact: Artifact;
  features: Float32Array;
}

const hex = (bytes: Int8Array): string => Array.from(bytes, (b) => (b & 0xff).toString(16).padStart(2, '0')).join('');
function floatBits(values: Float32Array): string {
  const u = new Uint32Array(values.buffer, values.byteOffset, values.length);
  return Array.from(u, (x) => x.toString(16).padStart(8, '0')).join('');
}

/** What the TypeScript engine says each case prints. */
export function expectedLines(cases: ParityCase[]): string[] {
  return cases.map(({ artifact, features }) => {
    const q = quantizeInput(artifact, features);
    const { output } = runModel(artifact, q);
    return `${artifact.name} ${hex(q)} ${hex(output)} ${floatBits(dequantizeOutput(artifact, output))}`;
  });
}

export type Target = 'host' | 'avr' | 'arm';

/** Writes the headers and main.c for the cases into dir; returns the C file paths to compile. */
export function writeProgram(dir: string, cases: ParityCase[], target: Target): string[] {
  const includes: string[] = [];
  const runs: string[] = [];
  let maxA = 1, maxB = 1, maxIn = 1;
  for (const { artifact, features } of cases) {
    const h = generateCModel(artifact);
    writeFileSync(join(dir, h.fileName), h.source);
    includes.push(`#include "${h.fileName}"`);
    maxA = Math.max(maxA, h.bufASize); maxB = Math.max(maxB, h.bufBSize); maxIn = Math.max(maxIn, features.length);
    const fname = `${h.symbol}_features`;
    includes.push(`static const float ${fname}[${features.length}] TML_PROGMEM = { ${Array.from(features, (v) => (Number.isNaN(v) ? 'NAN' : floatLiteral(v))).join(', ')} };`);
    runs.push(`  run_case("${artifact.name}", &${h.symbol}, ${fname});`);
  }
  const out = target === 'avr' ? 'tml_test_fast_putc' : 'putchar';
  const main = `#include <stdio.h>
#include <math.h>
#include "tml_runtime.h"
${target === 'avr' ? '#include "tml_avr_test.h"' : ''}
${includes.join('\n')}
static int8_t buf_a[${maxA}], buf_b[${maxB}];
static float features[${maxIn}];
static void put_str(const char *s) { while (*s) ${out}(*s++); }
static void put_hex8(uint8_t b) { const char *d = "0123456789abcdef"; ${out}(d[b >> 4]); ${out}(d[b & 15]); }
static void run_case(const char *name, const tml_model_t *m, const float *f) {
  tml_idx_t i;
  const int8_t *y;
  for (i = 0; i < m->input_size; i++) features[i] = TML_RF(&f[i]);
  tml_quantize_input(m, features, buf_a);
  put_str(name); ${out}(' ');
  for (i = 0; i < m->input_size; i++) put_hex8((uint8_t)buf_a[i]);
  ${out}(' ');
  y = tml_run(m, buf_a, buf_b);
  for (i = 0; i < m->output_size; i++) put_hex8((uint8_t)y[i]);
  ${out}(' ');
  for (i = 0; i < m->output_size; i++) {
    float v = tml_dequantize_value(m, y[i]);
    uint32_t u; int8_t k;
    memcpy(&u, &v, 4);
    for (k = 24; k >= 0; k -= 8) put_hex8((uint8_t)(u >> k));
  }
  ${out}('\\n');
}
int main(void) {
${runs.join('\n')}
  put_str("END\\n");
  return 0;
}
`;
  writeFileSync(join(dir, 'main.c'), main);
  return [join(dir, 'main.c'), ...RUNTIME_SOURCES.map((s) => join(RUNTIME_DIR, s))];
}

/** Compiles for the host with gcc; returns the executable path. */
export function compileHost(dir: string, sources: string[], defines: string[] = []): string {
  const exe = join(dir, 'parity');
  execFileSync('gcc', ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-Wno-unused-function', `-I${RUNTIME_DIR}`, `-I${dir}`, ...defines.map((d) => `-D${d}`), ...sources, '-o', exe], { stdio: 'pipe' });
  return exe;
}

export function runLines(exe: string, args: string[] = []): string[] {
  const text = execFileSync(exe, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return text.split('\n').filter((l) => l.length > 0);
}

export const AVR_TEST_DIR = join(REPO_ROOT, 'tools', 'uno-emulator');

/** Compiles for the ATmega328P (16 MHz) with avr-gcc -O2; returns the ELF path. */
export function compileAvr(dir: string, sources: string[], extraFlags: string[] = []): string {
  const elf = join(dir, 'parity.elf');
  execFileSync('avr-gcc', ['-std=c99', '-mmcu=atmega328p', '-DF_CPU=16000000UL', '-O2', '-Wall', '-Wno-unused-function',
    `-I${RUNTIME_DIR}`, `-I${AVR_TEST_DIR}`, `-I${dir}`, ...extraFlags, ...sources, '-o', elf], { stdio: 'pipe' });
  return elf;
}

const ARM_LINKER_SCRIPT = `/* mps2-an386: 4 MB SSRAM1 at 0 (code), 4 MB SSRAM2/3 at 0x20000000 (data). */
MEMORY { CODE (rx) : ORIGIN = 0x00000000, LENGTH = 4M  RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 4M }
ENTRY(tml_reset)
SECTIONS {
  .text : { KEEP(*(.tml_vectors)) *(.text*) KEEP(*(.init)) KEEP(*(.fini)) *(.rodata*)
    . = ALIGN(4); __preinit_array_start = .; KEEP(*(.preinit_array)) __preinit_array_end = .;
    __init_array_start = .; KEEP(*(SORT(.init_array.*))) KEEP(*(.init_array)) __init_array_end = .;
    __fini_array_start = .; KEEP(*(.fini_array)) __fini_array_end = .; } > CODE
  .ARM.exidx : { *(.ARM.exidx*) } > CODE
  .data : { *(.data*) } > RAM
  .bss (NOLOAD) : { __bss_start__ = .; *(.bss*) *(COMMON) . = ALIGN(8); __bss_end__ = .; } > RAM
  end = .; __end__ = .;
  __stack = ORIGIN(RAM) + LENGTH(RAM);
}
`;

const ARM_STARTUP = `/* Vector table and reset for qemu mps2-an386: newlib's _start (rdimon crt0) does the rest. */
extern void _start(void);
extern char __stack[];
void tml_reset(void) { _start(); }
__attribute__((section(".tml_vectors"), used)) static void *const tml_vectors[2] = { __stack, (void *)tml_reset };
`;

/** Compiles for Cortex-M4 (qemu mps2-an386) with newlib semihosting; returns the ELF path. */
export function compileArm(dir: string, sources: string[]): string {
  writeFileSync(join(dir, 'mps2.ld'), ARM_LINKER_SCRIPT);
  writeFileSync(join(dir, 'startup.c'), ARM_STARTUP);
  const elf = join(dir, 'parity.elf');
  execFileSync('arm-none-eabi-gcc', ['-std=c99', '-mcpu=cortex-m4', '-mthumb', '-O2', '-Wall', '-Wno-unused-function', '--specs=rdimon.specs',
    `-I${RUNTIME_DIR}`, `-I${dir}`, ...sources, join(dir, 'startup.c'), '-T', join(dir, 'mps2.ld'), '-o', elf], { stdio: 'pipe' });
  return elf;
}

/** Runs an ELF on qemu's Cortex-M4 board; stdout comes through semihosting. */
export function runArm(elf: string): string[] {
  const text = execFileSync('qemu-system-arm', ['-M', 'mps2-an386', '-nographic', '-monitor', 'none', '-serial', 'none',
    '-semihosting-config', 'enable=on,target=native', '-kernel', elf], { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 << 20 });
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.length > 0);
}

/** The first differing line of two outputs, or undefined when equal. */
export function diff(got: string[], want: string[]): string | undefined {
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (got[i] !== want[i]) return `line ${i}:\n  C:  ${got[i]}\n  TS: ${want[i]}`;
  }
  return undefined;
}

