/**
 * The capture node on the emulated Uno: a board node of type 'uno' pointed at the emulator's pty
 * (as a user would point it at /dev/ttyACM0) receives the capture sketch's samples in a real
 * Node-RED runtime: announced axes, the sketch's first sample, a rate estimate near 100 Hz.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import boardModule from '../../nodes/tinyml-board';
import captureModule from '../../nodes/tinyml-capture';
import type { NodeDef } from '../../nodes/red-types';
import { sharedSerialPool } from '../../src/serial/serial-pool';
import { CaptureMsg } from '../../src/stream/sample';
import { buildCaptureFirmware } from '../../src/virtual/capture-firmware';
import { EmulatedUno } from '../../src/virtual/emulated-uno';
import { requireAvrTools } from '../support/emulator';
import { collect, useNodeRuntime, waitFor } from '../support/node-test-runtime';

describe('tinyml-capture on the emulated Uno (capture sketch, Node-RED runtime)', function () {
  this.timeout(60_000);
  let dir: string;
  let uno: EmulatedUno;
  let link: string;

  before(async () => {
    requireAvrTools();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-capnode-'));
    link = path.join(dir, 'ttyUNO');
    const fw = await buildCaptureFirmware({ rateHz: 100 });
    uno = new EmulatedUno({ firmware: fw.elfPath, link });
    await uno.start();
  });
  after(async () => {
    await uno?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  // The userDir is the file's own folder: the emulator and its link outlive each test.
  const { helper } = useNodeRuntime({ userDir: () => dir, afterStop: () => assert.strictEqual(sharedSerialPool().size, 0) });

  const flow = (): NodeDef[] => [
    { id: 'b1', type: 'tinyml-board', name: 'emulated', boardType: 'uno', path: link, baud: 115200 },
    { id: 'c1', type: 'tinyml-capture', board: 'b1', batch: 1, timestamp: 'auto', axes: '', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ];

  it('emits the sketch samples with the announced axes and a ~100 Hz rate estimate', async () => {
    await helper.load([boardModule, captureModule], flow());
    const msgs = collect<CaptureMsg>('out');
    await waitFor(() => msgs.length >= 300, 20_000, '300 samples');
    assert.deepStrictEqual(msgs[0].axes, ['ax', 'ay', 'az']);
    // The port open reset the chip: the stream starts at the sketch's first sample.
    assert.deepStrictEqual(msgs[0].payload, [-0.006, 0.23, 1.02]);
    const last = msgs[msgs.length - 1];
    assert.ok(last.rate !== null && Math.abs(last.rate - 100) < 2, `estimated rate ${last.rate}`);
    assert.ok(msgs.every((m) => m.segment === msgs[0].segment), 'no gaps in a healthy stream');
  });
  it('measures the sketch rate within 1% over 10 s of emulated time (1000 samples at 100 Hz)', async () => {
    await helper.load([boardModule, captureModule], flow());
    const msgs = collect<CaptureMsg>('out');
    // The sketch's timer makes exactly 100 samples per emulated second: sample 1000 ends second 10.
    await waitFor(() => msgs.length >= 1001, 40_000, '1001 samples (10 s of emulated time)');
    const run = msgs.slice(0, 1001);
    assert.ok(run.every((m, i) => i === 0 || (m.seq === run[i - 1].seq + 1 && m.segment === run[0].segment)), 'one unbroken segment');
    const last = run[1000];
    assert.ok(last.rate !== null && Math.abs(last.rate - 100) <= 1, `capture node's estimate ${last.rate} Hz after 10 s, sketch rate 100 Hz`);
    // Every estimate the node sent in the last 5 s is within 1% too, not only the final one.
    const late = run.slice(500).map((m) => m.rate as number);
    assert.ok(late.every((r) => Math.abs(r - 100) <= 1), `estimates from 5 s to 10 s range ${Math.min(...late)}..${Math.max(...late)} Hz`);
  });
});
