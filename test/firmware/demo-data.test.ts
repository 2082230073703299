/**
 * The shipped demo recording (examples/data/capture-demo.csv, made by test/support/record-demo.ts)
 * is small, reads as long-format CSV, and holds exactly what the capture sketch's synthetic
 * signal produces (checked against the same C compiled for the host).
 */
import assert from 'assert';
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { readLongCsv } from '../../src/io/long-csv';
import { packageRoot } from '../../src/toolchain/build-paths';
import { captureSketchDir } from '../../src/virtual/capture-firmware';
import { requireTool } from '../support/tools';

describe('demo data: examples/data/capture-demo.csv', () => {
  const file = path.join(packageRoot(), 'examples', 'data', 'capture-demo.csv');

  it('is a small long-format CSV of 20 s at 100 Hz with t_ms, ax, ay, az', () => {
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(Buffer.byteLength(text) < 100_000);
    const csv = readLongCsv(text, { time: 't_ms' });
    assert.deepStrictEqual(csv.axes, ['ax', 'ay', 'az']);
    assert.strictEqual(csv.recordings.length, 1);
    const rec = csv.recordings[0];
    assert.strictEqual(rec.samples.length, 2000);
    assert.deepStrictEqual(rec.times?.slice(0, 3), [0, 10, 20]);
    assert.strictEqual(rec.times?.[1999], 19_990);
  });

  it('holds the synthetic signal of the capture sketch, sample for sample', () => {
    requireTool('gcc', 'gcc');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-demo-'));
    try {
      const main = path.join(dir, 'synth.c');
      fs.writeFileSync(main, [
        '#define TML_RATE_HZ 100',
        '#include <stdio.h>',
        '#include "tml_synthetic.h"',
        '#include "tml_line_format.h"',
        'int main(void) { tml_synth_t s; tml_synth_init(&s); char buf[64];',
        '  for (int n = 0; n < 2000; n++) { int32_t v[3]; tml_synth_next(&s, v); int len = 0;',
        '    for (int i = 0; i < 3; i++) { if (i) buf[len++] = \',\'; len += tml_format_fixed(buf + len, v[i], 3); }',
        '    buf[len] = 0; printf("%d,%s\\n", n * 10, buf); } return 0; }',
      ].join('\n'));
      const exe = path.join(dir, 'synth');
      execFileSync('gcc', ['-std=c99', `-I${captureSketchDir()}`, '-o', exe, main]);
      const expected = `t_ms,ax,ay,az\n${execFileSync(exe, { encoding: 'utf8' })}`;
      assert.strictEqual(fs.readFileSync(file, 'utf8'), expected);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
