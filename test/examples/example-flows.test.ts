/**
 * The example flows, checked as files: valid flow JSON, every node of a known type (Node-RED's core nodes, this
 * pack's nodes, and in examples/flows/dashboard/ also FlowFuse Dashboard 2's `ui-*` nodes, which the pack does not
 * depend on), wires and config references that resolve, a comment node that explains the flow and says how to
 * switch to a real board, embedded recordings equal to the pack's examples/data files, the train node's window
 * equal to the window node's, and every node of the pack used by some example (the Flow Library scorecard's N02).
 * test/browser/examples.test.ts deploys the top-level flows in a real editor.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');
const flowsDir = path.join(root, 'examples', 'flows');
const dataDir = path.join(root, 'examples', 'data');

interface FlowNode { id: string; type: string; z?: string; wires?: string[][]; [k: string]: unknown }

const packTypes = Object.keys((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })['node-red'].nodes);

/** Node types Node-RED registers itself: every RED.nodes.registerType("...") in @node-red/nodes' core files, plus tabs. */
function coreTypes(): Set<string> {
  const dir = path.dirname(require.resolve('@node-red/nodes/package.json'));
  const out = new Set<string>(['tab', 'subflow', 'group', 'junction']);
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/registerType\(\s*["']([^"']+)["']/g)) out.add(m[1]);
    }
  };
  walk(path.join(dir, 'core'));
  return out;
}

const files = [
  ...fs.readdirSync(flowsDir).filter((f) => f.endsWith('.json')),
  ...fs.readdirSync(path.join(flowsDir, 'dashboard')).filter((f) => f.endsWith('.json')).map((f) => `dashboard/${f}`),
].sort();

describe('example flows (static checks)', function () {
  const core = coreTypes();

  it('finds the examples the docs name, and the dashboard variant', function () {
    for (const f of ['capture-demo.json', 'gesture-recognition.json', 'vibration-anomaly.json', 'activity-recognition.json', 'dashboard/gesture-dashboard.json']) {
      assert.ok(files.includes(f), f);
    }
    assert.ok(core.has('inject') && core.has('template') && core.has('switch'), 'core node types found');
  });

  for (const file of files) {
    describe(file, function () {
      const flow = JSON.parse(fs.readFileSync(path.join(flowsDir, file), 'utf8')) as FlowNode[];
      const byId = new Map(flow.map((n) => [n.id, n]));
      const dashboard = file.startsWith('dashboard/');

      it('is a flow: an array of nodes with unique ids, one tab holding every non-config node', function () {
        assert.ok(Array.isArray(flow) && flow.length > 0);
        assert.strictEqual(byId.size, flow.length, 'ids are unique');
        const tabs = flow.filter((n) => n.type === 'tab');
        assert.strictEqual(tabs.length, 1);
        for (const n of flow) if (n.z !== undefined) assert.strictEqual(n.z, tabs[0].id, `${n.type} ${n.id} is on the tab`);
      });

      it('uses only known node types (ui-* only in the dashboard variant)', function () {
        for (const n of flow) {
          const known = core.has(n.type) || packTypes.includes(n.type) || (dashboard && n.type.startsWith('ui-'));
          assert.ok(known, `${file}: unknown node type '${n.type}'`);
        }
        if (dashboard) assert.ok(flow.some((n) => n.type === 'ui-chart'), 'has ui-chart nodes');
      });

      it('has wires and board references that resolve', function () {
        for (const n of flow) {
          for (const out of n.wires ?? []) for (const to of out) assert.ok(byId.has(to), `${n.type} ${n.id} → ${to}`);
          for (const k of ['board', 'group', 'page', 'ui']) {
            if (typeof n[k] === 'string' && n[k] !== '' && n.type !== 'tinyml-train' && n.type !== 'tinyml-mcu') assert.ok(byId.has(n[k] as string), `${n.type}.${k} → ${String(n[k])}`);
          }
        }
      });

      it('explains itself in a comment node and says how to switch to a real board', function () {
        const text = flow.filter((n) => n.type === 'comment').map((n) => `${String(n.name)}\n${String(n.info ?? '')}`).join('\n');
        assert.match(text, /Switch to a real board/);
        assert.match(text, /no hardware|No hardware/i);
        if (dashboard) assert.match(text, /@flowfuse\/node-red-dashboard/);
      });

      it('replays and embeds only the pack\'s own recordings, unchanged', function () {
        for (const b of flow.filter((n) => n.type === 'tinyml-board' && n.boardType === 'replay')) {
          assert.ok(fs.existsSync(path.join(dataDir, String(b.replayFile))), `replay file ${String(b.replayFile)} in examples/data`);
        }
        for (const t of flow.filter((n) => n.type === 'template' && /\.csv$/.test(String(n.name)))) {
          assert.strictEqual(t.template, fs.readFileSync(path.join(dataDir, String(t.name)), 'utf8'), `${String(t.name)} equals examples/data/${String(t.name)}`);
        }
      });

      it('trains on the window length the live window node cuts', function () {
        const train = flow.find((n) => n.type === 'tinyml-train');
        if (!train) return;
        const win = flow.find((n) => n.type === 'tinyml-window');
        const board = flow.find((n) => n.type === 'tinyml-board' && n.boardType === 'replay');
        assert.ok(win && board, 'a window node and a replay board');
        assert.strictEqual(win.lengthUnit, 'samples');
        assert.strictEqual(Math.round(Number(train.windowMs) * Number(board.replayRate) / 1000), Number(win.length));
      });
    });
  }

  it('uses every node of the pack in some top-level example', function () {
    const used = new Set(files.filter((f) => !f.startsWith('dashboard/'))
      .flatMap((f) => (JSON.parse(fs.readFileSync(path.join(flowsDir, f), 'utf8')) as FlowNode[]).map((n) => n.type)));
    for (const t of packTypes) assert.ok(used.has(t), t);
  });
});
