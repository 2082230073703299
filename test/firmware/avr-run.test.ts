/**
 * runAvrProgram: bare-metal C compiled with buildAvrProgram, run headless on the emulated
 * ATmega328P; UART output, exit status and cycle marks come back.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { avrTestSupportDir, buildAvrProgram } from '../../src/toolchain/avr-build';
import { CompileError } from '../../src/toolchain/compiler-diagnostics';
import { runAvrProgram } from '../../src/virtual/avr-run';
import { requireTool } from '../support/tools';

const PROGRAM = `
#include "tml_avr_test.h"
static volatile uint8_t sink;
int main(void) {
  tml_test_init();
  TML_MARK(1);
  for (uint16_t i = 0; i < 100; i++) sink = (uint8_t)i; /* a loop of known shape */
  TML_MARK(2);
  printf("sum=%ld\\n", 41L + 1L);
  tml_test_fast_putc('!');
  return 7;
}
`;

describe('runAvrProgram (emulated ATmega328P, headless)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    requireTool('avr-gcc', 'gcc-avr');
    requireTool('gcc', 'gcc');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-avr-run-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns the UART output, the exit status of main and ordered cycle marks', async () => {
    const src = path.join(dir, 'prog.c');
    fs.writeFileSync(src, PROGRAM);
    const built = await buildAvrProgram({ sources: [src], outDir: dir, includeDirs: [avrTestSupportDir()], optimize: 'O2' });
    assert.ok(built.sizes.text > 0);
    const run = await runAvrProgram(built.elfPath, { timeoutMs: 10_000 });
    assert.strictEqual(run.ended, 'exit');
    assert.strictEqual(run.exitCode, 7);
    assert.strictEqual(run.uart, 'sum=42\n!');
    assert.deepStrictEqual(run.marks.map((m) => m.tag), [1, 2]);
    const loop = run.cycles[1] - run.cycles[0];
    // 100 iterations of a store + increment + compare + branch: several cycles each, not thousands.
    assert.ok(loop > 300 && loop < 2000, `loop took ${loop} cycles`);
    assert.ok(run.totalCycles > run.cycles[1]);
  });

  it('ends a program that never returns at the cycle limit', async () => {
    const src = path.join(dir, 'spin.c');
    fs.writeFileSync(src, '#include <avr/interrupt.h>\nint main(void) { sei(); for (;;) { } }\n');
    const built = await buildAvrProgram({ sources: [src], outDir: dir });
    const run = await runAvrProgram(built.elfPath, { maxCycles: 1_000_000, timeoutMs: 10_000 });
    assert.strictEqual(run.ended, 'timeout');
    assert.strictEqual(run.exitCode, null);
    assert.ok(run.totalCycles >= 1_000_000);
  });

  it('reports a compile error with the file and line', async () => {
    const src = path.join(dir, 'broken.c');
    fs.writeFileSync(src, 'int main(void) {\n  return undeclared_name;\n}\n');
    await assert.rejects(buildAvrProgram({ sources: [src], outDir: dir }), (err: unknown) => {
      assert.ok(err instanceof CompileError);
      assert.match(err.message, /broken\.c:2:\d+: error: .*undeclared_name/);
      return true;
    });
  });
});
