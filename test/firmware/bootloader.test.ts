/**
 * The emulated Uno with optiboot (rebuilt from Debian's source) is programmed by the ordinary
 * upload tool, avrdude -c arduino, exactly like a real board; then, at the next port open, the
 * bootloader times out and the uploaded capture sketch runs.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { parseAnnouncement } from '../../src/serial/announcement';
import { uploadWithAvrdude } from '../../src/toolchain/avrdude-upload';
import { buildOptiboot } from '../../src/toolchain/optiboot';
import { buildCaptureFirmware } from '../../src/virtual/capture-firmware';
import { EmulatedUno } from '../../src/virtual/emulated-uno';
import { openHost, requireAvrTools } from '../support/emulator';
import { requireTool } from '../support/tools';

describe('emulated Uno with optiboot: avrdude uploads', function () {
  this.timeout(90_000);
  let dir: string;
  let uno: EmulatedUno | null = null;
  before(() => {
    requireAvrTools();
    requireTool('avrdude', 'avrdude');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-boot-'));
  });
  after(async () => {
    await uno?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds a 512-byte-section optiboot at 0x7E00', async () => {
    const hex = await buildOptiboot();
    const records = fs.readFileSync(hex, 'utf8').trim().split(/\r?\n/);
    const data = records.filter((r) => r.slice(7, 9) === '00');
    const addrs = data.map((r) => parseInt(r.slice(3, 7), 16));
    assert.ok(addrs.every((a) => a >= 0x7e00 && a < 0x8000), 'all data inside the boot section');
    const bytes = data.reduce((n, r) => n + parseInt(r.slice(1, 3), 16), 0);
    assert.ok(bytes <= 512, `${bytes} bytes`);
  });

  it('is programmed through the bootloader by avrdude, then runs the sketch on the next open', async () => {
    const [boot, fw] = await Promise.all([buildOptiboot(), buildCaptureFirmware({ rateHz: 50 })]);
    uno = new EmulatedUno({ bootloader: boot, link: path.join(dir, 'ttyBOOT') });
    const port = await uno.start();
    const up = await uploadWithAvrdude(fw.hexPath, port);
    assert.strictEqual(up.bytes, fw.sizes.flash);

    const host = await openHost(port);
    try {
      const first = await host.waitFor((l) => l.startsWith('#'), 5000);
      const a = parseAnnouncement(first.line);
      assert.strictEqual(a?.rate, 50);
      await host.waitFor((l) => /^-?\d+\.\d{3},/.test(l), 2000);
    } finally {
      await host.close();
    }
  });

  it('reports a failed upload with the port in the message', async () => {
    const fw = await buildCaptureFirmware({ rateHz: 50 });
    await assert.rejects(uploadWithAvrdude(fw.hexPath, path.join(dir, 'no-such-port'), { timeoutMs: 20_000 }), /upload to '.*no-such-port' failed/);
  });
});
