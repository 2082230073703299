import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { Backoff } from '../../src/serial/backoff';
import { listLinuxPorts, validatePortPath } from '../../src/serial/port-list';
import { PortConflictError, PortState, PortStatus, SerialPool } from '../../src/serial/serial-pool';
import { PtyBridge } from '../../src/virtual/pty-bridge';
import { makeDevice, makeTempDir, openPtyFds, removeTempDir, waitFor } from '../support/pty';

interface Recorder {
  lines: string[];
  states: Array<{ state: PortState; at: number; message?: string }>;
  logs: string[];
  opens: number;
}

function recorder(): Recorder & { sub: { onLine(l: string): void; onState(s: PortStatus): void; onLog(m: string): void; onOpen(): void } } {
  const r: Recorder = { lines: [], states: [], logs: [], opens: 0 };
  return Object.assign(r, {
    sub: {
      onLine: (l: string) => { r.lines.push(l); },
      onState: (s: PortStatus) => { r.states.push({ state: s.state, at: Date.now(), message: s.message }); },
      onLog: (m: string) => { r.logs.push(m); },
      onOpen: () => { r.opens++; },
    },
  });
}

describe('serial pool (real serialport over a pty)', function () {
  let dir: string;
  let devices: PtyBridge[];
  let pool: SerialPool;

  beforeEach(function () {
    dir = makeTempDir();
    devices = [];
    pool = new SerialPool();
  });

  afterEach(async function () {
    for (const d of devices) await d.stop();
    removeTempDir(dir);
  });

  async function device(name = 'dev'): Promise<PtyBridge> {
    const d = await makeDevice(path.join(dir, name));
    devices.push(d);
    return d;
  }

  it('opens the port, drops the possibly cut first line, delivers complete lines', async function () {
    const dev = await device();
    const rec = recorder();
    const h = pool.acquire(dev.path as string, { baudRate: 115200 }, 'board A');
    h.subscribe(rec.sub);
    await waitFor(() => dev.isOpen && h.status.state === 'connected', 3000, 'connected');
    dev.write('ut line\n1,2,3\n4,5');
    dev.write(',6\r\n');
    await waitFor(() => rec.lines.length >= 2, 3000, 'two lines');
    assert.deepStrictEqual(rec.lines, ['1,2,3', '4,5,6']);
    assert.strictEqual(rec.opens, 1);
    await h.release();
    assert.strictEqual(h.status.state, 'closed');
    assert.strictEqual(pool.size, 0);
  });

  it('shares one connection between users with the same settings; refuses other settings naming both', async function () {
    const dev = await device();
    const p = dev.path as string;
    const a = pool.acquire(p, { baudRate: 115200 }, 'board A');
    const b = pool.acquire(p, { baudRate: 115200 }, 'board B');
    assert.strictEqual(pool.size, 1);
    assert.throws(() => pool.acquire(p, { baudRate: 9600 }, 'board C'), (err: Error) => {
      assert.ok(err instanceof PortConflictError);
      assert.match(err.message, /board A/);
      assert.match(err.message, /board C/);
      assert.match(err.message, /115200/);
      assert.match(err.message, /9600/);
      return true;
    });
    const ra = recorder();
    const rb = recorder();
    a.subscribe(ra.sub);
    b.subscribe(rb.sub);
    await waitFor(() => dev.isOpen && a.status.state === 'connected', 10000, 'connected and seen by the device');
    dev.write('\n7,8\n');
    await waitFor(() => ra.lines.length === 1 && rb.lines.length === 1, 3000, 'both users get the line');
    await a.release();
    assert.strictEqual(pool.size, 1, 'still open for B');
    assert.strictEqual(b.status.state, 'connected');
    await b.release();
    assert.strictEqual(pool.size, 0);
    await waitFor(() => !dev.isOpen, 3000, 'device sees the port closed');
  });

  it('a released port is really closed when release resolves (no pty descriptor left)', async function () {
    const before = openPtyFds().length;
    const dev = await device();
    const h = pool.acquire(dev.path as string, { baudRate: 115200 }, 'A');
    await waitFor(() => h.status.state === 'connected', 3000, 'connected');
    assert.strictEqual(openPtyFds().length, before + 1);
    await h.release();
    assert.strictEqual(openPtyFds().length, before);
  });

  it('a new open of the same path waits for the pending close (no lock error), 20 times in a row', async function () {
    const dev = await device();
    const p = dev.path as string;
    let h = pool.acquire(p, { baudRate: 115200 }, 'A');
    await waitFor(() => h.status.state === 'connected', 3000, 'connected');
    for (let i = 0; i < 20; i++) {
      const rec = recorder();
      void h.release(); // not awaited: the next acquire must wait for it by itself
      h = pool.acquire(p, { baudRate: 115200 }, 'A');
      h.subscribe(rec.sub);
      await waitFor(() => h.status.state === 'connected' || h.status.state === 'error', 3000, 'reopened');
      assert.deepStrictEqual(rec.states.filter((s) => s.state === 'error'), [], `round ${i}`);
    }
    await h.release();
    assert.strictEqual(pool.size, 0);
    assert.strictEqual(pool.closingCount, 0);
  });

  it('waits for an absent port, retries first within 1 s then less often, logs the error once', async function () {
    const link = path.join(dir, 'later');
    const rec = recorder();
    const t0 = Date.now();
    const h = pool.acquire(link, { baudRate: 115200 }, 'A');
    h.subscribe(rec.sub);
    await waitFor(() => rec.states.filter((s) => s.state === 'waiting').length >= 4, 8000, 'four attempts');
    const waits = rec.states.filter((s) => s.state === 'waiting').map((s) => s.at);
    assert.ok(waits[1] - t0 < 1000, `first retry after ${waits[1] - t0} ms`);
    const gap1 = waits[2] - waits[1];
    const gap2 = waits[3] - waits[2];
    assert.ok(gap2 > gap1 * 1.5, `delays grow: ${gap1} then ${gap2} ms`);
    assert.strictEqual(rec.logs.length, 1, `one log line for a repeated error, got ${JSON.stringify(rec.logs)}`);
    assert.match(rec.logs[0], /not present/);
    // Plug it in: the pool connects on its own.
    const dev = await makeDevice(link);
    devices.push(dev);
    await waitFor(() => h.status.state === 'connected', 7000, 'connected after plug-in');
    await h.release();
  });

  it('unplug and replug at the same path: reconnects and resumes', async function () {
    const link = path.join(dir, 'board');
    let dev = await makeDevice(link);
    const rec = recorder();
    const h = pool.acquire(link, { baudRate: 115200 }, 'A');
    h.subscribe(rec.sub);
    await waitFor(() => dev.isOpen, 3000, 'open');
    dev.write('\n1,1\n');
    await waitFor(() => rec.lines.length === 1, 3000, 'first line');
    await dev.stop(); // the device disappears, its link with it
    await waitFor(() => h.status.state === 'waiting', 3000, 'waiting after unplug');
    assert.ok(!fs.existsSync(link));
    dev = await makeDevice(link);
    devices.push(dev);
    await waitFor(() => dev.isOpen && h.status.state === 'connected', 3000, 'reconnected');
    dev.write('\n2,2\n');
    await waitFor(() => rec.lines.length === 2, 3000, 'line after replug');
    assert.deepStrictEqual(rec.lines, ['1,1', '2,2']);
    assert.strictEqual(rec.opens, 2);
    await h.release();
  });

  it('lends the port (closed for the borrower) and takes it back, also twice and after a failure', async function () {
    const dev = await device();
    const rec = recorder();
    const h = pool.acquire(dev.path as string, { baudRate: 57600 }, 'A');
    h.subscribe(rec.sub);
    await waitFor(() => dev.isOpen, 3000, 'open');
    const loan = await h.lend('uploading');
    assert.strictEqual(loan.path, dev.path);
    assert.strictEqual(loan.baudRate, 57600);
    assert.strictEqual(h.status.state, 'lent');
    await waitFor(() => !dev.isOpen, 3000, 'device sees the port closed');
    await assert.rejects(h.write('x'), /not connected \(lent/);
    await assert.rejects(h.lend('again'), /already lent/);
    await loan.giveBack();
    await loan.giveBack();
    assert.strictEqual(h.status.state, 'connected');
    await waitFor(() => dev.isOpen, 3000, 'reopened');
    dev.write('\n5,5\n');
    await waitFor(() => rec.lines.includes('5,5'), 3000, 'lines after give-back');
    const written: Buffer[] = [];
    dev.on('data', (b: Buffer) => written.push(b));
    await h.write('hello\n');
    await waitFor(() => Buffer.concat(written).toString() === 'hello\n', 3000, 'write reaches the device');
    assert.strictEqual(rec.opens, 2);
    await h.release();
  });

  it('give-back after the port was released does not reopen it', async function () {
    const dev = await device();
    const h = pool.acquire(dev.path as string, { baudRate: 115200 }, 'A');
    await waitFor(() => h.status.state === 'connected', 3000, 'connected');
    const loan = await h.lend('uploading');
    await h.release();
    await loan.giveBack();
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!dev.isOpen);
    assert.strictEqual(pool.size, 0);
  });

  it('rejects paths that are not device paths', function () {
    assert.throws(() => pool.acquire('dev/ttyACM0', { baudRate: 9600 }, 'A'), /absolute/);
    assert.throws(() => pool.acquire('/dev/ttyACM0', { baudRate: 0 }, 'A'), /baud/);
  });
});

