/**
 * Exact parity: 1,000 random models (all ops, random shapes, scales, zero points, activations)
 * through the TypeScript interpreter and through the C runtime compiled with host gcc, byte for
 * byte (quantized input, int8 output, dequantized float32 bits). Both requantization paths of the
 * C runtime (64-bit and the 32-bit piecewise form used on AVR) are checked.
 */
import { strict as assert } from 'assert';
import { requireTool } from '../support/tools';
import { randomModel, rng } from '../support/int8-models';
import { buildDir, compileHost, expectedLines, runLines, writeProgram, ParityCase } from '../support/int8-c-harness';
import { elements } from '../../src/model/artifact';

export function randomCases(count: number, firstSeed: number): ParityCase[] {
  const cases: ParityCase[] = [];
  for (let s = firstSeed; s < firstSeed + count; s++) {
    const artifact = randomModel(s);
    const r = rng(s * 7 + 1);
    const n = elements(artifact.input.shape);
    const features = new Float32Array(n);
    for (let i = 0; i < n; i++) features[i] = (r() - 0.5) * (r() < 0.1 ? 1000 : 8);
    if (n > 2) features[1] = Number.NaN;
    cases.push({ artifact, features });
  }
  return cases;
}

function diff(got: string[], want: string[]): string | undefined {
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (got[i] !== want[i]) return `line ${i}:\n  C:  ${got[i]}\n  TS: ${want[i]}`;
  }
  return undefined;
}

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

  it('and with the 32-bit piecewise requantization used on AVR', () => {
    const got = runLines(compileHost(dir, sources, ['TML_REQUANT_PIECEWISE']));
    assert.equal(diff(got, want), undefined);
  });
});
