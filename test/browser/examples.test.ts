import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { NodeRedProcess, repoRoot, startNodeRed } from '../support/node-red-process';
import { watchErrors } from './page-errors';

const examplesDir = path.join(repoRoot, 'examples', 'flows');
// Only the flows at the top of examples/flows: examples/flows/dashboard/ needs @flowfuse/node-red-dashboard, which
// the pack does not depend on, so it is not deployed here (test/examples/example-flows.test.ts checks it statically).
const examples = fs.readdirSync(examplesDir, { withFileTypes: true })
  .filter((f) => f.isFile() && f.name.endsWith('.json')).map((f) => f.name).sort();

interface EditorNode { id: string; type: string; z?: string; status?: { fill?: string; text?: string } }
interface EditorRED {
  view: { importNodes(flow: unknown, opts: Record<string, unknown>): void };
  nodes: { eachNode(cb: (n: EditorNode) => void): void };
}

describe('every example flow imports and deploys in the editor, and its nodes reach their running state', function () {
  this.timeout(180000);
  let red: NodeRedProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async function () {
    red = await startNodeRed();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    errors = watchErrors(page);
    await page.goto(red.url);
    await page.waitForSelector('#red-ui-palette .red-ui-palette-node', { timeout: 60000 });
  });

  after(async function () {
    await browser?.close();
    await red?.stop();
  });

  it('finds the examples', function () {
    assert.ok(examples.length > 0);
  });

  for (const file of examples) {
    it(`${file}: imports as a new flow, deploys, every tinyml node shows a green status`, async function () {
      const flow = JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8')) as unknown;
      // What Import does (new ids); the example's nodes are those that were not there before.
      const tinyml = await page.evaluate((f) => {
        const RED = (globalThis as unknown as { RED: EditorRED }).RED;
        const ids = (): string[] => {
          const out: string[] = [];
          RED.nodes.eachNode((n) => { if (n.type.startsWith('tinyml-')) out.push(n.id); });
          return out;
        };
        const before = new Set(ids());
        RED.view.importNodes(f, { generateIds: true });
        return ids().filter((id) => !before.has(id));
      }, flow);
      assert.ok(tinyml.length > 0, 'the example uses tinyml nodes');
      await page.locator('#red-ui-header-button-deploy').click();
      await page.waitForFunction((ids) => ids.every((id) => {
        const RED = (globalThis as unknown as { RED: { nodes: { node(id: string): EditorNode | null } } }).RED;
        return RED.nodes.node(id)?.status?.fill === 'green';
      }), tinyml, { timeout: 90000, polling: 500 }).catch(async (e: Error) => {
        const states = await page.evaluate((ids) => ids.map((id) => {
          const n = (globalThis as unknown as { RED: { nodes: { node(id: string): EditorNode | null } } }).RED.nodes.node(id);
          return `${n?.type}: ${JSON.stringify(n?.status ?? null)}`;
        }), tinyml);
        throw new Error(`${e.message}\nstatuses: ${states.join('; ')}\n${red.log().slice(-3000)}`);
      });
      // Show the example's own tab, so the screenshot (used by the docs) is the running flow with its statuses.
      await page.evaluate((id) => {
        const RED = (globalThis as unknown as { RED: { nodes: { node(id: string): EditorNode | null }; workspaces: { show(id: string): void } } }).RED;
        const z = RED.nodes.node(id)?.z;
        if (z) RED.workspaces.show(z);
      }, tinyml[0]);
      await page.waitForTimeout(500);
      fs.mkdirSync(path.join(repoRoot, 'screenshots'), { recursive: true });
      await page.screenshot({ path: path.join(repoRoot, 'screenshots', `example-${path.basename(file, '.json')}.png`) });
    });
  }

  it('shows no console errors', function () {
    assert.deepStrictEqual(errors, []);
  });
});
