/**
 * Measures the C runtime on the emulated ATmega328P: compiles generated models (src/codegen/c-model.ts)
 * with the runtime at -Os (the Arduino build's flags), a GPIOR0 cycle mark after every layer
 * (TML_LAYER_HOOK), runs them on simavr and returns the cycles of each layer. Also the code
 * bytes of each kernel file (avr-size of the -Os object). Used by the calibration test and bench.
 */
import { execFileSync } from 'child_process';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { generateCModel } from '../../src/codegen/c-model';
import { Artifact, elements } from '../../src/model/artifact';
import { runAvrProgram } from '../../src/virtual/avr-run';
import { AVR_TEST_DIR, buildDir, RUNTIME_DIR, RUNTIME_SOURCES } from '../support/int8-c-harness';

export const AVR_CALIBRATION_FLAGS = ['-Os', '-ffunction-sections', '-fdata-sections', '-Wl,--gc-sections'];

export interface ModelCycles {
  model: string;
  /** Cycles of each layer, in order (a reshape costs its loop turn only). */
  layers: number[];
  /** Cycles of tml_run as a whole. */
  total: number;
}

/** The int8 input every measured model gets: (int8_t)(i * 37 + 11), as the generated main.c writes it. */
export function calibrationInput(n: number): Int8Array {
  return Int8Array.from({ length: n }, (_, i) => ((i * 37 + 11) << 24) >> 24);
}

const START = 250;
const END = 251;

/** Models per program: the ATmega328P's 2 KB hold the model descriptors and the largest buffers of a few. */
const BATCH = 4;

export async function measureAvrCycles(models: readonly Artifact[], tag: string): Promise<ModelCycles[]> {
  const out: ModelCycles[] = [];
  for (let i = 0; i < models.length; i += BATCH) out.push(...(await measureBatch(models.slice(i, i + BATCH), `${tag}-${i / BATCH}`)));
  return out;
}

async function measureBatch(models: readonly Artifact[], tag: string): Promise<ModelCycles[]> {
  const dir = buildDir('sim-calibration', tag);
  const includes: string[] = [];
  const runs: string[] = [];
  let maxA = 1;
  let maxB = 1;
  for (const m of models) {
    const h = generateCModel(m);
    writeFileSync(join(dir, h.fileName), h.source);
    includes.push(`#include "${h.fileName}"`);
    maxA = Math.max(maxA, h.bufASize);
    maxB = Math.max(maxB, h.bufBSize);
    const n = elements(m.input.shape);
    runs.push(`  for (i = 0; i < ${n}; i++) buf_a[i] = (int8_t)(i * 37 + 11);\n  TML_MARK(${START});\n  tml_run(&${h.symbol}, buf_a, buf_b);\n  TML_MARK(${END});`);
  }
  const main = `#include "tml_avr_test.h"
#include "tml_runtime.h"
${includes.join('\n')}
static int8_t buf_a[${maxA}], buf_b[${maxB}];
int main(void) {
  uint16_t i;
${runs.join('\n')}
  return 0;
}
`;
  writeFileSync(join(dir, 'main.c'), main);
  const elf = join(dir, 'calibration.elf');
  execFileSync('avr-gcc', ['-std=c99', '-mmcu=atmega328p', '-DF_CPU=16000000UL', ...AVR_CALIBRATION_FLAGS, '-include', 'avr/io.h',
    '-DTML_LAYER_HOOK(i)=(GPIOR0=(uint8_t)(i))', `-I${RUNTIME_DIR}`, `-I${AVR_TEST_DIR}`, `-I${dir}`,
    join(dir, 'main.c'), ...RUNTIME_SOURCES.map((s) => join(RUNTIME_DIR, s)), '-o', elf], { stdio: 'pipe' });
  const run = await runAvrProgram(elf, { timeoutMs: 120_000 });
  if (run.ended !== 'exit') throw new Error(`calibration program ended with '${run.ended}'`);
  const out: ModelCycles[] = [];
  let k = 0;
  for (const m of models) {
    while (k < run.marks.length && run.marks[k].tag !== START) k++;
    const start = run.marks[k++].cycle;
    let prev = start;
    const layers: number[] = [];
    for (let i = 0; i < m.layers.length; i++) {
      const mark = run.marks[k++];
      if (!mark || mark.tag !== i) throw new Error(`${m.name}: expected the mark of layer ${i}, got ${mark ? mark.tag : 'none'}`);
      layers.push(mark.cycle - prev);
      prev = mark.cycle;
    }
    const end = run.marks[k++];
    if (!end || end.tag !== END) throw new Error(`${m.name}: missing end mark`);
    out.push({ model: m.name, layers, total: end.cycle - start });
  }
  return out;
}

/** .text bytes of each runtime source compiled alone at -Os for the ATmega328P. */
export function measureKernelCodeBytes(): Record<string, number> {
  const dir = buildDir('sim-calibration', 'code-size');
  const sizes: Record<string, number> = {};
  for (const src of RUNTIME_SOURCES) {
    const obj = join(dir, src.replace(/\.c$/, '.o'));
    execFileSync('avr-gcc', ['-std=c99', '-mmcu=atmega328p', '-DF_CPU=16000000UL', '-Os', '-c', `-I${RUNTIME_DIR}`, join(RUNTIME_DIR, src), '-o', obj], { stdio: 'pipe' });
    const text = execFileSync('avr-size', ['-A', obj], { encoding: 'utf8' });
    sizes[src] = text.split('\n').filter((l) => /^\.text/.test(l)).reduce((n, l) => n + Number(l.trim().split(/\s+/)[1]), 0);
  }
  return sizes;
}