describe('validatePortPath', function () {
  it('accepts device paths and by-id links', function () {
    for (const p of ['/dev/ttyACM0', '/dev/ttyUSB12', '/dev/serial/by-id/usb-Arduino__www.arduino.cc__0043_7573-if00',
      '/dev/serial/by-id/usb-1a86_USB2.0-Serial-if00-port0', '/tmp/x/dev/replay-1']) {
      assert.strictEqual(validatePortPath(p, 'linux'), null, p);
    }
    assert.strictEqual(validatePortPath('COM3', 'win32'), null);
  });
  it('rejects relative, traversal, shell and option-looking paths, naming the problem', function () {
    const cases: Array<[unknown, RegExp]> = [
      ['', /empty/], [undefined, /empty/], ['ttyACM0', /absolute/], ['/dev/../etc/passwd', /'\.\.'/],
      ['/dev/tty;rm -rf', /characters/], ['/dev/$(id)', /characters/], ['/dev/`x`', /characters/],
      ['/dev/-oProxyCommand', /'-'/], ['/dev/tty ACM0', /characters/], ['/dev/', /folder/],
      ['--help', /absolute/], ['COM3;x', /COM port/],
    ];
    for (const [p, re] of cases) {
      const err = validatePortPath(p, typeof p === 'string' && p.startsWith('COM') ? 'win32' : 'linux');
      assert.ok(err !== null && re.test(err), `${String(p)} -> ${err}`);
    }
  });
});

