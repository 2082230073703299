/**
 * Exact parity on emulated chips: 20 of the random models (all ops) run by the C runtime on an
 * ATmega328P (avr-gcc -O2, weights in PROGMEM; simavr through
 * src/virtual/avr-run.ts) and on a Cortex-M4 (arm-none-eabi-gcc, qemu mps2-an386, semihosting)
 * print exactly what the TypeScript interpreter computes.
 */
import { strict as assert } from 'assert';
import { requireTool } from '../support/tools';
import { randomCases } from '../support/int8-models';
import { buildDir, compileArm, compileAvr, diff, expectedLines, runArm, writeProgram } from '../support/int8-c-harness';
import { runAvrProgram } from '../../src/virtual/avr-run';

describe('int8 parity on emulated MCUs', function () {
  this.timeout(300_000);
  const cases = randomCases(20, 1);

  it('ATmega328P (simavr): 20 random models, identical bytes', async () => {
    requireTool('avr-gcc', 'gcc-avr');
    for (let g = 0; g < cases.length; g += 5) {
      const group = cases.slice(g, g + 5);
      const dir = buildDir('avr-parity', `group${g / 5}`);
      const elf = compileAvr(dir, writeProgram(dir, group, 'avr'));
      const run = await runAvrProgram(elf, { timeoutMs: 60_000 });
      assert.equal(run.ended, 'exit', `group ${g / 5}: the program did not finish (${run.ended})`);
      const got = run.uart.split('\n').filter((l) => l.length > 0);
      assert.equal(diff(got, [...expectedLines(group), 'END']), undefined);
    }
  });

  it('Cortex-M4 (qemu mps2-an386): 20 random models, identical bytes', () => {
    requireTool('arm-none-eabi-gcc', 'gcc-arm-none-eabi');
    requireTool('qemu-system-arm', 'qemu-system-arm');
    const dir = buildDir('arm-parity');
    const got = runArm(compileArm(dir, writeProgram(dir, cases, 'arm')));
    assert.equal(diff(got, [...expectedLines(cases), 'END']), undefined);
  });
});
