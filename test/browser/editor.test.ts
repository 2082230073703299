import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { NodeRedProcess, repoRoot, startNodeRed } from '../support/node-red-process';

const screenshots = path.join(repoRoot, 'screenshots');

describe('the Node-RED editor in a real browser', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  before(async function () {
    red = await startNodeRed();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(red.url);
    await page.waitForSelector('#red-ui-palette .red-ui-palette-node', { timeout: 60000 });
  });

  after(async function () {
    await browser?.close();
    await red?.stop();
  });

  it('shows every tinyml node of the package in the palette, in the tinyml category', async function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };
    const types = Object.keys(pkg['node-red'].nodes).filter((t) => t !== 'tinyml-board');
    assert.ok(types.length > 0);
    for (const type of types) {
      const node = page.locator(`#red-ui-palette-container-tinyml .red-ui-palette-node[data-palette-type="${type}"]`);
      assert.strictEqual(await node.count(), 1, `palette entry for ${type}`);
    }
    fs.mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, 'palette.png') });
  });

  it('loads the editor without console errors', function () {
    assert.deepStrictEqual(consoleErrors, []);
  });
});
