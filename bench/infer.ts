/**
 * `npm run bench -- infer`: inferences/s of the TypeScript int8 interpreter and of the same model in
 * the C runtime compiled with host gcc -O2 (a harness timing N inferences), and their ratio, for a
 * ~2,000-MAC dense model and a small 1-D CNN; cycles per MAC on the emulated ATmega328P against
 * the hardware floor. Both sides are timed in process CPU time, best of three, so other work on
 * a shared machine does not skew the ratio.
 *
 * AVR floor per MAC (ATmega328P instruction set manual, Microchip DS40002198, cycle column):
 * LPM Rd,Z+ weight from flash 3 + LD Rd,X+ input from SRAM 2 + MULS 2 + ADD/ADC/ADC/ADC into the
 * 32-bit accumulator 4 = 11 cycles, with loop control, sign extension and pointer set-up free
 * (fully unrolled). Our figure includes all of those and requantization.
 */
import { execFileSync } from 'child_process';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { BenchRow } from './bench-row';
import { Artifact, elements } from '../src/model/artifact';
import { generateCModel } from '../src/codegen/c-model';
import { runModel } from '../src/mcu/interpreter';
import { layerOpCounts } from '../src/mcu/op-counts';
import { buildDir, RUNTIME_DIR, RUNTIME_SOURCES } from '../test/support/int8-c-harness';
import { buildModel, cnnModel } from '../test/support/tflite-models';
import { measureAvrCycles } from '../test/sim/avr-measure';

export const AVR_MAC_FLOOR = 3 + 2 + 2 + 4;

/** 64 -> 24 -> 16 -> 4, softmax: 1,984 MACs. */
export function dense2k(): Artifact {
  return buildModel('dense_2k', 21, [64], [
    { op: 'fc', units: 24, activation: 'relu', perChannel: true },
    { op: 'fc', units: 16, activation: 'relu', perChannel: true },
    { op: 'fc', units: 4, activation: 'none', perChannel: true },
    { op: 'softmax' },
  ], ['a', 'b', 'c', 'd']);
}

function macs(m: Artifact): number {
  return layerOpCounts(m).reduce((n, c) => n + c.macs, 0);
}

function input(m: Artifact): Int8Array {
  return Int8Array.from({ length: elements(m.input.shape) }, (_, i) => ((i * 37 + 11) << 24) >> 24);
}

/** CPU time of this process in ms (user + system): other processes on the shared machine do not count. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Best of 3 rounds of ~ms/3 each, in CPU time (as the C harness measures). */
function tsPerSecond(m: Artifact, ms = 1500): number {
  const x = input(m);
  // Warm-up by time, not count: on a busy machine the optimizing compiler's thread may need a while.
  const warm = cpuMs();
  while (cpuMs() - warm < 400) for (let i = 0; i < 200; i++) runModel(m, x);
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const t0 = cpuMs();
    let elapsed = 0;
    while (elapsed < ms / 3) {
      for (let i = 0; i < 500; i++) runModel(m, x);
      n += 500;
      elapsed = cpuMs() - t0;
    }
    best = Math.max(best, (n / elapsed) * 1000);
  }
  return best;
}

/** The C runtime at -O2 on this machine: a harness that times N inferences in process CPU time (best of 3 runs). */
function cPerSecond(m: Artifact, n: number): number {
  const dir = buildDir('bench-infer', m.name);
  const h = generateCModel(m);
  writeFileSync(join(dir, h.fileName), h.source);
  const x = Array.from(input(m)).join(', ');
  writeFileSync(join(dir, 'main.c'), `#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tml_runtime.h"
#include "${h.fileName}"
static int8_t buf_a[${Math.max(1, h.bufASize)}], buf_b[${Math.max(1, h.bufBSize)}];
static const int8_t input[] = { ${x} };
int main(int argc, char **argv) {
  long n = atol(argv[1]), i;
  volatile int8_t sink = 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
  for (i = 0; i < n; i++) {
    memcpy(buf_a, input, sizeof input); /* the interpreter's input is copied in per inference too */
    sink ^= tml_run(&${h.symbol}, buf_a, buf_b)[0];
  }
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
  printf("%.1f\\n", n / ((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9));
  return sink == 127 ? 0 : 0;
}
`);
  const exe = join(dir, 'bench');
  execFileSync('gcc', ['-std=c99', '-O2', `-I${RUNTIME_DIR}`, `-I${dir}`, join(dir, 'main.c'), ...RUNTIME_SOURCES.map((s) => join(RUNTIME_DIR, s)), '-o', exe], { stdio: 'pipe' });
  execFileSync(exe, [String(Math.ceil(n / 10))]); // warm-up
  return Math.max(...[0, 1, 2].map(() => Number(execFileSync(exe, [String(n)], { encoding: 'utf8' }).trim())));
}

export async function benchInfer(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [m, label] of [[dense2k(), `dense 64-24-16-4 (${macs(dense2k())} MACs)`], [cnnModel(), `1-D CNN 50x3 (${macs(cnnModel())} MACs)`]] as const) {
    const ts = tsPerSecond(m);
    const c = cPerSecond(m, Math.max(20_000, Math.round(ts * 2)));
    rows.push({ name: `TS interpreter, ${label}`, value: Math.round(ts), unit: 'inferences/s', ...(m.name === 'dense_2k' ? { target: { atLeast: 50_000 } } : {}) });
    rows.push({ name: `C runtime gcc -O2 (host), ${label}`, value: Math.round(c), unit: 'inferences/s' });
    rows.push({ name: `C / TS time ratio, ${label}`, value: Math.round((c / ts) * 100) / 100, unit: 'x', target: { below: 3 }, note: 'how many times faster native C is' });
  }
  // AVR: the dense model's fully connected layers at the Arduino build's -Os, everything included.
  const dense = dense2k();
  const [measured] = await measureAvrCycles([dense], 'bench-infer');
  const fcCycles = dense.layers.reduce((n, l, i) => n + (l.op === 'fully_connected' ? measured.layers[i] : 0), 0);
  rows.push({ name: `ATmega328P (simavr, -Os, PROGMEM), dense FC layers incl. requantization`, value: Math.round((fcCycles / macs(dense)) * 10) / 10, unit: 'cycles/MAC', baseline: AVR_MAC_FLOOR, note: 'baseline: floor LPM 3 + LD 2 + MULS 2 + 32-bit add 4' });
  rows.push({ name: 'ATmega328P dense model, whole inference', value: Math.round(measured.total / 16) / 1000, unit: 'ms at 16 MHz' });
  return rows;
}

if (require.main === module) {
  benchInfer().then((rows) => console.log(JSON.stringify(rows, null, 2)), (e: Error) => { console.error(e.message); process.exit(1); });
}
