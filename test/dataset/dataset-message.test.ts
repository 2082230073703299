import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { DatasetMessageError, type DatasetMessageProblem, type DatasetMessageProblems } from '../../src/dataset/dataset-message-error';
import { describe as describeValue, isCaptureMessage, labelOf, groupOf, payloadProblem, recordOf, sessionGroup, type Labelling } from '../../src/dataset/dataset-message';
import { fileGroup, importFilesOf, importOptionsOf } from '../../src/dataset/import-message';

const labelling: Labelling = { fixedLabel: 'idle', fromTopic: false, group: 'session-a' };

/** The payloadAt problem recordOf reports for a payload; null when it records without one. */
function refusal(payload: unknown): string | null {
  try {
    recordOf({ payload }, labelling, 0);
    return null;
  } catch (e) {
    assert.ok(e instanceof DatasetMessageError, `a DatasetMessageError, got ${String(e)}`);
    assert.strictEqual(e.code, 'payloadAt');
    return (e.params as DatasetMessageProblems['payloadAt']).problem;
  }
}

describe('dataset messages (payload checks, records, labels, import options)', () => {
  it('names a bad payload by the index of what is wrong', () => {
    assert.strictEqual(payloadProblem([[1, 2], [3]]), 'msg.payload[1] has 1 values where msg.payload[0] has 2');
    assert.strictEqual(payloadProblem([[1, 2], [3, null]]), 'msg.payload[1][1] is null');
    assert.strictEqual(payloadProblem([[1, 2], [3, NaN]]), 'msg.payload[1][1] is NaN');
    assert.strictEqual(payloadProblem([[1, 2], [3, 4], 5]), 'msg.payload[2] is 5, not a sample');
    assert.strictEqual(payloadProblem([1, 2, 'x']), 'msg.payload[2] is "x"');
    assert.strictEqual(payloadProblem([1, Infinity]), 'msg.payload[1] is Infinity');
    assert.strictEqual(payloadProblem([]), 'msg.payload is an empty array');
    assert.strictEqual(payloadProblem([[]]), 'msg.payload[0] is an empty sample');
    assert.strictEqual(payloadProblem('a long string of more than twenty'), 'msg.payload is "a long string of mor…"');
    assert.strictEqual(payloadProblem({ x: 1 }), 'msg.payload is object');
    assert.strictEqual(payloadProblem([[1, 2], [3, 4]]), null);
    assert.strictEqual(payloadProblem([0.5, -1]), null);
    assert.strictEqual(describeValue([1, 2, 3]), 'an array of 3');
  });

  it('turns a window message into a record, refusing a malformed one with the problem and passing on an inject number', () => {
    assert.strictEqual(refusal([[1, 2], ['x', 2]]), 'msg.payload[1][0] is "x"');
    assert.strictEqual(refusal('punch'), 'msg.payload is "punch"');
    for (const p of [undefined, null, 3, true]) assert.strictEqual(recordOf({ payload: p }, labelling, 0), null, String(p));

    const rec = recordOf({ payload: [[1, 2], [3, 4]], axes: ['ax', 'ay'], rate: 50, time: 1234, segment: 7, features: [0.5, 1], label: 'wave' }, labelling, 99);
    assert.deepStrictEqual(rec, { kind: 'window', time: 1234, axes: ['ax', 'ay'], rate: 50, data: [[1, 2], [3, 4]], features: [0.5, 1], label: 'wave', group: 'session-a', segment: 7 });
    // axes that do not fit the samples are replaced by a0, a1, ...; no time: the clock's
    const bare = recordOf({ payload: [[1, 2, 3]], axes: ['ax'], features: [1, 'x'] }, labelling, 99);
    assert.deepStrictEqual(bare, { kind: 'window', time: 99, axes: ['a0', 'a1', 'a2'], rate: null, data: [[1, 2, 3]], label: 'idle', group: 'session-a' });
    // a flat vector (a features node's output) is the record's features
    const vec = recordOf({ payload: [0.1, 0.2], group: 'p2' }, labelling, 5);
    assert.deepStrictEqual(vec, { kind: 'window', time: 5, axes: [], rate: null, data: [], features: [0.1, 0.2], label: 'idle', group: 'p2' });
  });

  it('takes the label from msg.label, then msg.topic only when configured, then the fixed label', () => {
    const fromTopic: Labelling = { ...labelling, fromTopic: true };
    const none: Labelling = { ...labelling, fixedLabel: '' };
    assert.strictEqual(labelOf({ label: 'wave', topic: 'uno' }, fromTopic), 'wave');
    assert.strictEqual(labelOf({ label: '', topic: 'uno' }, fromTopic), 'uno');
    assert.strictEqual(labelOf({ topic: 'uno' }, labelling), 'idle', 'the topic (a board name) is no label unless configured');
    assert.strictEqual(labelOf({ topic: '' }, fromTopic), 'idle');
    assert.strictEqual(labelOf({ label: 3 }, labelling), 'idle', 'a label that is no string is ignored');
    assert.strictEqual(labelOf({}, none), undefined);
    assert.strictEqual(recordOf({ payload: [1] }, none, 0)?.label, undefined);
    assert.strictEqual(groupOf({ group: 'p1' }, labelling), 'p1');
    assert.strictEqual(groupOf({ group: '' }, labelling), 'session-a');
    assert.strictEqual(sessionGroup(new Date('2024-05-01T10:20:30.456Z')), 'session-2024-05-01T10-20-30-456Z');
  });

  it('tells a capture sample message from a window', () => {
    assert.strictEqual(isCaptureMessage({ payload: [1, 2], seq: 4 }), true);
    assert.strictEqual(isCaptureMessage({ payload: [[1, 2]], seq: 4, window: 0 }), false);
    assert.strictEqual(isCaptureMessage({ payload: [1, 2] }), false);
  });

  it('reads the import options, naming the option that is wrong', () => {
    assert.deepStrictEqual(importOptionsOf(undefined), {});
    assert.deepStrictEqual(importOptionsOf({ label: 'gesture', segment: 'subject, gesture', axes: ['ax', 'ay'], time: 't', timeUnit: 'us', rate: 50, group: '' }), {
      label: 'gesture', segment: ['subject', 'gesture'], axes: ['ax', 'ay'], time: 't', timeUnit: 'us', rate: 50, group: undefined,
    });
    assert.throws(() => importOptionsOf('label=gesture'), /^Error: dataset: msg\.import must be an object of options, got "label=gesture"$/);
    assert.throws(() => importOptionsOf([]), /msg\.import must be an object of options, got an array of 0/);
    assert.throws(() => importOptionsOf({ lable: 'g' }), /msg\.import\.lable is not an import option \(use label, segment, axes, rate, time, timeUnit, group\)/);
    assert.throws(() => importOptionsOf({ label: 3 }), /msg\.import\.label must be a column name, got 3/);
    assert.throws(() => importOptionsOf({ segment: ['a', 1] }), /msg\.import\.segment must be column names \(a list or "a,b,c"\), got an array of 2/);
    assert.throws(() => importOptionsOf({ rate: 0 }), /msg\.import\.rate must be a sample rate in Hz above 0, got 0/);
    assert.throws(() => importOptionsOf({ rate: '50' }), /msg\.import\.rate must be a sample rate in Hz above 0, got "50"/);
    assert.throws(() => importOptionsOf({ timeUnit: 'min' }), /msg\.import\.timeUnit must be "s", "ms" or "us", got "min"/);
  });

  it('reads the files of an import command, naming a malformed entry by its index', () => {
    assert.deepStrictEqual(importFilesOf({ payload: 'a,b\n1,2\n', filename: 'x.csv' }), [{ filename: 'x.csv', text: 'a,b\n1,2\n' }]);
    assert.deepStrictEqual(importFilesOf({ payload: 'a\n1\n', filename: '' }), [{ filename: undefined, text: 'a\n1\n' }]);
    assert.deepStrictEqual(importFilesOf({ payload: [{ filename: 'a.csv', payload: 't' }, { payload: 'u' }] }), [{ filename: 'a.csv', text: 't' }, { filename: undefined, text: 'u' }]);
    assert.throws(() => importFilesOf({ payload: [{ filename: 'a.csv', payload: 't' }, { filename: 'b.csv', payload: 3 }] }), /msg\.payload\[1\] must be \{filename, payload: CSV text\}, got object/);
    assert.throws(() => importFilesOf({ payload: [{ payload: 't' }, 'u'] }), /msg\.payload\[1\] must be .* got "u"/);
    assert.strictEqual(importFilesOf({ payload: { file: 'x.csv' } }), null);
    assert.strictEqual(importFilesOf({ payload: [] }), null);
    assert.strictEqual(fileGroup('uploads/idle.s1.csv'), 'idle.s1');
    assert.strictEqual(fileGroup('C:\\data\\run3.csv'), 'run3');
  });

  it('refuses with a code and parameters whose English text is the node catalog text, in every shipped language', () => {
    const examples: { [C in DatasetMessageProblem]: DatasetMessageProblems[C] } = {
      confirm: { name: 'gest', count: 12 },
      command: { command: 'frobnicate' },
      payloadAt: { problem: 'msg.payload[1] is "x"' },
      importPayload: { type: 'object' },
    };
    const localesDir = path.resolve(__dirname, '..', '..', '..', 'locales');
    const catalog = (lang: string): Record<string, string> =>
      (JSON.parse(fs.readFileSync(path.join(localesDir, lang, 'tinyml-dataset.json'), 'utf8')) as { 'tinyml-dataset': { error: Record<string, string> } })['tinyml-dataset'].error;
    const en = catalog('en-US');
    for (const code of Object.keys(examples) as DatasetMessageProblem[]) {
      const params = examples[code] as Record<string, string | number>;
      const e = new DatasetMessageError(code, examples[code]);
      assert.strictEqual(e.message, en[code].replace(/__(\w+)__/g, (_m, k: string) => String(params[k])), code);
      for (const lang of fs.readdirSync(localesDir)) {
        const text = catalog(lang)[code];
        assert.ok(typeof text === 'string', `${lang} has error.${code}`);
        for (const k of Object.keys(params)) assert.ok(text.includes(`__${k}__`), `${lang} error.${code} shows __${k}__`);
      }
    }
  });
});
