import assert from 'assert';
import { LineParser, MAX_VALUES_PER_LINE } from '../../src/serial/line-parser';

function numbers(line: string): number[] | string {
  const p = new LineParser();
  const kind = p.parse(line);
  return kind === 'numbers' || kind === 'named' ? Array.from(p.values.subarray(0, p.count)) : kind;
}

describe('serial line parser', () => {
  it('reads numbers separated by comma, tab or space (data-forwarder lines)', () => {
    assert.deepStrictEqual(numbers('1,2,3'), [1, 2, 3]);
    assert.deepStrictEqual(numbers('1\t-2.5\t3e2'), [1, -2.5, 300]);
    assert.deepStrictEqual(numbers('0.1 0.2  0.3'), [0.1, 0.2, 0.3]);
    assert.deepStrictEqual(numbers('  1, 2 ,3,\r'), [1, 2, 3]);
    assert.deepStrictEqual(numbers('+.5,-7.,1E-3'), [0.5, -7, 0.001]);
  });

  it('parses decimals exactly as Number() does', () => {
    const cases = ['0.1', '-0.3', '123.456', '9007199254740993', '0.000000000000000000000001', '1.7976931348623157', '-12345.678901234567', '98.76543210987654321'];
    for (const c of cases) assert.strictEqual(numbers(c)[0], Number(c), c);
    for (let i = 0; i < 2000; i++) {
      const v = ((i * 7919) % 20011) / 997 - 10;
      const text = v.toFixed(i % 9);
      assert.strictEqual(numbers(text)[0], Number(text), text);
    }
  });

  it('reads JSON objects, keeping numeric members only', () => {
    const p = new LineParser();
    assert.strictEqual(p.parse('{"ax":0.1,"ay":-2,"label":"x","ok":true}'), 'named');
    assert.deepStrictEqual(p.names, ['ax', 'ay']);
    assert.deepStrictEqual(Array.from(p.values.subarray(0, p.count)), [0.1, -2]);
  });

  it('reads name:value pairs with space or comma separators', () => {
    const p = new LineParser();
    for (const line of ['ax:0.1 ay:0.2', 'ax:0.1,ay:0.2', 'ax: 0.1, ay: 0.2,', 'ax:0.1\tay:0.2']) {
      assert.strictEqual(p.parse(line), 'named', line);
      assert.deepStrictEqual(p.names, ['ax', 'ay']);
      assert.deepStrictEqual(Array.from(p.values.subarray(0, p.count)), [0.1, 0.2]);
    }
  });

  it('recognises comments, announcements, result lines and empty lines', () => {
    const p = new LineParser();
    assert.strictEqual(p.parse(''), 'empty');
    assert.strictEqual(p.parse(' \t\r'), 'empty');
    assert.strictEqual(p.parse('# booting'), 'comment');
    assert.strictEqual(p.parse('# tinyml proto=1 axes=a,b rate=50'), 'announcement');
    assert.deepStrictEqual(p.announcement?.axes, ['a', 'b']);
    assert.strictEqual(p.parse('# tinyml-result hash=1 label=a'), 'result');
    assert.strictEqual(p.parse('# tinyml proto=0'), 'malformed');
    assert.match(p.error, /proto/);
  });

  it('classifies malformed lines', () => {
    for (const line of ['1,,2', '1,2x', 'abc', '1;2', '-', '.', 'nan', 'Infinity', '1e', '{"a":', '[1,2]', '{"s":"x"}', 'ax:', ':1', 'ax:1 ax:2', 'ax:one']) {
      assert.strictEqual(new LineParser().parse(line), 'malformed', line);
    }
    assert.strictEqual(new LineParser().parse(Array(MAX_VALUES_PER_LINE + 1).fill('1').join(',')), 'malformed');
    assert.strictEqual(new LineParser().parse(Array(MAX_VALUES_PER_LINE).fill('1').join(',')), 'numbers');
  });

  it('classifies control bytes and replacement characters as binary', () => {
    for (const line of ['\u0000\u0000', '1,2\u00073', '\ufffd\ufffd', 'x\u007f', '1\r2', '# boot \u0001']) {
      assert.strictEqual(new LineParser().parse(line), 'binary', JSON.stringify(line));
    }
  });
});
