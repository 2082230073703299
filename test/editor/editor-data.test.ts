import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { DatasetStore } from '../../src/dataset/store';
import { datasetOverviews, datasetPreview, decimateRows } from '../../src/editor/dataset-summary';
import { modelViews } from '../../src/editor/model-summary';
import { classifierArtifact, withMetricsAndCost, writeModel } from './sample-model';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-editor-'));
}

const window = (n: number, k: number): number[][] => Array.from({ length: n }, (_, i) => [Math.sin(i / 5 + k), Math.cos(i / 7) * k, i]);

describe('editor data: datasets and models for the TinyML sidebar', function () {
  it('decimates a window to at most the requested rows, keeping the first sample', function () {
    const d = decimateRows(window(250, 1), 100);
    assert.strictEqual(d.step, 3);
    assert.strictEqual(d.data.length, 84);
    assert.deepStrictEqual(d.data[1], window(250, 1)[3]);
    assert.strictEqual(decimateRows(window(10, 1), 100).step, 1);
  });

  it('lists datasets with counts per label and previews the most recent windows of each label', async function () {
    const base = tmp();
    const s = await DatasetStore.open(base, 'gestures');
    for (let k = 0; k < 5; k++) {
      await s.append({ kind: 'window', label: 'punch', time: k, axes: ['ax', 'ay', 'az'], rate: 100, data: window(200, k) });
      await s.append({ kind: 'window', label: 'flex', time: k, axes: ['ax', 'ay', 'az'], rate: 100, data: window(50, k) });
    }
    await s.append({ kind: 'window', time: 9, axes: ['ax', 'ay', 'az'], rate: 100, data: window(20, 0) });
    await s.close();
    fs.mkdirSync(path.join(base, 'not-a-dataset'));

    assert.deepStrictEqual(await datasetOverviews(base), [{ name: 'gestures', records: 11, counts: { punch: 5, flex: 5, '': 1 } }]);
    const p = await datasetPreview(base, 'gestures', { perLabel: 2, maxSamples: 64 });
    assert.deepStrictEqual(p.labels.map((l) => [l.label, l.count, l.windows.map((w) => w.id)]), [['', 1, [11]], ['flex', 5, [8, 10]], ['punch', 5, [7, 9]]]);
    const punch = p.labels[2].windows[1];
    assert.strictEqual(punch.samples, 200);
    assert.ok(punch.data.length <= 64);
    assert.deepStrictEqual(punch.data[0], window(200, 4)[0]);
    assert.deepStrictEqual(punch.axes, ['ax', 'ay', 'az']);
    await assert.rejects(datasetPreview(base, 'missing'), /does not exist/);
    await assert.rejects(datasetPreview(base, '../etc'), /invalid dataset name/);
    assert.deepStrictEqual(await datasetOverviews(path.join(base, 'nowhere')), []);
  });

  it('lists models by name, newest version first, with metrics, per-board cost and limits; a bad file is reported, not fatal', async function () {
    const dir = tmp();
    const labels = ['idle', 'punch', 'flex'];
    const a = classifierArtifact('gestures', labels);
    const confusion = { float: [[9, 1, 0], [0, 10, 0], [1, 0, 9]], int8: [[9, 1, 0], [0, 9, 1], [1, 0, 9]] };
    writeModel(dir, 'gestures@1.json', a);
    writeModel(dir, 'gestures@2.json', withMetricsAndCost(a, confusion));
    fs.writeFileSync(path.join(dir, 'broken@1.json'), '{"format":"tinyml-model","version":1');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');

    const views = await modelViews(dir);
    assert.deepStrictEqual(views.map((m) => [m.name, m.versions.map((v) => v.version)]), [['broken', [1]], ['gestures', [2, 1]]]);
    assert.match(views[0].versions[0].error ?? '', /./);
    const v2 = views[1].versions[0];
    assert.deepStrictEqual(v2.labels, labels);
    assert.strictEqual(v2.hash, a.hash);
    assert.deepStrictEqual(v2.int8?.confusion, confusion.int8);
    assert.strictEqual(v2.float?.accuracy, 28 / 30);
    assert.deepStrictEqual(v2.boards?.map((b) => b.board), ['uno', 'nano33ble', 'esp32']);
    const uno = v2.boards?.[0];
    assert.strictEqual(uno?.ramLimit, 2048);
    assert.strictEqual(uno?.flashLimit, 32256);
    assert.strictEqual(uno?.estimated, false);
    assert.ok((uno?.ramBytes ?? 0) > 0 && (uno?.latencyMs ?? 0) > 0);
    assert.strictEqual(uno?.latencyBudgetMs, (a.input.window.length / a.input.window.rateHz) * 1000);
    // Version 1 has no cost of its own: the cost model estimates the standard boards.
    const v1 = views[1].versions[1];
    assert.ok((v1.boards ?? []).length >= 3);
    assert.ok((v1.boards ?? []).every((b) => b.estimated && b.ramLimit > 0));
    assert.strictEqual(v1.int8, undefined);
    assert.deepStrictEqual(await modelViews(path.join(dir, 'nowhere')), []);
  });
});
