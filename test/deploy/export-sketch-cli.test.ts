/**
 * `tinyml export MODEL --sketch DIR --board NAME`: writes the inference sketch and its Arduino
 * library, prints both folders, and the sketch compiles with the Debian AVR driver for the Uno
 * (so does the library's example). Missing --board and bad boards are usage errors (exit 1).
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PassThrough } from 'stream';
import { getBoard } from '../../src/boards/profiles';
import { stackReserveFor } from '../../src/boards/calibration';
import { main } from '../../src/cli/main';
import { McuSimulator } from '../../src/mcu/simulate';
import { buildSketch } from '../../src/toolchain/avr-build';
import { DebianAvrDriver } from '../../src/toolchain/debian-avr';
import { requireAvrTools } from '../support/emulator';
import { deployTestModel } from './deploy-fixtures';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (c: Buffer) => { o += c.toString(); });
  err.on('data', (c: Buffer) => { e += c.toString(); });
  const code = await main(args, out, err);
  return { code, out: o, err: e };
}

describe('deploy: tinyml export --sketch', function () {
  this.timeout(180_000);
  let dir: string;
  let model: string;
  before(() => {
    requireAvrTools();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-export-sketch-'));
    model = path.join(dir, 'model.json');
    fs.writeFileSync(model, JSON.stringify(deployTestModel()));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the sketch and the library, prints both folders, and the sketch compiles with the Debian AVR driver', async () => {
    const outDir = path.join(dir, 'export');
    const r = await cli(['export', model, '--sketch', outDir, '--board', 'uno']);
    assert.strictEqual(r.code, 0, r.err);
    const [sketchDir, libraryDir, ...rest] = r.out.trim().split('\n');
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(sketchDir, path.join(outDir, 'tinyml_infer'));
    assert.strictEqual(libraryDir, path.join(outDir, 'TinyMLFlow_deploy_test'));
    assert.match(fs.readFileSync(path.join(sketchDir, 'tml_infer_config.h'), 'utf8'), new RegExp(`TML_HASH "${deployTestModel().hash}"`));
    assert.match(fs.readFileSync(path.join(libraryDir, 'library.properties'), 'utf8'), /^name=TinyMLFlow_deploy_test$/m);
    assert.deepStrictEqual(fs.readdirSync(path.join(libraryDir, 'examples', 'tinyml_infer')), ['tinyml_infer.ino'], 'the example holds only the sketch; the code is in src/');

    const uno = getBoard('uno');
    const compiled = await new DebianAvrDriver().compile(sketchDir, uno, { outputDir: path.join(dir, 'build-sketch'), timeoutMs: 170_000 });
    assert.ok(fs.existsSync(compiled.imagePath), compiled.imagePath);
    assert.ok(compiled.sizes.flash > 5000 && compiled.sizes.flash <= compiled.limits.flash, `flash ${compiled.sizes.flash}`);
    assert.ok(compiled.sizes.ram > 0 && compiled.sizes.ram < compiled.limits.ram, `RAM ${compiled.sizes.ram}`);
    // The cost model, which decides "fits" before any build, covers what the built sketch needs: its globals plus the
    // stack reserve the deploy gate keeps: never less (a model that "fits" must link), and not wildly more.
    const estimate = new McuSimulator(deployTestModel(), 'uno').cost.ramBytes.value;
    const needed = compiled.sizes.ram + stackReserveFor('uno');
    assert.ok(estimate >= needed && estimate <= needed * 1.2, `cost model RAM ${estimate} B, built sketch needs ${needed} B`);
    // The library form builds to the same program: same flash and RAM.
    const lib = await buildSketch(path.join(libraryDir, 'examples', 'tinyml_infer'), { board: 'uno', libraries: [libraryDir], buildDir: path.join(dir, 'build-lib') });
    assert.deepStrictEqual({ flash: lib.sizes.flash, ram: lib.sizes.ram }, compiled.sizes);
  });

  it('exits 1 with one line for --sketch without --board, an unknown board and a board that runs no firmware', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--sketch', path.join(dir, 'x')], /needs --board NAME/],
      [['--sketch', path.join(dir, 'x'), '--board', 'uno; rm -rf /'], /export --sketch: .*unknown board/i],
      [['--sketch', path.join(dir, 'x'), '--board', 'replay'], /export --sketch: board 'replay' runs no firmware/],
      [['--board', 'uno'], /--board goes with --sketch/],
    ];
    for (const [args, expected] of cases) {
      const r = await cli(['export', model, ...args]);
      assert.strictEqual(r.code, 1, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, expected);
      assert.strictEqual(r.err.trim().split('\n').length, 1, r.err);
    }
    assert.ok(!fs.existsSync(path.join(dir, 'x', 'tinyml_infer')), 'nothing written for a refused board');
  });
});
