/**
 * Model artifact: valid files round-trip with a stable hash; every corruption is reported as an
 * ArtifactError naming the path; random mutations never crash the validator or the interpreter.
 */
import { strict as assert } from 'assert';
import { validateArtifact, parseArtifact, ArtifactError, Artifact, elements } from '../../src/model/artifact';
import { encodeInt8 } from '../../src/model/weight-encoding';
import { runModel } from '../../src/mcu/interpreter';
import { randomModel } from '../support/int8-models';
import { mulberry32 } from '../../src/random/mulberry32';

const clone = (a: Artifact): Record<string, unknown> => JSON.parse(JSON.stringify(a)) as Record<string, unknown>;

function errorOf(json: unknown): string {
  try {
    validateArtifact(json);
  } catch (e) {
    assert.ok(e instanceof ArtifactError, `expected an ArtifactError, got ${String(e)}`);
    return e.message;
  }
  return 'accepted';
}

function denseModel(): Artifact {
  for (let s = 1; ; s++) {
    const m = randomModel(s);
    if (m.layers[0].op === 'fully_connected') return m;
  }
}

describe('model artifact', () => {
  it('round-trips through JSON with the same hash, and the hash ignores metrics and cost', () => {
    const m = randomModel(3);
    const back = parseArtifact(JSON.stringify(m));
    assert.equal(back.hash, m.hash);
    assert.match(m.hash, /^[0-9a-f]{64}$/);
    const withMetrics = { ...clone(m), metrics: { int8: { accuracy: 0.9, confusion: [[1, 0], [0, 1]] } }, cost: { uno: { ramBytes: 100 } } };
    assert.equal(validateArtifact(withMetrics).hash, m.hash);
  });

  it('names the path of what is wrong', () => {
    const m = denseModel();
    const layer = m.layers[0] as { weights: string; units: number; inputShape: number[] };
    const n = layer.units * elements(layer.inputShape);
    const short = clone(m);
    (short.layers as Record<string, unknown>[])[0].weights = encodeInt8(new Int8Array(n - 1));
    assert.equal(errorOf(short), `layers[0].weights: expected ${n} values, got ${n - 1}`);
    const cases: [(j: Record<string, unknown>) => void, RegExp][] = [
      [(j) => { (j.input as Record<string, unknown>).quantization = { scale: 0, zeroPoint: 0 }; }, /^input\.quantization\.scale: scale must be > 0/],
      [(j) => { (j.input as Record<string, unknown>).quantization = { scale: 0.1, zeroPoint: 0 }; }, /not a float32 value/],
      [(j) => { (j.layers as Record<string, unknown>[])[0].output = { scale: 0.5, zeroPoint: 300 }; }, /^layers\[0\]\.output\.zeroPoint: 300 is outside -128\.\.127/],
      [(j) => { (j.layers as Record<string, unknown>[])[0].weightScales = [Number.NaN]; }, /^layers\[0\]\.weightScales\[0\]: expected a finite number/],
      [(j) => { (j.layers as Record<string, unknown>[])[0].op = 'lstm'; }, /^layers\[0\]\.op: expected one of/],
      [(j) => { (j.layers as Record<string, unknown>[])[0].weights = 'not base64!'; }, /^layers\[0\]\.weights: not valid base64/],
      [(j) => { j.version = 2; }, /^version: this reader understands version 1/],
      [(j) => { j.hash = '0'.repeat(64); }, /^hash: does not match the content/],
      [(j) => { delete j.layers; }, /^layers: missing/],
      [(j) => { j.layers = []; }, /^layers: a model needs at least one layer/],
      [(j) => { j.name = 'bad name'; }, /^name: /],
    ];
    for (const [mutate, want] of cases) {
      const j = clone(m);
      mutate(j);
      assert.match(errorOf(j), want);
    }
  });

  it('refuses hostile files without crashing or hanging', () => {
    assert.match(errorOf(null), /^artifact: expected an object/);
    assert.match(errorOf([]), /^artifact: expected an object/);
    assert.match(parseErr('{"format":'), /^artifact: not valid JSON/);
    const deep = clone(randomModel(4));
    let nest: Record<string, unknown> = {};
    (deep.input as Record<string, unknown>).features = nest;
    for (let i = 0; i < 100; i++) { const n: Record<string, unknown> = {}; nest.x = n; nest = n; }
    assert.match(errorOf(deep), /nested deeper than 16/);
    const huge = clone(randomModel(5));
    (huge.input as Record<string, unknown>).shape = [65536, 65536];
    assert.match(errorOf(huge), /^input\.shape: more than 1048576 elements/);
    const proto = JSON.parse('{"__proto__": {"format": "tinyml-model"}}') as unknown;
    assert.match(errorOf(proto), /^format: missing/);
  });

  it('random mutations give an ArtifactError or a model the interpreter runs', function () {
    this.timeout(60_000);
    const r = mulberry32(11);
    const junk = [null, -1, 0, 1.5, 1e300, 'x', [], {}, true, -129, 65537, [1, 2], 'AAAA'];
    let accepted = 0;
    for (let t = 0; t < 3000; t++) {
      const j = clone(randomModel(t % 50));
      // Replace one random leaf or object somewhere in the tree.
      let node: unknown = j;
      let parent: Record<string, unknown> | unknown[] = j;
      let key: string | number = 'name';
      for (let d = 0; d < 6 && node && typeof node === 'object'; d++) {
        const keys = Object.keys(node as object);
        if (keys.length === 0) break;
        key = keys[Math.floor(r() * keys.length)];
        parent = node as Record<string, unknown>;
        node = (node as Record<string, unknown>)[key];
        if (r() < 0.25) break;
      }
      (parent as Record<string, unknown>)[key] = junk[Math.floor(r() * junk.length)];
      let m: Artifact | undefined;
      try {
        m = validateArtifact(j, { checkHash: false });
      } catch (e) {
        assert.ok(e instanceof ArtifactError, `mutation ${t}: ${String(e)}`);
      }
      if (m) {
        accepted++;
        runModel(m, new Int8Array(elements(m.input.shape)));
      }
    }
    assert.ok(accepted > 0);
  });
});

function parseErr(text: string): string {
  try {
    parseArtifact(text);
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
}
