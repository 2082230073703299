import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { axisNameFromColumn, parseCsv, readLongCsv, unitFromColumn } from '../../src/io/long-csv';
import { SHARED_DATA_TAG, sharedDataDir } from '../support/shared-data';

describe('long-format CSV reader', function () {
  it('parses RFC 4180 quoting, CRLF and a byte order mark', function () {
    assert.deepStrictEqual(parseCsv('\ufeffa,b\r\n"x,1","say ""hi"""\r\n\r\n3,\n'), [['a', 'b'], ['x,1', 'say "hi"'], ['3', '']]);
  });

  it('groups consecutive rows by segment values, takes the label, picks numeric non-index axes', function () {
    const text = 'id,who,label,t_idx,x,y\n1,a,up,0,1,2\n1,a,up,1,3,4\n2,a,down,0,5,6\n1,a,up,0,7,8\n';
    const csv = readLongCsv(text, { segment: ['id', 'who'], label: 'label' });
    assert.deepStrictEqual(csv.axes, ['x', 'y']);
    assert.deepStrictEqual(csv.recordings.map((r) => [r.key, r.label, r.samples]), [
      ['1/a', 'up', [[1, 2], [3, 4]]], ['2/a', 'down', [[5, 6]]], ['1/a', 'up', [[7, 8]]],
    ]);
    assert.deepStrictEqual(csv.recordings[1].fields, { id: '2', who: 'a' });
  });

  it('reads times and explicit axes; without segments the file is one recording', function () {
    const csv = readLongCsv('ms,a,b\n0,1,2\n10,3,4\n', { time: 'ms', axes: ['b'] });
    assert.deepStrictEqual(csv.recordings, [{ key: '0', fields: {}, times: [0, 10], samples: [[2], [4]] }]);
  });

  it('names the line and column of a bad value, and unknown columns', function () {
    assert.throws(() => readLongCsv('a,b\n1,2\n3,x\n'), /line 3: column 'b' is 'x', not a number/);
    assert.throws(() => readLongCsv('a,b\n1,2\n', { label: 'gesture' }), /label column 'gesture' is not in the header \(columns: a, b\)/);
    assert.throws(() => readLongCsv('name\nfoo\n'), /no numeric sensor columns/);
    assert.throws(() => readLongCsv(''), /empty/);
  });

  it('derives axis names and units from column suffixes', function () {
    assert.strictEqual(unitFromColumn('aX_g'), 'g');
    assert.strictEqual(unitFromColumn('gyro_x_rad_s'), 'rad/s');
    assert.strictEqual(unitFromColumn('gX_dps'), 'dps');
    assert.strictEqual(unitFromColumn('temperature'), undefined);
    assert.strictEqual(axisNameFromColumn('aX_g'), 'ax');
    assert.strictEqual(axisNameFromColumn('acc_x_g'), 'acc_x');
  });

  it(`reads the shared gestures recording: 193 gestures of 119 samples, 6 axes ${SHARED_DATA_TAG}`, function () {
    const text = fs.readFileSync(path.join(sharedDataDir(), 'gestures', 'gestures.csv'), 'utf8');
    const csv = readLongCsv(text, { segment: ['recorder_id', 'gesture', 'rep_id'], label: 'gesture' });
    assert.deepStrictEqual(csv.axes, ['aX_g', 'aY_g', 'aZ_g', 'gX_dps', 'gY_dps', 'gZ_dps']);
    assert.strictEqual(csv.recordings.length, 193);
    assert.ok(csv.recordings.every((r) => r.samples.length === 119), 'every gesture has 119 samples');
    assert.deepStrictEqual([...new Set(csv.recordings.map((r) => r.label))].sort(), ['clap', 'flex', 'punch', 'wave']);
    assert.strictEqual(csv.recordings[0].key, 'R01/flex/0');
    assert.deepStrictEqual(csv.recordings[0].samples[0], [-0.388, 0.297, 2.508, 24.353, 59.631, 60.974]);
  });

  it(`reads the shared fan recording: sample_id segments of 200 rows, axes ax_g, ay_g, az_g ${SHARED_DATA_TAG}`, function () {
    const text = fs.readFileSync(path.join(sharedDataDir(), 'fan-vibration', 'fan_0_high_0_weight.csv'), 'utf8');
    const csv = readLongCsv(text, { segment: ['sample_id'] });
    assert.deepStrictEqual(csv.axes, ['ax_g', 'ay_g', 'az_g']);
    assert.ok(csv.recordings.length > 1);
    assert.ok(csv.recordings.every((r) => r.samples.length === 200));
    assert.strictEqual(csv.recordings[0].key, '0000');
  });
});
