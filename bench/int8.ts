/**
 * Int8 runtime figures: on the emulated ATmega328P (simavr, avr-gcc -O2, weights in PROGMEM)
 * cycles per MAC of a dense 64x16 layer and cycles per requantized output (32-bit piecewise vs
 * TFLite's 64-bit form); in Node, interpreter inferences per second vs a naive BigInt requantization.
 */
import { execFileSync } from 'child_process';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { BenchRow } from './bench-row';
import { Artifact, withHash } from '../src/model/artifact';
import { encodeInt8 } from '../src/model/weight-encoding';
import { generateCModel } from '../src/codegen/c-model';
import { runModel } from '../src/mcu/interpreter';
import { prepareModel } from '../src/mcu/prepared-model';
import { srdhmBigInt, roundingDivideByPot } from '../src/quant/fixed-point';
import { runAvrProgram } from '../src/virtual/avr-run';
import { buildDir, RUNTIME_DIR, RUNTIME_SOURCES, AVR_TEST_DIR } from '../test/support/int8-c-harness';
import { mulberry32 } from '../src/random/mulberry32';

function dense64x16(): Artifact {
  const r = mulberry32(99);
  const inQ = { scale: Math.fround(0.05), zeroPoint: -3 };
  const outQ = { scale: Math.fround(0.2), zeroPoint: 5 };
  return withHash({
    format: 'tinyml-model', version: 1, name: 'bench_dense', kind: 'classifier',
    labels: Array.from({ length: 16 }, (_, i) => `c${i}`),
    input: {
      window: { length: 64, axes: ['x'], rateHz: 100 }, features: { kind: 'raw' },
      normalization: { mean: new Array(64).fill(0), scale: new Array(64).fill(1) }, shape: [64], quantization: inQ,
    },
    output: { shape: [16], quantization: outQ },
    layers: [{
      op: 'fully_connected', inputShape: [64], outputShape: [16], input: inQ, output: outQ, units: 16, activation: 'relu',
      weights: encodeInt8(Int8Array.from({ length: 1024 }, () => Math.floor(r() * 255) - 127)),
      weightScales: Array.from({ length: 16 }, () => Math.fround(0.002 + r() * 0.01)),
      bias: Array.from({ length: 16 }, () => Math.floor(r() * 2000) - 1000),
    }],
  });
}

const AVR_MAIN = `#include "tml_avr_test.h"
#include "tml_model_bench_dense.h"
static int8_t buf_a[TML_BENCH_DENSE_BUF_A_SIZE], buf_b[TML_BENCH_DENSE_BUF_B_SIZE];
volatile int32_t sink;
int main(void) {
  uint8_t i;
  volatile int32_t acc = 123456; volatile int32_t mult = 1518500250; volatile int8_t shift = -7;
  tml_layer_t l;
  for (i = 0; i < 64; i++) buf_a[i] = (int8_t)(i * 37);
  TML_MEMCPY_P(&l, &tml_model_bench_dense.layers[0], sizeof l);
  TML_MARK(1);
  tml_fully_connected(&l, buf_a, buf_b);
  TML_MARK(2);
  for (i = 0; i < 16; i++) sink = tml_mul_by_quantized_multiplier(acc + i, mult, shift);
  TML_MARK(3);
  for (i = 0; i < 16; i++) sink = acc + i;
  TML_MARK(4);
  return 0;
}
`;

async function avrFigures(requant: 'TML_REQUANT_PIECEWISE' | 'TML_REQUANT_INT64'): Promise<{ perMac: number; perRequant: number }> {
  const dir = buildDir('bench', requant.toLowerCase());
  const h = generateCModel(dense64x16());
  writeFileSync(join(dir, h.fileName), h.source);
  writeFileSync(join(dir, 'main.c'), AVR_MAIN);
  const elf = join(dir, 'bench.elf');
  execFileSync('avr-gcc', ['-std=c99', '-mmcu=atmega328p', '-DF_CPU=16000000UL', '-O2', `-D${requant}`, `-I${RUNTIME_DIR}`, `-I${AVR_TEST_DIR}`,
    `-I${dir}`, join(dir, 'main.c'), ...RUNTIME_SOURCES.map((s) => join(RUNTIME_DIR, s)), '-o', elf]);
  const run = await runAvrProgram(elf, { timeoutMs: 30_000 });
  const at = (tag: number): number => {
    const m = run.marks.find((x) => x.tag === tag);
    if (!m) throw new Error(`bench: mark ${tag} missing (run ${run.ended})`);
    return m.cycle;
  };
  const layer = at(2) - at(1);
  const requantLoop = at(3) - at(2) - (at(4) - at(3));
  // The layer's own requantizations are taken out so the MAC figure is the inner loop's.
  const perRequant = requantLoop / 16;
  return { perMac: (layer - 16 * perRequant) / 1024, perRequant };
}

function naiveBigIntRun(artifact: Artifact, input: Int8Array): Int8Array {
  const p = prepareModel(artifact).layers[0].weighted!;
  const out = new Int8Array(16);
  for (let o = 0; o < 16; o++) {
    let acc = 0;
    for (let i = 0; i < 64; i++) acc += p.weights[o * 64 + i] * (input[i] + p.inputOffset);
    acc = (acc + p.bias[o]) | 0;
    const shift = p.shifts[o];
    const x = shift > 0 ? Number(BigInt.asIntN(32, BigInt(acc) << BigInt(shift))) : acc;
    const v = roundingDivideByPot(srdhmBigInt(x, p.multipliers[o]), shift > 0 ? 0 : -shift) + p.outputOffset;
    out[o] = Math.min(p.actMax, Math.max(p.actMin, v));
  }
  return out;
}

function perSecond(fn: () => void, ms = 1000): number {
  let n = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  return (n / elapsed) * 1000;
}

export async function benchInt8(): Promise<BenchRow[]> {
  const piecewise = await avrFigures('TML_REQUANT_PIECEWISE');
  const int64 = await avrFigures('TML_REQUANT_INT64');
  const artifact = dense64x16();
  const input = Int8Array.from({ length: 64 }, (_, i) => (i * 37) << 24 >> 24);
  runModel(artifact, input);
  const fast = perSecond(() => runModel(artifact, input));
  const naive = perSecond(() => naiveBigIntRun(artifact, input));
  return [
    { name: 'int8 dense 64x16 on ATmega328P (simavr, -O2, PROGMEM weights)', value: round(int64.perMac), unit: 'cycles/MAC', note: 'requantization excluded' },
    { name: 'int8 requantization on ATmega328P (TFLite 64-bit form, default)', value: round(int64.perRequant), unit: 'cycles/output', baseline: round(piecewise.perRequant), note: 'baseline: the exact 32-bit piecewise form (opt-in), same chip' },
    { name: 'TS interpreter, dense 64x16', value: Math.round(fast), unit: 'inferences/s', baseline: Math.round(naive), note: 'baseline: naive BigInt requantization' },
  ];
}

const round = (x: number): number => Math.round(x * 10) / 10;

if (require.main === module) {
  benchInt8().then((rows) => console.log(JSON.stringify(rows, null, 2)), (e: Error) => { console.error(e.message); process.exit(1); });
}
