/**
 * The capture sketch builds for the Uno with Debian's toolchain and fits with margin; the build
 * driver names the file and line of a compile error; the synthetic signal is the same integer
 * sequence on the emulated ATmega328P and compiled for the host.
 */
import assert from 'assert';
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { parseAnnouncement } from '../../src/serial/announcement';
import { buildSketch } from '../../src/toolchain/avr-build';
import { CompileError } from '../../src/toolchain/compiler-diagnostics';
import { runAvrProgram } from '../../src/virtual/avr-run';
import { buildCaptureFirmware, captureSketchDir } from '../../src/virtual/capture-firmware';
import { requireAvrTools } from '../support/emulator';

describe('capture sketch (firmware/arduino/tinyml_capture)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    requireAvrTools();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-capture-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('compiles for the Uno (synthetic) and fits 32 KB flash / 2 KB RAM with a wide margin', async () => {
    const r = await buildCaptureFirmware();
    assert.ok(fs.existsSync(r.hexPath) && fs.existsSync(r.elfPath));
    assert.strictEqual(r.warnings.length, 0, r.warnings.map((w) => `${w.file}:${w.line} ${w.message}`).join('\n'));
    assert.ok(r.sizes.text > 1000, `text ${r.sizes.text}`);
    assert.ok(r.sizes.flash <= r.limits.flash / 4, `flash ${r.sizes.flash} of ${r.limits.flash}`);
    assert.ok(r.sizes.ram <= 512, `RAM for globals ${r.sizes.ram} of 2048`);
  });

  it('compiles the analog variant with a pin list', async () => {
    const r = await buildCaptureFirmware({ sensor: { analogPins: ['A0', 'A3'] }, rateHz: 50 });
    assert.ok(r.sizes.flash < 8192 && r.sizes.ram < 512);
    const run = await runAvrProgram(r.elfPath, { maxCycles: 2_000_000 });
    const first = run.uart.split(/\r?\n/)[0];
    const a = parseAnnouncement(first);
    assert.ok(a, first);
    assert.deepStrictEqual(a.axes, ['a0', 'a3']);
    assert.deepStrictEqual(a.units, ['raw', 'raw']);
    assert.strictEqual(a.rate, 50);
    assert.strictEqual(a.sensor, 'analog');
  });

  it('refuses two sensors at once with the sketch file and line', async () => {
    await assert.rejects(buildSketch(captureSketchDir(), { defines: { TML_SENSOR_SYNTHETIC: true, TML_SENSOR_ANALOG: true }, buildDir: path.join(dir, 'two') }), (err: unknown) => {
      assert.ok(err instanceof CompileError);
      assert.match(err.message, /tml_capture_config\.h:\d+:\d+: error: .*exactly one of/);
      return true;
    });
  });

  it('reports a sketch compile error at the .ino file and line', async () => {
    const sketch = path.join(dir, 'broken');
    fs.mkdirSync(sketch);
    fs.writeFileSync(path.join(sketch, 'broken.ino'), 'void setup() {\n}\nvoid loop() {\n  nothing_declared(3);\n}\n');
    await assert.rejects(buildSketch(sketch, { buildDir: path.join(dir, 'broken-build') }), (err: unknown) => {
      assert.ok(err instanceof CompileError);
      assert.match(err.message, /broken\.ino:4:\d+: error: .*nothing_declared/);
      assert.strictEqual(err.diagnostics.find((d) => d.severity === 'error')?.line, 4);
      return true;
    });
  });

  it('reuses an unchanged build and rebuilds when a header of the sketch changes', async () => {
    const sketch = path.join(dir, 'cached');
    fs.mkdirSync(sketch);
    fs.writeFileSync(path.join(sketch, 'value.h'), '#define VALUE 1\n');
    fs.writeFileSync(path.join(sketch, 'cached.ino'), '#include "value.h"\nvoid setup() { Serial.begin(9600); Serial.println(VALUE); }\nvoid loop() {}\n');
    const first = await buildSketch(sketch);
    const mtime = fs.statSync(first.elfPath).mtimeMs;
    const firstHex = fs.readFileSync(first.hexPath, 'utf8');
    const again = await buildSketch(sketch);
    assert.strictEqual(again.elfPath, first.elfPath);
    assert.strictEqual(fs.statSync(again.elfPath).mtimeMs, mtime);
    fs.writeFileSync(path.join(sketch, 'value.h'), '#define VALUE 123456789L\n');
    const changed = await buildSketch(sketch);
    assert.notStrictEqual(fs.readFileSync(changed.hexPath, 'utf8'), firstHex, 'rebuilt with the new header');
    fs.rmSync(first.buildDir, { recursive: true, force: true });
  });

  it('prints the same synthetic samples on the ATmega328P as the same C on the host', async () => {
    const fw = await buildCaptureFirmware();
    // 1.5 s of chip time at 100 Hz: the announcement and ~150 samples.
    const run = await runAvrProgram(fw.elfPath, { maxCycles: 24_000_000 });
    const avrLines = run.uart.split('\r\n').slice(1).filter((l) => l !== '');
    assert.ok(avrLines.length >= 140, `only ${avrLines.length} lines`);

    const main = path.join(dir, 'host_synth.c');
    fs.writeFileSync(main, [
      '#define TML_RATE_HZ 100',
      '#include <stdio.h>',
      '#include "tml_synthetic.h"',
      '#include "tml_line_format.h"',
      'int main(void) { tml_synth_t s; tml_synth_init(&s); char buf[64];',
      '  for (int n = 0; n < 400; n++) { int32_t v[3]; tml_synth_next(&s, v); int len = 0;',
      '    for (int i = 0; i < 3; i++) { if (i) buf[len++] = \',\'; len += tml_format_fixed(buf + len, v[i], 3); }',
      '    buf[len] = 0; puts(buf); } return 0; }',
    ].join('\n'));
    const exe = path.join(dir, 'host_synth');
    execFileSync('gcc', ['-std=c99', '-Wall', '-Werror', `-I${captureSketchDir()}`, '-o', exe, main]);
    const hostLines = execFileSync(exe, { encoding: 'utf8' }).split('\n');
    assert.deepStrictEqual(avrLines, hostLines.slice(0, avrLines.length));
    // The signal has its documented shape: az around 1 g, an event (|az - 1| > 0.35 g) after 2 s.
    const az = hostLines.slice(0, 400).map((l) => Number(l.split(',')[2]));
    assert.ok(az.slice(0, 190).every((v) => Math.abs(v - 1) < 0.25));
    assert.ok(az.slice(200, 240).some((v) => Math.abs(v - 1) > 0.35));
  });
});
