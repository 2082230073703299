import assert from 'assert';
import { formatAnnouncement, parseAnnouncement, parseAnnouncementResult } from '../../src/serial/announcement';
import { parseResultLine, RESULT_LINE_PREFIX } from '../../src/serial/result-line';

describe('serial announcement', () => {
  it('parses the contract example', () => {
    const a = parseAnnouncement('# tinyml proto=1 board=uno rate=100 axes=ax,ay,az units=g,g,g sensor=synthetic');
    assert.deepStrictEqual(a, { proto: 1, board: 'uno', rate: 100, axes: ['ax', 'ay', 'az'], units: ['g', 'g', 'g'], sensor: 'synthetic' });
  });

  it('round-trips through formatAnnouncement, time column included', () => {
    const a = { proto: 1, board: 'nano33ble', rate: 119, axes: ['aX', 'aY', 'aZ', 'gX'], units: ['g', 'g', 'g', 'dps'], time: 'us' as const, sensor: 'lsm9ds1' };
    assert.deepStrictEqual(parseAnnouncement(formatAnnouncement(a)), a);
    assert.deepStrictEqual(parseAnnouncement(`${formatAnnouncement(a)}\r`), a);
  });

  it('is null for other comments and for result lines', () => {
    assert.strictEqual(parseAnnouncement('# hello'), null);
    assert.strictEqual(parseAnnouncement('# tinyml-result hash=1 label=a'), null);
    assert.strictEqual(parseAnnouncement('1,2,3'), null);
    assert.strictEqual(parseAnnouncementResult('# tinymlx proto=1'), null);
  });

  it('names the field of a malformed announcement', () => {
    const cases: Array<[string, RegExp]> = [
      ['# tinyml board=uno', /no proto/],
      ['# tinyml proto=x', /proto=x/],
      ['# tinyml proto=1 rate=-5', /rate=-5/],
      ['# tinyml proto=1 axes=a,,b', /empty axis/],
      ['# tinyml proto=1 axes=a,a', /repeats/],
      ['# tinyml proto=1 axes=a,b units=g', /1 units for 2 axes/],
      ['# tinyml proto=1 time=s', /time=s/],
      ['# tinyml proto=1 junk', /not key=value/],
    ];
    for (const [line, re] of cases) {
      const r = parseAnnouncementResult(line);
      assert.ok(r !== null && !r.ok, line);
      if (r !== null && !r.ok) assert.match(r.error, re);
    }
  });

  it('ignores unknown keys (later protocol versions)', () => {
    assert.deepStrictEqual(parseAnnouncement('# tinyml proto=2 axes=x future=yes'), { proto: 2, axes: ['x'] });
  });

  it('refuses to format values that would not round-trip', () => {
    assert.throws(() => formatAnnouncement({ proto: 1, axes: ['a b'] }), /axes/);
  });

  it('splits result lines', () => {
    assert.deepStrictEqual(parseResultLine(`${RESULT_LINE_PREFIX}hash=ab12 label=wave scores=0.1,0.9 us=1843`), { hash: 'ab12', label: 'wave', scores: '0.1,0.9', us: '1843' });
    assert.strictEqual(parseResultLine('# tinyml proto=1'), null);
  });
});
