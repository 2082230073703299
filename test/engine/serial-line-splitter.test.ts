import assert from 'assert';
import { LineSplitter } from '../../src/serial/line-splitter';

const b = (s: string | number[]): Buffer => (typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s));

describe('serial line splitter', () => {
  it('splits \\n and \\r\\n lines across chunks', () => {
    const s = new LineSplitter();
    assert.deepStrictEqual(s.push(b('1,2\r\n3,')), ['1,2']);
    assert.deepStrictEqual(s.push(b('4\n5')), ['3,4']);
    assert.strictEqual(s.bufferedBytes, 1);
    assert.deepStrictEqual(s.push(b('\r')), []);
    assert.deepStrictEqual(s.push(b('\n\n')), ['5', '']);
  });

  it('keeps a UTF-8 character split across chunks whole', () => {
    const s = new LineSplitter();
    const bytes = b('# units=°/s\n');
    const cut = bytes.indexOf(0xb0); // second byte of the degree sign
    assert.deepStrictEqual(s.push(bytes.subarray(0, cut)), []);
    assert.deepStrictEqual(s.push(bytes.subarray(cut)), ['# units=°/s']);
  });

  it('turns invalid UTF-8 into U+FFFD', () => {
    const s = new LineSplitter();
    assert.deepStrictEqual(s.push(b([0xff, 0x31, 0x0a])), ['\ufffd1']);
  });

  it('drops and counts over-long lines without holding more than maxLineBytes', () => {
    const s = new LineSplitter(16);
    let notified = 0;
    s.onOverlong = () => notified++;
    assert.deepStrictEqual(s.push(b('x'.repeat(17) + '\nok\n')), ['ok']);
    assert.strictEqual(s.overlongCount, 1);
    for (let i = 0; i < 10; i++) {
      assert.deepStrictEqual(s.push(b('y'.repeat(7))), []);
      assert.ok(s.bufferedBytes <= 16);
    }
    assert.deepStrictEqual(s.push(b('\n1,2\n')), ['1,2']);
    assert.strictEqual(s.overlongCount, 2);
    assert.strictEqual(notified, 2);
    // Exactly maxLineBytes is allowed, one more is not.
    assert.deepStrictEqual(s.push(b('z'.repeat(16) + '\n' + 'z'.repeat(16) + '\r\n')), ['z'.repeat(16)]);
    assert.strictEqual(s.overlongCount, 3);
  });

  it('discardPartial drops the cut first line after a port opens', () => {
    const s = new LineSplitter();
    s.push(b('1,2,'));
    s.discardPartial();
    assert.strictEqual(s.bufferedBytes, 0);
    assert.deepStrictEqual(s.push(b('.5,3\n4,5,6\n')), ['4,5,6']);
  });

  it('discardPartial keeps an announcement that follows boot noise on the first line', () => {
    const s = new LineSplitter();
    s.discardPartial();
    assert.deepStrictEqual(s.push(b([0, 0xfe, ...b('# tinyml proto=1 axes=x\n1\n')])), ['# tinyml proto=1 axes=x', '1']);
  });
});
