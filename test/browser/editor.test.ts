import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openEditor } from '../support/browser';
import { NodeRedProcess, repoRoot, startNodeRed } from '../support/node-red-process';

const screenshots = path.join(repoRoot, 'screenshots');

describe('the Node-RED editor in a real browser', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[] = [];

  before(async function () {
    red = await startNodeRed({ flowsFrom: path.join(repoRoot, 'examples', 'flows', 'capture-demo.json') });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    consoleErrors = await openEditor(page, red.url);
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

  it('runs the capture example: the capture node shows the measured rate and samples reach the debug sidebar', async function () {
    const status = page.locator('[id="c0ffee0000000003"] .red-ui-flow-node-status-label');
    await page.waitForFunction(
      `/\\d+ Hz · 3 axes/.test(document.querySelector('[id="c0ffee0000000003"] .red-ui-flow-node-status-label')?.textContent ?? '')`,
      undefined, { timeout: 30000 });
    assert.match((await status.textContent()) ?? '', /^(99|100|101) Hz · 3 axes/);
    await page.locator('#red-ui-tab-debug-link-button').click();
    await page.waitForSelector('.red-ui-debug-msg', { timeout: 30000 });
    assert.ok((await page.locator('.red-ui-debug-msg').count()) > 0);
    await page.screenshot({ path: path.join(screenshots, 'capture-demo.png') });
  });

  it('loads the editor without console errors', function () {
    assert.deepStrictEqual(consoleErrors, []);
  });
});