describe('listLinuxPorts', function () {
  it('lists by-id links first, then the device nodes they do not cover', function () {
    const dev = makeTempDir('tinyml-dev-');
    try {
      for (const f of ['ttyACM0', 'ttyACM1', 'ttyUSB10', 'ttyUSB2', 'ttyS0', 'null', 'rfcomm0']) fs.writeFileSync(path.join(dev, f), '');
      fs.mkdirSync(path.join(dev, 'serial', 'by-id'), { recursive: true });
      fs.symlinkSync(path.join(dev, 'ttyACM1'), path.join(dev, 'serial', 'by-id', 'usb-Arduino_Uno-if00'));
      fs.symlinkSync(path.join(dev, 'gone'), path.join(dev, 'serial', 'by-id', 'usb-dangling'));
      const ports = listLinuxPorts(dev);
      assert.deepStrictEqual(ports.map((p) => path.relative(dev, p.path)), [
        'serial/by-id/usb-Arduino_Uno-if00', 'rfcomm0', 'ttyACM0', 'ttyUSB2', 'ttyUSB10',
      ]);
      assert.strictEqual(ports[0].device, fs.realpathSync(path.join(dev, 'ttyACM1')));
    } finally {
      removeTempDir(dev);
    }
  });
});

describe('Backoff', function () {
  it('starts under 1 s, doubles, caps at 5 s, and resets', function () {
    const b = new Backoff();
    const d = [b.next(), b.next(), b.next(), b.next(), b.next(), b.next(), b.next()];
    assert.ok(d[0] < 1000);
    for (let i = 1; i < d.length; i++) assert.ok(d[i] === Math.min(5000, d[i - 1] * 2), `${d}`);
    assert.strictEqual(d[d.length - 1], 5000);
    b.reset();
    assert.strictEqual(b.next(), d[0]);
    assert.throws(() => new Backoff({ initialMs: 0 }), /initialMs/);
  });
});
