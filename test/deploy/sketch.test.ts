/**
 * Sketch generation: the folder holds everything Arduino needs, refusals name the problem, the
 * result-line format round-trips, HIL values are sent so that the device reads float32(value), and
 * the Arduino library form compiles.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import fc from 'fast-check';
import { encodeResultLabel, generateInferenceSketch, exportSketch, SketchError } from '../../src/codegen/sketch';
import { parseDeviceResult, announcedModel } from '../../src/deploy/device-result';
import { formatAnnouncement, parseAnnouncement, parseAnnouncementResult } from '../../src/serial/announcement';
import { formatHilValue, ParityTwin } from '../../src/deploy/parity-twin';
import { buildSketch } from '../../src/toolchain/avr-build';
import { requireAvrTools } from '../support/emulator';
import { deployTestModel, syntheticStream } from './deploy-fixtures';

describe('deploy: inference sketch generation', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-sketch-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the template, generated headers and the C sources into tinyml_infer/', () => {
    const a = deployTestModel();
    const s = generateInferenceSketch(a, dir, { board: 'uno', mode: 'sensor' });
    for (const f of ['tinyml_infer.ino', 'tml_infer_config.h', 'tml_features_config.h', 'tml_model_deploy_test.h', 'tml_features.c', 'tml_dsp.c', 'tml_interpreter.c', 'tml_synthetic.h']) {
      assert.ok(s.files.includes(f), `${f} in ${s.files.join(', ')}`);
    }
    const config = fs.readFileSync(path.join(s.dir, 'tml_infer_config.h'), 'utf8');
    assert.match(config, new RegExp(`#define TML_HASH "${a.hash}"`));
    assert.match(config, /#define TML_SENSOR_SYNTHETIC 1/);
    assert.match(config, /"tilt%20wave"/);
    // the DSP copy's quantize function is renamed so it does not clash with the runtime's
    assert.doesNotMatch(fs.readFileSync(path.join(s.dir, 'tml_dsp.c'), 'utf8'), /\btml_quantize_input\b/);
  });

  it('refuses a sensor with another axis count, a bad stride and a board without firmware', () => {
    const a = deployTestModel();
    assert.throws(() => generateInferenceSketch(a, dir, { board: 'uno', sensor: { analogPins: ['A0', 'A1'] } }), (e: Error) => e instanceof SketchError && /takes 3 axes.*gives 2/.test(e.message));
    assert.throws(() => generateInferenceSketch(a, dir, { board: 'uno', strideSamples: 33 }), /stride must be .* 1 to the window length 32/);
    assert.throws(() => generateInferenceSketch(a, dir, { board: 'replay' }), /runs no firmware/);
    assert.throws(() => generateInferenceSketch(a, dir, { board: 'uno; rm -rf /' }), /unknown board/);
  });

  it('labels survive the result line (percent-encoding) and result lines parse', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 20 }), (label) => {
      const line = `# tinyml-result hash=ab win=3 label=${encodeResultLabel(label)} scores=-128,5,127 us=12 feat_us=40`;
      const r = parseDeviceResult(line);
      assert.ok(r);
      assert.strictEqual(r.label, label);
      assert.deepStrictEqual(r.scores, [-128, 5, 127]);
      assert.strictEqual(r.win, 3);
    }));
    assert.strictEqual(parseDeviceResult('# tinyml-result hash=ab label=x scores=1,300'), null, 'an int8 score out of range is not a result');
    assert.strictEqual(announcedModel('# tinyml proto=1 board=uno model=abc window=3'), 'abc');
    assert.strictEqual(announcedModel('# tinyml proto=1 board=uno'), '');
    assert.strictEqual(announcedModel('# tinyml-result hash=abc'), null);
    assert.strictEqual(announcedModel('# tinyml proto=1 board=uno model=abc;rm'), '', 'a malformed model= names no model');
  });

  it('the announcement parser reads model= of the inference sketch and round-trips it', () => {
    const hash = deployTestModel().hash;
    const line = `# tinyml proto=1 board=emulated-uno rate=50 axes=ax,ay,az sensor=hil model=${hash} window=32 stride=16 mode=hil`;
    const a = parseAnnouncement(line);
    assert.ok(a);
    assert.strictEqual(a.model, hash);
    assert.deepStrictEqual(a.axes, ['ax', 'ay', 'az']);
    assert.strictEqual(parseAnnouncement(formatAnnouncement(a))?.model, hash);
    assert.strictEqual(parseAnnouncement('# tinyml proto=1 axes=x')?.model, undefined);
    const bad = parseAnnouncementResult('# tinyml proto=1 model=ab$(x)');
    assert.ok(bad && !bad.ok && /model=/.test(bad.error), JSON.stringify(bad));
  });

  it('HIL values: the text parses to the value when it is a short decimal, and always fits 24 bits', () => {
    fc.assert(fc.property(fc.integer({ min: -9_999_999, max: 9_999_999 }), fc.integer({ min: 0, max: 6 }), (m, d) => {
      const v = m / 10 ** d;
      const text = formatHilValue(v);
      assert.strictEqual(Number(text), v);
    }));
    fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v) => {
      const text = formatHilValue(v);
      const [int, frac = ''] = text.replace('-', '').split('.');
      assert.ok(Number(int + frac) < 2 ** 24, text);
    }));
  });

  it('the parity twin reports a differing score or label with the window and its samples', () => {
    const a = deployTestModel();
    const twin = new ParityTwin(a, 'uno', 16);
    const windows = syntheticStream(3, 32 + 16 * 2).map((s) => twin.push(s)).filter((w) => w !== null);
    assert.deepStrictEqual(windows.map((w) => [w.win, w.start]), [[0, 0], [1, 16], [2, 32]]);
    const [w0, w1, w2] = windows;
    assert.strictEqual(twin.check({ hash: a.hash, win: 0, label: w0.label!, scores: w0.raw }), null);
    const off = w1.raw.map((v, i) => (i === 1 ? v + 1 : v));
    assert.match(twin.check({ hash: a.hash, win: 1, label: w1.label!, scores: off })?.message ?? '', /^window 1 \(samples 16\.\.47\): device .* \[.*\], simulator .*/);
    const other = a.labels.find((l) => l !== w2.label)!;
    assert.ok(twin.check({ hash: a.hash, win: 2, label: other, scores: w2.raw }));
    assert.match(twin.check({ hash: a.hash, win: 7, label: 'rest', scores: [0, 0, 0] })?.message ?? '', /not computed/);
    assert.strictEqual(twin.matched, 1);
    assert.strictEqual(twin.mismatches.length, 3);
  });

  it('exports the sketch and an Arduino library whose example compiles for the Uno', async () => {
    requireAvrTools();
    const a = deployTestModel();
    const out = path.join(dir, 'export');
    const r = exportSketch(a, out, { board: 'uno' });
    assert.ok(fs.existsSync(path.join(r.sketchDir, 'tinyml_infer.ino')));
    const props = fs.readFileSync(path.join(r.libraryDir, 'library.properties'), 'utf8');
    assert.match(props, /^name=TinyMLFlow_deploy_test$/m);
    assert.match(props, /^includes=TinyMLFlow_deploy_test.h$/m);
    const example = path.join(r.libraryDir, 'examples', 'tinyml_infer');
    const built = await buildSketch(example, { board: 'uno', libraries: [r.libraryDir], buildDir: path.join(dir, 'lib-build') });
    assert.ok(built.sizes.flash > 5000 && built.sizes.flash < built.limits.flash, `flash ${built.sizes.flash}`);
  });
});
