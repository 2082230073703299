/**
 * The C runtime's 32-bit piecewise SRDHM (used on AVR) against its exact 64-bit one, compiled with
 * host gcc, on millions of random pairs (x any int32, multiplier 0..2^31-1) plus edge values.
 */
import { strict as assert } from 'assert';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { execFileSync } from 'child_process';
import { requireTool } from '../support/tools';
import { buildDir, RUNTIME_DIR } from '../support/int8-c-harness';

const PROGRAM = `#include <stdio.h>
#include "tml_runtime.h"
static uint32_t s = 12345u;
static uint32_t next(void) { s ^= s << 13; s ^= s >> 17; s ^= s << 5; return s; }
int main(void) {
  static const int32_t edges[] = { 0, 1, -1, 2, -2, 32767, 32768, -32768, -32769, 65535, 65536, -65536,
    INT32_C(1) << 30, -(INT32_C(1) << 30), INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1 };
  const int n = sizeof edges / sizeof edges[0];
  long bad = 0, i; int a, b;
  for (a = 0; a < n; a++) for (b = 0; b < n; b++) if (edges[b] >= 0 &&
      tml_srdhm(edges[a], edges[b]) != tml_srdhm_nonneg_piecewise(edges[a], edges[b])) bad++;
  for (i = 0; i < 5000000; i++) {
    int32_t x = (int32_t)next(), m = (int32_t)(next() & 0x7fffffffu);
    if (i & 1) x >>= (next() & 31);
    if (i % 3 == 0) m = (int32_t)(0x40000000u | (next() & 0x3fffffffu));
    if (tml_srdhm(x, m) != tml_srdhm_nonneg_piecewise(x, m)) { if (bad < 5) printf("x=%ld m=%ld\\n", (long)x, (long)m); bad++; }
  }
  printf("%ld\\n", bad);
  return 0;
}
`;

describe('C fixed point: 32-bit piecewise SRDHM == 64-bit SRDHM', function () {
  this.timeout(120_000);
  it('agrees on 5,000,000 random pairs and all edge pairs', () => {
    requireTool('gcc', 'gcc');
    const dir = buildDir('c-fixed-point');
    writeFileSync(join(dir, 'srdhm.c'), PROGRAM);
    const exe = join(dir, 'srdhm');
    execFileSync('gcc', ['-std=c99', '-O2', '-Wall', `-I${RUNTIME_DIR}`, join(dir, 'srdhm.c'), join(RUNTIME_DIR, 'tml_fixed_point.c'), '-o', exe]);
    assert.equal(execFileSync(exe, { encoding: 'utf8' }).trim(), '0');
  });
});
