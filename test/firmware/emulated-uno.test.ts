/**
 * The capture sketch on the emulated Uno, read through a real `serialport` on the pty like a host:
 * the announcement parses, the rate the host measures over 10 s is the sketch's within 1%
 * (emulated time is paced to real time), "?" reprints the announcement, and every opening of the
 * port resets the chip (announcement and the same first samples again).
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { parseAnnouncement } from '../../src/serial/announcement';
import { buildCaptureFirmware } from '../../src/virtual/capture-firmware';
import { EmulatedUno } from '../../src/virtual/emulated-uno';
import { openHost, requireAvrTools, sleep } from '../support/emulator';

const isData = (l: string): boolean => /^-?\d+\.\d{3},-?\d+\.\d{3},-?\d+\.\d{3}$/.test(l);

describe('emulated Uno running the capture sketch', function () {
  this.timeout(90_000);
  let dir: string;
  let uno: EmulatedUno;
  let link: string;
  const events: string[] = [];

  before(async () => {
    requireAvrTools();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-uno-'));
    link = path.join(dir, 'ttyUNO');
    const fw = await buildCaptureFirmware({ rateHz: 100 });
    uno = new EmulatedUno({ firmware: fw.elfPath, link, onPortEvent: (e) => events.push(e) });
  });
  after(async () => {
    await uno?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts behind a stable link path', async () => {
    const p = await uno.start();
    assert.strictEqual(p, link);
    assert.strictEqual(uno.path, link);
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    await assert.rejects(uno.start(), /already running/);
  });

  let firstSession: string[] = [];

  it('announces itself and streams at the announced rate (host-measured, within 1% over 10 s)', async () => {
    const host = await openHost(link);
    try {
      const first = await host.waitFor((l) => l.startsWith('#'), 5000);
      const a = parseAnnouncement(first.line);
      assert.ok(a, `not an announcement: ${first.line}`);
      assert.deepStrictEqual(
        { proto: a.proto, board: a.board, rate: a.rate, axes: a.axes, units: a.units, sensor: a.sensor },
        { proto: 1, board: 'uno', rate: 100, axes: ['ax', 'ay', 'az'], units: ['g', 'g', 'g'], sensor: 'synthetic' },
      );
      await sleep(10_500);
      const data = host.lines.filter((l) => isData(l.line));
      const span = data[data.length - 1].atMs - data[0].atMs;
      assert.ok(span > 9_500, `only ${span} ms of data`);
      const rate = ((data.length - 1) * 1000) / span;
      assert.ok(Math.abs(rate - 100) / 100 < 0.01, `host-measured rate ${rate.toFixed(3)} Hz`);
      if (process.env.TINYML_REPORT) console.log(`      host-measured rate ${rate.toFixed(3)} Hz over ${span.toFixed(0)} ms`);
      assert.strictEqual(host.lines.filter((l) => !isData(l.line) && l.line !== first.line).length, 0);

      const before = host.lines.length;
      await host.write('?\n');
      const again = await host.waitFor((l) => l.startsWith('#'), 3000, before);
      assert.strictEqual(host.lines.filter((l) => l.line.startsWith('#')).length, 2);
      assert.strictEqual(again.line, first.line);
      firstSession = host.lines.map((l) => l.line);
    } finally {
      await host.close();
    }
  });

  it('resets on each open: the announcement and the same first samples again', async () => {
    await sleep(300);
    const host = await openHost(link);
    try {
      await host.waitFor((l) => isData(l), 5000);
      await sleep(500);
      const lines = host.lines.map((l) => l.line);
      assert.strictEqual(lines[0], firstSession[0]);
      assert.ok(lines[0].startsWith('# tinyml proto=1'));
      assert.deepStrictEqual(lines.slice(1, 20), firstSession.slice(1, 20));
    } finally {
      await host.close();
    }
    await sleep(300);
    assert.deepStrictEqual(events, ['reset', 'closed', 'reset', 'closed']);
  });

  it('stops cleanly and removes its link', async () => {
    await uno.stop();
    assert.strictEqual(uno.path, null);
    assert.ok(!fs.existsSync(link));
  });
});
