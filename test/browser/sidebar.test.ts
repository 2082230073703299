import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { DatasetStore } from '../../src/dataset/store';
import { launchChromium, openEditor } from '../support/browser';
import { NodeRedProcess, repoRoot, startNodeRed } from '../support/node-red-process';
import { classifierArtifact, withMetricsAndCost, writeModel } from '../editor/sample-model';

const screenshots = path.join(repoRoot, 'screenshots');
const LABELS = ['idle', 'punch', 'flex'];

/** Opens the tab as its menu entry does (the tab bar may fold the icon into its overflow menu). */
async function showTinymlTab(p: Page): Promise<void> {
  await p.evaluate(() => (globalThis as unknown as { RED: { sidebar: { show(id: string): void } } }).RED.sidebar.show('tinyml'));
}

describe('the TinyML sidebar in a real browser', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async function () {
    red = await startNodeRed();
    // A dataset and a model in the user directory, as the dataset and train nodes leave them.
    const store = await DatasetStore.open(path.join(red.userDir, 'tinyml', 'datasets'), 'gestures');
    for (let k = 0; k < 4; k++) {
      for (const [li, label] of LABELS.entries()) {
        const data = Array.from({ length: 100 }, (_, i) => [Math.sin((i * (li + 1)) / 8 + k), Math.cos(i / (6 + li)) * (li + 0.5), ((i % 25) / 25) - 0.5]);
        await store.append({ kind: 'window', label, group: `person${k % 2}`, time: k * 1000, axes: ['ax', 'ay', 'az'], rate: 100, data });
      }
    }
    await store.close();
    const confusion = { float: [[19, 1, 0], [0, 18, 2], [1, 0, 19]], int8: [[19, 1, 0], [1, 17, 2], [1, 1, 18]] };
    writeModel(path.join(red.userDir, 'tinyml', 'models'), 'gestures@1.json', withMetricsAndCost(classifierArtifact('gestures', LABELS), confusion));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    errors = await openEditor(page, red.url);
  });

  after(async function () {
    await browser?.close();
    await red?.stop();
  });

  it('opens the TinyML tab: a dataset with counts per label and three recorded windows per label', async function () {
    await showTinymlTab(page);
    await page.waitForSelector('#tinyml-sidebar [data-tinyml="dataset-preview"] svg[data-tinyml="window"]', { timeout: 30000 });
    assert.strictEqual(await page.locator('#tinyml-sidebar [data-tinyml="dataset-select"] option').first().getAttribute('value'), 'gestures');
    const counts = await page.locator('#tinyml-sidebar [data-tinyml="dataset-counts"] tr').allInnerTexts();
    assert.deepStrictEqual(counts.map((r) => r.split('\t').slice(0, 2).map((s) => s.trim())), [['flex', '4'], ['idle', '4'], ['punch', '4']]);
    for (const label of LABELS) {
      const plots = page.locator(`#tinyml-sidebar [data-tinyml-label="${label}"] + .tinyml-sb-windows svg`);
      assert.strictEqual(await plots.count(), 3, `windows of ${label}`);
      assert.strictEqual(await plots.first().locator('polyline').count(), 3, 'one line per axis');
    }
    fs.mkdirSync(screenshots, { recursive: true });
    await page.locator('#tinyml-sidebar').screenshot({ path: path.join(screenshots, 'sidebar-dataset.png') });
  });

  it('shows the model: float and int8 accuracy, the confusion matrix as a heat map, RAM/flash/latency bars per board', async function () {
    await page.waitForSelector('#tinyml-sidebar svg[data-tinyml="confusion-int8"]', { timeout: 30000 });
    const metrics = await page.locator('#tinyml-sidebar [data-tinyml="model-metrics"] tr').allInnerTexts();
    assert.match(metrics[1], /93\.3 %\s+90\.0 %/);
    const cells = page.locator('#tinyml-sidebar svg[data-tinyml="confusion-int8"] rect');
    assert.strictEqual(await cells.count(), LABELS.length ** 2);
    assert.deepStrictEqual(await cells.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-value')))), [19, 1, 0, 1, 17, 2, 1, 1, 18]);
    const boards = page.locator('#tinyml-sidebar svg[data-tinyml="board-bars"] g[data-board]');
    assert.deepStrictEqual(await boards.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-board'))), ['uno', 'nano33ble', 'esp32']);
    const uno = await page.locator('#tinyml-sidebar g[data-board="uno"] rect[data-kind]').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-kind'), Number(r.getAttribute('data-fraction'))]));
    assert.deepStrictEqual(uno.map((k) => k[0]), ['ram', 'flash', 'latency']);
    assert.ok(uno.every((k) => Number(k[1]) > 0), JSON.stringify(uno));
    await page.locator('#tinyml-sidebar [data-tinyml="models"]').scrollIntoViewIfNeeded();
    await page.locator('#tinyml-sidebar [data-tinyml="models"]').screenshot({ path: path.join(screenshots, 'sidebar-model.png') });
  });

  it('says that no training or deploy ran yet', async function () {
    assert.match(await page.locator('#tinyml-sidebar [data-tinyml="training"]').innerText(), /No training run/);
    assert.match(await page.locator('#tinyml-sidebar [data-tinyml="deploy"]').innerText(), /No deploy/);
  });

  it('speaks German in a German browser (sidebar and node help)', async function () {
    const ctx = await browser.newContext({ locale: 'de-DE', viewport: { width: 1400, height: 900 } });
    const de = await ctx.newPage();
    const deErrors = await openEditor(de, red.url);
    await showTinymlTab(de);
    await de.waitForSelector('#tinyml-sidebar svg[data-tinyml="window"]', { timeout: 30000 });
    assert.match(await de.locator('#tinyml-sidebar').innerText(), /Datensätze[\s\S]*Modelle[\s\S]*Konfusionsmatrix/);
    const help = await de.evaluate(() => new Promise<string>((resolve) => {
      const red = (globalThis as unknown as { RED: { nodes: { getNodeHelp?: (t: string) => string } } }).RED;
      resolve(red.nodes.getNodeHelp ? red.nodes.getNodeHelp('tinyml-window') : '');
    }));
    assert.match(help, /Fenster/);
    await ctx.close();
    assert.deepStrictEqual(deErrors, []);
  });

  it('loads without console errors', function () {
    assert.deepStrictEqual(errors, []);
  });
});
