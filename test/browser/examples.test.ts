import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openEditor } from '../support/browser';
import { NodeRedProcess, repoRoot, startNodeRed } from '../support/node-red-process';

const examplesDir = path.join(repoRoot, 'examples', 'flows');
// Only the flows at the top of examples/flows: examples/flows/dashboard/ needs @flowfuse/node-red-dashboard, which
// the pack does not depend on, so it is not deployed here (test/examples/example-flows.test.ts checks it statically).
const examples = fs.readdirSync(examplesDir, { withFileTypes: true })
  .filter((f) => f.isFile() && f.name.endsWith('.json')).map((f) => f.name).sort();

interface EditorNode { id: string; type: string; z?: string; x?: number; y?: number; w?: number; h?: number; status?: { fill?: string; text?: string } }
interface EditorView {
  nodes: { node(id: string): EditorNode | null; eachNode(cb: (n: EditorNode) => void): void };
  workspaces: { show(id: string): void };
  view: { scale(): number };
  actions: { invoke(name: string): void };
  menu: { setSelected(id: string, on: boolean): void };
}
interface ChartElement { clientWidth: number; clientHeight: number; scrollLeft: number; scrollTop: number; getBoundingClientRect(): { top: number } }

/** Smallest editor zoom used for the screenshots: below it the node labels are no longer legible. */
const MIN_SCALE = 0.5;
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
    // Wide enough that the longest example (the gesture flow, ~2000 px) fits at a legible zoom.
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    errors = await openEditor(page, red.url);
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
      // Show the example's own tab, so the screenshot (used by the docs) is the running flow with its statuses:
      // the sidebar hidden and the view zoomed out until the whole flow fits, scrolled to its top-left corner.
      await page.evaluate((id) => {
        const RED = (globalThis as unknown as { RED: EditorView }).RED;
        const z = RED.nodes.node(id)?.z;
        if (z) RED.workspaces.show(z);
        RED.menu.setSelected('menu-item-sidebar', false);
      }, tinyml[0]);
      await page.waitForTimeout(300); // the workspace takes the sidebar's width
      const shown = await page.evaluate(({ id, minScale }) => {
        const RED = (globalThis as unknown as { RED: EditorView }).RED;
        const z = RED.nodes.node(id)?.z;
        let right = 0;
        let bottom = 0;
        let left = Infinity;
        let leftmost = '';
        RED.nodes.eachNode((n) => {
          if (n.z !== z || n.x === undefined || n.y === undefined) return;
          right = Math.max(right, n.x + (n.w ?? 100) / 2);
          if (n.x - (n.w ?? 100) / 2 < left) {
            left = n.x - (n.w ?? 100) / 2;
            leftmost = `${n.type} at x=${n.x}, ${n.w ?? 100} px wide`;
          }
          bottom = Math.max(bottom, n.y + (n.h ?? 30) / 2 + 20); // + the status line under the node
        });
        const doc = (globalThis as unknown as { document: { getElementById(id: string): ChartElement } }).document;
        const chart = doc.getElementById('red-ui-workspace-chart');
        const margin = 20;
        for (let i = 0; i < 10 && (right + margin) * RED.view.scale() > chart.clientWidth && RED.view.scale() > minScale + 0.05; i++) RED.actions.invoke('core:zoom-out');
        chart.scrollLeft = 0;
        chart.scrollTop = 0;
        return { scale: RED.view.scale(), left, leftmost, right, bottom, width: chart.clientWidth, top: chart.getBoundingClientRect().top };
      }, { id: tinyml[0], minScale: MIN_SCALE });
      await page.waitForTimeout(500);
      fs.mkdirSync(path.join(repoRoot, 'screenshots'), { recursive: true });
      const viewport = page.viewportSize() ?? { width: 1600, height: 900 };
      // Down to the flow's last row (and the zoom buttons stay out of the picture when the flow is short).
      const height = Math.min(viewport.height, Math.ceil(shown.top + (shown.bottom + 40) * shown.scale));
      await page.screenshot({ path: path.join(repoRoot, 'screenshots', `example-${path.basename(file, '.json')}.png`), clip: { x: 0, y: 0, width: viewport.width, height } });
      await page.evaluate(() => (globalThis as unknown as { RED: EditorView }).RED.menu.setSelected('menu-item-sidebar', true));
      // The editor shows no negative coordinates: a node reaching left of 0 is cut off in the editor and the screenshot.
      assert.ok(shown.left >= 0, `the flow starts right of the canvas edge: ${shown.leftmost}`);
      assert.ok((shown.right + 20) * shown.scale <= shown.width, `the whole flow is in the screenshot: ${JSON.stringify(shown)}`);
    });
  }

  it('shows no console errors', function () {
    assert.deepStrictEqual(errors, []);
  });
});
