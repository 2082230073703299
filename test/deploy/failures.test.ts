/**
 * What deploy refuses and how it fails: a compile error names file and line; a model that does not
 * fit is refused with the numbers before the port is even borrowed; a port that vanishes during the
 * upload is given back and the error names the upload; injection attempts in board, FQBN, port and
 * model name fields are rejected before any tool runs.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PassThrough } from 'stream';
import { getBoard } from '../../src/boards/profiles';
import { main } from '../../src/cli/main';
import { deployModel, DeployError, linkerOverflow } from '../../src/deploy/deploy';
import { DeviceLink } from '../../src/deploy/device-link';
import { checkPort, validateFqbn, boardFor, insideFolder } from '../../src/deploy/validate';
import { validateArtifact, withHash } from '../../src/model/artifact';
import { DebianAvrDriver } from '../../src/toolchain/debian-avr';
import { ToolchainDriver } from '../../src/toolchain/driver';
import { buildOptiboot } from '../../src/toolchain/optiboot';
import { EmulatedUno } from '../../src/virtual/emulated-uno';
import { requireAvrTools } from '../support/emulator';
import { requireTool } from '../support/tools';
import { deployTestModel, oversizedModel } from './deploy-fixtures';

/** A link that records what deploy did with the port. */
function recordingLink(portPath: string): DeviceLink & { borrowed: number; givenBack: number } {
  const link = {
    borrowed: 0,
    givenBack: 0,
    borrow: async () => {
      link.borrowed++;
      return { path: portPath, giveBack: async () => { link.givenBack++; } };
    },
    listen: async () => async () => undefined,
    write: async () => undefined,
  };
  return link;
}

