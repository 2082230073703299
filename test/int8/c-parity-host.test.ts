/**
 * Exact parity: 1,000 random models (all ops, random shapes, scales, zero points, activations)
 * through the TypeScript interpreter and through the C runtime compiled with host gcc, byte for
 * byte (quantized input, int8 output, dequantized float32 bits). Both requantization paths of the
 * C runtime (the default 64-bit one and the opt-in 32-bit piecewise form) are checked.
 */
import { strict as assert } from 'assert';
import { requireTool } from '../support/tools';
import { randomCases } from '../support/int8-models';
import { buildDir, compileHost, diff, expectedLines, runLines, writeProgram } from '../support/int8-c-harness';

describe('int8 parity: TypeScript interpreter == C runtime (host gcc)', function () {
  this.timeout(300_000);
  const cases = randomCases(1000, 1);
  const want = [...expectedLines(cases), 'END'];
  let dir = '';
  let sources: string[] = [];

  before(() => {
    requireTool('gcc', 'gcc');
    dir = buildDir('host-parity');
    sources = writeProgram(dir, cases, 'host');
  });

  it('1,000 random models give identical bytes with the 64-bit requantization', () => {
    const got = runLines(compileHost(dir, sources, ['TML_REQUANT_INT64']));
    assert.equal(got.length, want.length);
    assert.equal(diff(got, want), undefined);
  });

  it('and with the opt-in 32-bit piecewise requantization', () => {
    const got = runLines(compileHost(dir, sources, ['TML_REQUANT_PIECEWISE']));
    assert.equal(diff(got, want), undefined);
  });
});
