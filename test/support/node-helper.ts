/**
 * node-red-node-test-helper, typed for our tests (the package ships no types): a real Node-RED
 * runtime with the pack's node modules loaded. Node tests get one server per test through
 * `useNodeRuntime` (node-test-runtime.ts); `startServer`/`stopServer` serve the rest.
 */
import type { NodeAPI, NodeDef } from '../../nodes/red-types';

export interface HelperNode {
  id: string;
  on(event: string, listener: (arg: never) => void): void;
  receive(msg: unknown): void;
  [key: string]: unknown;
}

export type NodeModule = (RED: NodeAPI) => void;

export interface TestHelper {
  init(nodeRedPath: string, settings?: Record<string, unknown>): void;
  settings(settings: Record<string, unknown>): Record<string, unknown>;
  load(nodes: NodeModule | NodeModule[], flow: NodeDef[], credentials?: Record<string, unknown>): Promise<void>;
  unload(): Promise<void>;
  setFlows(flow: NodeDef[], type?: 'full' | 'flows' | 'nodes'): Promise<void>;
  getNode(id: string): HelperNode | null;
  startServer(done: (err?: Error) => void): void;
  stopServer(done: (err?: Error) => void): void;
  request(): { get(path: string): { expect(status: number): Promise<{ body: unknown }> } };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const helper = require('node-red-node-test-helper') as TestHelper;

let initialised = false;
/** Node.prototype methods the helper wraps in sinon spies at every load (and never unwraps). */
const SPIED = ['log', 'status', 'warn', 'error', 'debug', 'trace', 'send'];
let pristine: Record<string, unknown> | null = null;

/** Points the helper at the installed Node-RED (once per process). */
export function initHelper(settings: Record<string, unknown> = {}): TestHelper {
  if (!initialised) {
    helper.init(require.resolve('node-red'));
    initialised = true;
    const proto = (helper as unknown as { _NodePrototype: Record<string, unknown> })._NodePrototype;
    pristine = {};
    for (const m of SPIED) pristine[m] = proto[m];
  }
  helper.settings(settings);
  return helper;
}

/** Starts the helper's Node-RED server with these settings (call it in a hook or a test, never at module load). */
export function startServer(settings: Record<string, unknown>): Promise<void> {
  const h = initHelper(settings);
  return new Promise((resolve, reject) => h.startServer((err) => (err ? reject(err) : resolve())));
}

/** Unloads the flows, then stops the server. */
export async function stopServer(): Promise<void> {
  await helper.unload();
  await new Promise<void>((resolve) => { helper.stopServer(() => resolve()); });
}

/**
 * Puts Node-RED's own Node methods back after `load` (benchmarks): the helper's spies record
 * every call, which costs more than Node-RED itself. `call:*` events stop after this.
 */
export function removeHelperSpies(nodeIds: string[] = []): void {
  if (!pristine) return;
  const proto = (helper as unknown as { _NodePrototype: Record<string, unknown> })._NodePrototype;
  for (const m of SPIED) proto[m] = pristine[m];
  // Node-RED copies Node.prototype.send onto each wired node instance.
  for (const id of nodeIds) {
    const node = helper.getNode(id);
    if (node && Object.prototype.hasOwnProperty.call(node, 'send')) node.send = pristine.send;
  }
  // Node.send logs a metric per message through the runtime log, which the helper also spies on.
  (helper as unknown as { _logSpy?: { restore(): void } })._logSpy?.restore();
}
