/**
 * node-red-node-test-helper, typed for our tests (the package ships no types): a real Node-RED
 * runtime with the pack's node modules loaded. `init` once per file, `startServer` per test.
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
/** Points the helper at the installed Node-RED (once per process). */
export function initHelper(settings: Record<string, unknown> = {}): TestHelper {
  if (!initialised) {
    helper.init(require.resolve('node-red'));
    initialised = true;
  }
  helper.settings(settings);
  return helper;
}
