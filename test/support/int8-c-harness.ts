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
  const out = target === 'avr' ? 'uart_putc' : 'putchar';
  const main = `#include <stdio.h>
#include <math.h>
#include "tml_runtime.h"
${target === 'avr' ? `#include <avr/io.h>
static void uart_putc(char c) { while (!(UCSR0A & (1 << UDRE0))) {} UDR0 = (uint8_t)c; }
static void uart_init(void) { UBRR0H = 0; UBRR0L = 8; UCSR0B = (1 << TXEN0); UCSR0C = (1 << UCSZ01) | (1 << UCSZ00); }` : ''}
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
${target === 'avr' ? '  uart_init();' : ''}
${runs.join('\n')}
  put_str("END\\n");
${target === 'avr' ? '  while (!(UCSR0A & (1 << TXC0))) {}\n  __asm__ volatile("cli"); __asm__ volatile("sleep");' : ''}
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