describe('deploy: refusals and failures', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    requireAvrTools();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-deploy-fail-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('surfaces a compile error with the file and line, and uploads nothing', async () => {
    const debian = new DebianAvrDriver();
    // The real compiler on a real error: the generated sketch gets one broken line appended.
    let expectedLine = 0;
    const broken: ToolchainDriver = {
      id: 'debian-avr', status: () => debian.status(), supports: (b) => debian.supports(b), upload: (...a) => debian.upload(...a),
      compile: (sketchDir, board, opts) => {
        const ino = path.join(sketchDir, 'tinyml_infer.ino');
        const lines = fs.readFileSync(ino, 'utf8').split('\n').length;
        fs.appendFileSync(ino, 'static int tml_broken = undefined_thing;\n');
        expectedLine = lines;
        return debian.compile(sketchDir, board, opts);
      },
    };
    const link = recordingLink('/dev/ttyNOPE0');
    await assert.rejects(deployModel(deployTestModel(), { board: 'uno', link, workRoot: path.join(dir, 'w1'), drivers: [broken] }), (e: Error) => {
      assert.ok(e instanceof DeployError);
      assert.strictEqual(e.stage, 'compile');
      assert.match(e.message, new RegExp(`^tinyml_infer\\.ino:${expectedLine}:\\d+: error: .undefined_thing. was not declared`, 'm'));
      return true;
    });
    assert.strictEqual(link.borrowed, 0);
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'w1')), [], 'build folder cleaned up');
  });

  it('refuses a model that does not fit before borrowing the port, with the numbers', async () => {
    const link = recordingLink('/dev/ttyNOPE0');
    await assert.rejects(deployModel(oversizedModel(), { board: 'uno', link, workRoot: path.join(dir, 'w2'), drivers: [new DebianAvrDriver()] }), (e: Error) => {
      assert.ok(e instanceof DeployError);
      assert.strictEqual(e.stage, 'size');
      assert.match(e.message, /does not fit the Arduino Uno, nothing was uploaded: flash: the sketch needs \d+ bytes, the chip has 32768 \(\d+ too many/);
      assert.ok(e.sizes && e.sizes.sizes.flash > 32768, JSON.stringify(e.sizes));
      return true;
    });
    assert.strictEqual(link.borrowed, 0);
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'w2')), [], 'build folder cleaned up');
  });

  it('refuses a sketch whose globals overflow the RAM (the linker refuses it) at the size stage, with the numbers', async () => {
    // A 200-sample window with stride 1 needs a 200 x 3 float ring buffer (2400 bytes): more than the Uno's 2048.
    const { hash: _h, ...base } = deployTestModel({ name: 'long_window' });
    void _h;
    const long = withHash({ ...base, input: { ...base.input, window: { ...base.input.window, length: 200 } } });
    const link = recordingLink('/dev/ttyNOPE0');
    await assert.rejects(deployModel(long, { board: 'uno', link, workRoot: path.join(dir, 'w8'), drivers: [new DebianAvrDriver()], strideSamples: 1 }), (e: Error) => {
      assert.ok(e instanceof DeployError, String(e));
      assert.strictEqual(e.stage, 'size', e.message);
      assert.match(e.message, /does not fit the Arduino Uno, nothing was uploaded: RAM: globals need (\d+) bytes, the chip has 2048 \(\d+ too many, the linker refused it\)/);
      assert.ok(e.sizes && e.sizes.sizes.ram > 2400, JSON.stringify(e.sizes));
      return true;
    });
    assert.strictEqual(link.borrowed, 0);
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'w8')), []);
  });

  it('reads both forms of the linker refusal', () => {
    const notWithin = "/usr/bin/avr-ld: address 0x800910 of /b/out/tinyml_infer.elf section `.bss' is not within region `data'\n"
      + "/usr/bin/avr-ld: address 0x800910 of /b/out/tinyml_infer.elf section `.bss' is not within region `data'\ncollect2: error: ld returned 1 exit status\n";
    assert.deepStrictEqual(linkerOverflow(notWithin, 32768, 2048, 'Arduino Uno', 'm')?.sizes, { flash: 0, ram: 2064 });
    assert.deepStrictEqual(linkerOverflow("avr-ld: region `text' overflowed by 1234 bytes", 32768, 2048, 'Arduino Uno', 'm')?.sizes, { flash: 34002, ram: 0 });
    assert.strictEqual(linkerOverflow("undefined reference to `tml_x'", 32768, 2048, 'Arduino Uno', 'm'), null);
  });

  it('gives the port back and names the upload when the port vanishes during the upload', async () => {
    requireTool('avrdude', 'avrdude');
    const boot = await buildOptiboot();
    const uno = new EmulatedUno({ bootloader: boot, link: path.join(dir, 'ttyGONE') });
    const port = await uno.start();
    const link = recordingLink(port);
    let killed = false;
    try {
      // A long upload limit: only noticing the vanished port gives the "vanished" error below.
      await assert.rejects(deployModel(deployTestModel(), {
        board: 'emulated-uno', link, workRoot: path.join(dir, 'w3'), drivers: [new DebianAvrDriver()], timeouts: { upload: 90_000 },
        onProgress: (p) => {
          if (p.stage === 'upload' && p.state === 'start') setTimeout(() => { killed = true; void uno.stop(); }, 1200);
        },
      }), (e: Error) => {
        assert.ok(e instanceof DeployError, String(e));
        assert.strictEqual(e.stage, 'upload');
        assert.match(e.message, /upload to '.*ttyGONE' failed: the port vanished during the upload .*the uploader was stopped and the port given back/);
        return true;
      });
    } finally {
      await uno.stop();
    }
    assert.ok(killed, 'the port vanished during the upload');
    assert.strictEqual(link.borrowed, 1);
    assert.strictEqual(link.givenBack, 1, 'the port was given back');
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'w3')), [], 'build folder cleaned up');
  });

  it('a cancel during the compile stops the compiler and removes the build folder', async () => {
    const controller = new AbortController();
    const link = recordingLink('/dev/ttyNOPE0');
    let compilerRunning = false;
    const debian = new DebianAvrDriver();
    const watched: ToolchainDriver = {
      id: 'debian-avr', status: () => debian.status(), supports: (b) => debian.supports(b), upload: (...a) => debian.upload(...a),
      compile: (sketchDir, board, opts) => {
        // Cancelled once the real compiler runs (the core is cached, the sketch's own files take seconds).
        setTimeout(() => { compilerRunning = true; controller.abort(); }, 300);
        return debian.compile(sketchDir, board, opts);
      },
    };
    await assert.rejects(deployModel(deployTestModel({ name: 'cancel_me' }), {
      board: 'uno', link, workRoot: path.join(dir, 'w5'), drivers: [watched], signal: controller.signal,
    }), (e: Error) => e instanceof DeployError && e.stage === 'compile' && /cancelled while compiling/.test(e.message));
    assert.ok(compilerRunning);
    assert.strictEqual(link.borrowed, 0);
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'w5')), []);
  });

  it('a compile that overruns its time limit is stopped with a clear error', async () => {
    const link = recordingLink('/dev/ttyNOPE0');
    await assert.rejects(deployModel(deployTestModel({ name: 'too_slow' }), {
      board: 'uno', link, workRoot: path.join(dir, 'w6'), drivers: [new DebianAvrDriver()], timeouts: { compile: 200 },
    }), (e: Error) => {
      assert.ok(e instanceof DeployError, String(e));
      assert.strictEqual(e.stage, 'compile');
      assert.match(e.message, /took longer than \d+ ms and was stopped|time limit of this step ran out/);
      return true;
    });
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'w6')), []);
  });

  it('a port whose owner does not let go in time fails the upload stage, nothing uploaded', async () => {
    const never: DeviceLink = { borrow: () => new Promise(() => undefined), listen: async () => async () => undefined, write: async () => undefined };
    await assert.rejects(deployModel(deployTestModel(), {
      board: 'uno', link: never, workRoot: path.join(dir, 'w7'), drivers: [new DebianAvrDriver()], timeouts: { borrow: 300 },
    }), (e: Error) => e instanceof DeployError && e.stage === 'upload' && /port was not free within 300 ms/.test(e.message));
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'w7')), []);
  });

  it('stops at the next stage when cancelled, removing the build folder', async () => {
    const controller = new AbortController();
    const link = recordingLink('/dev/ttyNOPE0');
    await assert.rejects(deployModel(deployTestModel(), {
      board: 'uno', link, workRoot: path.join(dir, 'w4'), drivers: [new DebianAvrDriver()], signal: controller.signal,
      onProgress: (p) => { if (p.stage === 'generate' && p.state === 'done') controller.abort(); },
    }), (e: Error) => e instanceof DeployError && e.stage === 'compile' && /cancelled before compile/.test(e.message));
    assert.strictEqual(link.borrowed, 0);
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, 'w4')), []);
  });

  it('rejects injection attempts in board, FQBN, port, folder and model name fields', async () => {
    for (const bad of ['/dev/ttyUSB0; rm -rf /', '--config=x', '../../etc/passwd', '/dev/../etc/passwd', '/dev/tty$(reboot)', '/dev/-x', 'COM3']) {
      assert.throws(() => checkPort(bad), Error, bad);
    }
    for (const bad of ['uno; rm -rf /', '--config=x', 'arduino:avr', 'arduino:avr:uno;reboot', 'arduino:avr:uno:cpu=$(x)', '-arduino:avr:uno', 'a:b:c:k=v,--x=y']) {
      assert.notStrictEqual(validateFqbn(bad), null, bad);
    }
    assert.strictEqual(validateFqbn(getBoard('nano').fqbn), null);
    for (const bad of ['uno; rm -rf /', '--config=x', '../../etc']) assert.throws(() => boardFor(bad), /unknown board/);
    assert.throws(() => insideFolder('/tmp/tinyml/build', '../../etc'), /outside the folder/);
    const a = JSON.parse(JSON.stringify(deployTestModel())) as Record<string, unknown>;
    for (const name of ['x"; system("rm -rf /"); "', '../../etc', '--config=x']) {
      assert.throws(() => validateArtifact({ ...a, name }, { checkHash: false }), /name/);
    }
    // The command line refuses before touching anything (exit status 1, one line).
    const model = path.join(dir, 'm.json');
    fs.writeFileSync(model, JSON.stringify(deployTestModel()));
    for (const args of [['--board', 'uno; rm -rf /', '--port', '/dev/ttyUSB0'], ['--board', 'uno', '--port', '--config=x'], ['--board', 'uno', '--port', '../../etc']]) {
      const err = new PassThrough();
      let text = '';
      err.on('data', (c: Buffer) => { text += c.toString(); });
      const code = await main(['deploy', model, ...args], new PassThrough(), err);
      assert.strictEqual(code, 1, `${args.join(' ')}: ${text}`);
      assert.match(text, /^tinyml: deploy: /);
    }
  });
});
