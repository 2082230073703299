/**
 * `tinyml deploy MODEL --board emulated-uno --port PATH --json` in its own process against the
 * emulated Uno (optiboot, avrdude): exit 0, one JSON report on stdout, progress by stage on
 * stderr; then the board streams result lines of that model from its (synthetic) sensor.
 * Also `tinyml boards --json` names the toolchain for each board.
 */
import assert from 'assert';
import { execFile, execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { parseDeviceResult } from '../../src/deploy/device-result';
import { ParityTwin } from '../../src/deploy/parity-twin';
import { captureSketchDir } from '../../src/virtual/capture-firmware';
import { buildOptiboot } from '../../src/toolchain/optiboot';
import { EmulatedUno } from '../../src/virtual/emulated-uno';
import { openHost, requireAvrTools } from '../support/emulator';
import { requireTool } from '../support/tools';
import { deployTestModel } from './deploy-fixtures';

const MAIN = path.resolve(__dirname, '..', '..', 'src', 'cli', 'main.js');

/** Runs the CLI as bin/tinyml.js does, from this build's compiled main. */
function tinyml(args: string[], timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `require(${JSON.stringify(MAIN)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script, ...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
  });
}

/** The capture sketch's synthetic sensor (tml_synthetic.h) on the host: what the board reads, as the text the capture sketch prints. */
function hostSyntheticStream(dir: string, rateHz: number, count: number): number[][] {
  const main = path.join(dir, 'synth.c');
  fs.writeFileSync(main, [
    `#define TML_RATE_HZ ${rateHz}`, '#include <stdio.h>', '#include "tml_synthetic.h"', '#include "tml_line_format.h"',
    'int main(void) { tml_synth_t s; tml_synth_init(&s); char buf[64];',
    `  for (int n = 0; n < ${count}; n++) { int32_t v[3]; tml_synth_next(&s, v); int len = 0;`,
    "    for (int i = 0; i < 3; i++) { if (i) buf[len++] = ','; len += tml_format_fixed(buf + len, v[i], 3); }",
    '    buf[len] = 0; printf("%s\\n", buf); } return 0; }',
  ].join('\n'));
  const exe = path.join(dir, 'synth');
  execFileSync('gcc', ['-std=c99', `-I${captureSketchDir()}`, '-o', exe, main]);
  return execFileSync(exe, { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(',').map(Number));
}

describe('deploy: tinyml deploy on the command line', function () {
  this.timeout(180_000);
  let dir: string;
  let uno: EmulatedUno | null = null;
  before(() => {
    requireAvrTools();
    requireTool('avrdude', 'avrdude');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-cli-deploy-'));
  });
  after(async () => {
    await uno?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('deploys to the emulated Uno and prints a JSON report; the sensor-mode results of the board equal the simulator', async () => {
    const boot = await buildOptiboot();
    uno = new EmulatedUno({ bootloader: boot, link: path.join(dir, 'ttyCLI') });
    const port = await uno.start();
    const artifact = deployTestModel();
    const model = path.join(dir, 'model.json');
    fs.writeFileSync(model, JSON.stringify(artifact));
    const userDir = path.join(dir, 'user');
    const r = await tinyml(['deploy', model, '--board', 'emulated-uno', '--port', port, '--json', '--user-dir', userDir]);
    assert.strictEqual(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { ok: boolean; hash: string; board: string; driver: string; sizes: { flash: number; ram: number }; limits: { flash: number } };
    assert.strictEqual(report.ok, true);
    assert.strictEqual(report.hash, artifact.hash);
    assert.strictEqual(report.driver, 'debian-avr');
    assert.ok(report.sizes.flash > 0 && report.sizes.flash <= report.limits.flash);
    for (const stage of ['generate', 'compile', 'size', 'upload', 'verify']) assert.match(r.stderr, new RegExp(`^${stage}: `, 'm'));
    assert.deepStrictEqual(fs.readdirSync(path.join(userDir, 'tinyml', 'build')), []);

    // Sensor mode: 32-sample windows of the synthetic sensor at 50 Hz, one result line each, equal
    // to the simulator fed the same synthetic samples (the sensor path: (float)v / 1000).
    const twin = new ParityTwin(artifact, 'emulated-uno', 32);
    for (const sample of hostSyntheticStream(dir, 50, 32 * 12)) twin.push(sample);
    const host = await openHost(port);
    try {
      await host.waitFor((l) => parseDeviceResult(l)?.win === 9, 20_000);
      const results = host.lines.map((l) => parseDeviceResult(l.line)).filter((r) => r !== null);
      assert.strictEqual(results.length, 10);
      for (const r of results) {
        assert.strictEqual(r.hash, artifact.hash);
        assert.strictEqual(twin.check(r), null, `window ${r.win}`);
      }
      assert.ok(!host.lines.some((l) => l.line.startsWith('# tinyml-gap')), 'no sample was late by 10 periods');
    } finally {
      await host.close();
    }
  });

  it('exits 1 with the stage and a JSON error when the port does not exist', async () => {
    const model = path.join(dir, 'model.json');
    const r = await tinyml(['deploy', model, '--board', 'emulated-uno', '--port', path.join(dir, 'no-such-tty'), '--json', '--user-dir', path.join(dir, 'user')]);
    assert.strictEqual(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { ok: boolean; stage: string; error: string };
    assert.strictEqual(out.ok, false);
    assert.strictEqual(out.stage, 'upload');
    assert.match(r.stderr, /tinyml: deploy failed at upload: upload to '.*no-such-tty' failed/);
  });

  it('tinyml boards --json says which toolchain builds for each board', async () => {
    const r = await tinyml(['boards', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const boards = JSON.parse(r.stdout) as { id: string; buildWith: string | null; toolchains: { driver: string; ok: boolean }[] }[];
    const uno = boards.find((b) => b.id === 'uno');
    assert.ok(uno && uno.toolchains.some((t) => t.driver === 'debian-avr' && t.ok), 'Debian AVR toolchain installed (see .ci/run)');
    assert.ok(uno.buildWith === 'arduino-cli' || uno.buildWith === 'debian-avr');
    assert.deepStrictEqual(boards.find((b) => b.id === 'replay')?.toolchains, []);
    const esp = boards.find((b) => b.id === 'esp32');
    assert.ok(esp && esp.toolchains.some((t) => t.driver === 'debian-avr' && !t.ok));
  });
});
