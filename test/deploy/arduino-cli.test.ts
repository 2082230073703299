/**
 * The arduino-cli driver. arduino-cli is not a Debian package and is not installed here, so its
 * output is tested from recorded JSON fixtures (0.x and 1.x shapes, written from its documented
 * format), and the driver's command lines through a stand-in executable that records its
 * arguments and answers with those fixtures: a fault we cannot cause otherwise without the tool.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { getBoard } from '../../src/boards/profiles';
import { ArduinoCliDriver, parseBoardListJson, parseCompileJson, parseCoreListJson, parseVersionJson, sizesOf } from '../../src/toolchain/arduino-cli';
import { CompileError } from '../../src/toolchain/compiler-diagnostics';
import { chooseDriver, sizeProblem } from '../../src/toolchain/driver';
import { DebianAvrDriver } from '../../src/toolchain/debian-avr';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'deploy', 'fixtures', 'arduino-cli');
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const FAKE = `#!/usr/bin/env node
'use strict';
const fs = require('fs');
const path = require('path');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_CLI_LOG, JSON.stringify(args) + '\\n');
const fx = (n) => fs.readFileSync(path.join(process.env.FAKE_CLI_FIXTURES, n), 'utf8');
if (args[0] === 'version') { process.stdout.write(fx('version-1.x.json')); }
else if (args[0] === 'core') { process.stdout.write(fx('core-list-1.x.json')); }
else if (args[0] === 'board') { process.stdout.write(fx('board-list-1.x.json')); }
else if (args[0] === 'compile') {
  const sketch = args[args.length - 1];
  const out = args[args.indexOf('--output-dir') + 1];
  const ino = fs.readFileSync(path.join(sketch, path.basename(sketch) + '.ino'), 'utf8');
  if (ino.includes('undefined_thing')) { process.stdout.write(fx('compile-error-1.x.json')); process.stderr.write('Error during build: exit status 1\\n'); process.exit(1); }
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, path.basename(sketch) + '.ino.hex'), ':00000001FF\\n');
  process.stdout.write(fx('compile-ok-1.x.json'));
} else if (args[0] === 'upload') {
  const port = args[args.indexOf('-p') + 1];
  if (!fs.existsSync(port)) { process.stderr.write("avrdude: ser_open(): can't open device \\"" + port + "\\": No such file or directory\\nFailed uploading: uploading error: exit status 1\\n"); process.exit(1); }
  process.stderr.write('avrdude: 15572 bytes of flash verified\\n');
} else { process.exit(2); }
`;

describe('deploy: arduino-cli driver', () => {
  describe('parsing its JSON output', () => {
    it('reads compile sizes and limits (1.x and 0.x)', () => {
      const uno = getBoard('uno');
      const c = parseCompileJson(fixture('compile-ok-1.x.json'));
      assert.strictEqual(c.success, true);
      assert.deepStrictEqual(sizesOf(c, uno), { sizes: { flash: 15572, ram: 901 }, limits: { flash: 32256, ram: 2048 } });
      const old = parseCompileJson(fixture('compile-ok-0.x.json'));
      const s = sizesOf(old, uno);
      assert.deepStrictEqual(s.sizes, { flash: 40200, ram: 1210 });
      assert.match(sizeProblem(s.sizes, s.limits, 256) ?? '', /flash: the sketch needs 40200 bytes, the board has 32256 \(7944 too many\)/);
    });
    it('reads a failed compile with the diagnostics in compiler_err', () => {
      const c = parseCompileJson(fixture('compile-error-1.x.json'));
      assert.strictEqual(c.success, false);
      assert.match(c.compilerErr, /tinyml_infer.ino:212:3: error/);
      assert.throws(() => sizesOf(c, getBoard('uno')), /no program size/);
    });
    it('reads installed cores, detected boards and the version', () => {
      assert.deepStrictEqual(parseCoreListJson(fixture('core-list-1.x.json')).map((p) => p.id), ['arduino:avr', 'esp32:esp32']);
      assert.deepStrictEqual(parseCoreListJson(fixture('core-list-0.x.json')), [{ id: 'arduino:mbed_nano', version: '4.1.5' }]);
      assert.deepStrictEqual(parseCoreListJson('{}'), []);
      const ports = parseBoardListJson(fixture('board-list-1.x.json'));
      assert.deepStrictEqual(ports.map((p) => [p.address, p.boards.map((b) => b.fqbn)]), [['/dev/ttyACM0', ['arduino:avr:uno']], ['/dev/ttyS0', []]]);
      assert.strictEqual(parseBoardListJson(fixture('board-list-0.x.json'))[0].boards[0].name, 'Arduino Nano');
      assert.strictEqual(parseVersionJson(fixture('version-1.x.json')), '1.1.1');
      assert.throws(() => parseCompileJson('Error: unknown flag'), /did not print JSON/);
    });
  });

  describe('driving the tool (stand-in executable)', () => {
    let dir: string;
    let driver: ArduinoCliDriver;
    let log: string;
    const calls = (): string[][] => fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-cli-'));
      const exe = path.join(dir, 'arduino-cli');
      fs.writeFileSync(exe, FAKE, { mode: 0o755 });
      log = path.join(dir, 'calls.log');
      process.env.FAKE_CLI_LOG = log;
      process.env.FAKE_CLI_FIXTURES = FIXTURES;
      driver = new ArduinoCliDriver(exe);
    });
    after(() => {
      delete process.env.FAKE_CLI_LOG;
      delete process.env.FAKE_CLI_FIXTURES;
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const sketch = (body: string): string => {
      const s = path.join(dir, 'tinyml_infer');
      fs.mkdirSync(s, { recursive: true });
      fs.writeFileSync(path.join(s, 'tinyml_infer.ino'), body);
      return s;
    };

    it('is chosen first for a board whose core is installed, and reports what it lacks otherwise', async () => {
      assert.strictEqual((await chooseDriver(getBoard('esp32'), [driver, new DebianAvrDriver()])).id, 'arduino-cli');
      const rp = await driver.supports(getBoard('rp2040'));
      assert.strictEqual(rp.ok, false);
      assert.match(rp.reason ?? '', /core arduino:mbed_rp2040 is not installed \('arduino-cli core install arduino:mbed_rp2040'\)/);
      const missing = new ArduinoCliDriver(path.join(dir, 'no-such-arduino-cli'));
      assert.strictEqual((await missing.status()).installed, false);
      assert.strictEqual((await chooseDriver(getBoard('uno'), [missing, new DebianAvrDriver()])).id, 'debian-avr');
    });

    it('compiles with --fqbn/--output-dir/--format json and uploads with -p/--fqbn/--input-dir', async () => {
      const s = sketch('void setup() {}\nvoid loop() {}\n');
      const uno = getBoard('uno');
      const compiled = await driver.compile(s, uno, { outputDir: path.join(dir, 'out') });
      assert.deepStrictEqual(compiled.sizes, { flash: 15572, ram: 901 });
      assert.strictEqual(path.basename(compiled.imagePath), 'tinyml_infer.ino.hex');
      assert.strictEqual(compiled.warnings[0]?.line, 40);
      const port = path.join(dir, 'ttyFAKE');
      fs.writeFileSync(port, '');
      const up = await driver.upload(compiled, s, port, uno);
      assert.strictEqual(up.bytes, 15572);
      const [compileArgs, uploadArgs] = calls().filter((c) => c[0] === 'compile' || c[0] === 'upload');
      assert.deepStrictEqual(compileArgs, ['compile', '--fqbn', 'arduino:avr:uno', '--output-dir', path.join(dir, 'out'), '--format', 'json', s]);
      assert.deepStrictEqual(uploadArgs, ['upload', '-p', port, '--fqbn', 'arduino:avr:uno', '--input-dir', path.join(dir, 'out'), s]);
    });

    it('surfaces compile errors with file and line, and upload errors with the port', async () => {
      const s = sketch('void setup() { undefined_thing(); }\nvoid loop() {}\n');
      await assert.rejects(driver.compile(s, getBoard('uno'), { outputDir: path.join(dir, 'out2') }), (e: Error) => {
        assert.ok(e instanceof CompileError);
        assert.match(e.message, /tinyml_infer.ino:212:3: error: 'undefined_thing' was not declared/);
        return true;
      });
      const ok = sketch('void setup() {}\nvoid loop() {}\n');
      const compiled = await driver.compile(ok, getBoard('uno'), { outputDir: path.join(dir, 'out3') });
      await assert.rejects(driver.upload(compiled, ok, '/dev/ttyNOPE', getBoard('uno')), /upload to '\/dev\/ttyNOPE' failed .*can't open device/);
    });
  });
});
