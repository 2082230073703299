/**
 * The whole deploy chain on the emulated Uno (simavr ATmega328P + optiboot, programmed by avrdude
 * through the bootloader like a real board): generate -> compile -> size check -> upload ->
 * verify the model hash -> stream 200+ windows in hardware-in-the-loop mode, and every label and
 * int8 score of the device equals the simulator's. The model is trained (src/train) on generated
 * data, so the device's labels also mostly name the class of the samples it was sent.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { deployModel, DeployProgress } from '../../src/deploy/deploy';
import { DirectPortLink } from '../../src/deploy/device-link';
import { runHil } from '../../src/deploy/hil';
import { DebianAvrDriver } from '../../src/toolchain/debian-avr';
import { buildOptiboot } from '../../src/toolchain/optiboot';
import { buildCaptureFirmware } from '../../src/virtual/capture-firmware';
import { EmulatedUno } from '../../src/virtual/emulated-uno';
import { requireAvrTools } from '../support/emulator';
import { requireTool } from '../support/tools';
import { KINDS, syntheticLabelled, trainedTestModel, WINDOW } from './deploy-fixtures';

describe('deploy: full chain on the emulated Uno', function () {
  this.timeout(240_000);
  let dir: string;
  let uno: EmulatedUno | null = null;
  let link: DirectPortLink | null = null;
  before(() => {
    requireAvrTools();
    requireTool('avrdude', 'avrdude');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-deploy-'));
  });
  after(async () => {
    await link?.close();
    await uno?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uploads through the bootloader, verifies the hash, and 200+ HIL windows equal the simulator', async () => {
    const [boot, capture] = await Promise.all([buildOptiboot(), buildCaptureFirmware({ rateHz: 50 })]);
    uno = new EmulatedUno({ bootloader: boot, firmware: capture.hexPath, link: path.join(dir, 'ttyUNO') });
    const port = await uno.start();
    link = new DirectPortLink(port);
    const artifact = await trainedTestModel();
    const progress: DeployProgress[] = [];
    const workRoot = path.join(dir, 'tinyml', 'build');
    const stride = 16;
    const report = await deployModel(artifact, {
      board: 'emulated-uno', link, workRoot, mode: 'hil', strideSamples: stride, drivers: [new DebianAvrDriver()], onProgress: (p) => progress.push(p),
    });
    assert.strictEqual(report.hash, artifact.hash);
    assert.match(report.verifiedBy, new RegExp(`model=${artifact.hash}`));
    assert.ok(report.uploadedBytes !== undefined && report.uploadedBytes === report.sizes.flash, `uploaded ${report.uploadedBytes}, image ${report.sizes.flash}`);
    assert.deepStrictEqual(progress.filter((p) => p.state === 'done').map((p) => p.stage), ['generate', 'compile', 'size', 'upload', 'verify']);
    assert.deepStrictEqual(fs.readdirSync(workRoot), [], 'the build folder is removed');

    const { samples, kinds } = syntheticLabelled(99, WINDOW + stride * 205);
    const hil = await runHil(artifact, link, samples, { board: 'emulated-uno', stride });
    assert.strictEqual(hil.windows, 206);
    assert.deepStrictEqual(hil.mismatches.map((m) => m.message), []);
    assert.strictEqual(hil.matched, 206);
    const labels = new Set(hil.results.map((r) => r.label));
    assert.ok(labels.size === 3, `the windows exercise every label (${[...labels].join(', ')})`);
    // Windows inside one segment: the device names its class (a trained model, not random weights).
    const pure = hil.results.filter((r) => kinds[r.win * stride] === kinds[r.win * stride + WINDOW - 1]);
    const right = pure.filter((r) => r.label === KINDS[kinds[r.win * stride]]).length;
    assert.ok(right / pure.length > 0.9, `${right} of ${pure.length} single-class windows labelled right`);
    assert.ok(hil.meanUs !== null && hil.meanUs > 0);
  });
});
