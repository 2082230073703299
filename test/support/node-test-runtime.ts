/**
 * The Node-RED runtime the node tests run in: `useNodeRuntime` (in a describe block) starts the
 * helper's server before each test with its own userDir and stops it after; `collect`, `calls`
 * and `catchCollector` gather what the nodes under test send, report and throw.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { NodeDef } from '../../nodes/red-types';
import { helper, HelperNode, startServer, stopServer, TestHelper } from './node-helper';

export { waitFor } from './wait-for';

interface RuntimeHooks {
  /** Settings besides userDir (for example tinyml.replayDirs), made from the userDir. */
  settings?: (userDir: string) => Record<string, unknown>;
  /** Runs after the server stopped and before the userDir is removed: checks on what the nodes left behind. */
  afterStop?: (userDir: string) => void | Promise<void>;
}

export type NodeRuntimeOptions = RuntimeHooks & (
  /** A temporary userDir named `prefix…`: a fresh one per test, or one for the describe block's tests ('file'). */
  | { prefix: string; per?: 'test' | 'file' }
  /** A folder the test file makes and removes itself (something else lives there, such as an emulator's link). */
  | { userDir: () => string }
);

export interface NodeRuntime {
  /** The shared node-red-node-test-helper. */
  readonly helper: TestHelper;
  /** The running server's userDir. */
  readonly userDir: string;
}

/**
 * Installs the hooks that run each test of the describe block in a fresh Node-RED server:
 * settings (userDir first) before each test, never at module load, since the helper is shared
 * by every test file; flows unloaded and the server stopped after each. A string is the prefix.
 */
export function useNodeRuntime(options: string | NodeRuntimeOptions): NodeRuntime {
  const opts: NodeRuntimeOptions = typeof options === 'string' ? { prefix: options } : options;
  const temp = 'prefix' in opts ? { prefix: opts.prefix, perFile: opts.per === 'file' } : null;
  const given = 'userDir' in opts ? opts.userDir : null;
  let userDir = '';
  const make = (prefix: string): void => { userDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix)); };
  const remove = (): void => {
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
    userDir = '';
  };

  if (temp?.perFile) {
    before(() => make(temp.prefix));
    after(remove);
  }
  beforeEach(async () => {
    if (given) userDir = given();
    else if (temp && !temp.perFile) make(temp.prefix);
    await startServer({ ...opts.settings?.(userDir), userDir });
  });
  afterEach(async () => {
    try {
      await stopServer();
      await opts.afterStop?.(userDir);
    } finally {
      if (temp && !temp.perFile) remove();
    }
  });

  return {
    helper,
    get userDir(): string {
      if (!userDir) throw new Error('useNodeRuntime: the userDir exists only inside its hooks and tests');
      return userDir;
    },
  };
}

function nodeById(node: HelperNode | string): HelperNode {
  if (typeof node !== 'string') return node;
  const found = helper.getNode(node);
  if (!found) throw new Error(`no node '${node}' in the loaded flow`);
  return found;
}

/** The messages a helper node (or its id) receives from now on, in a list that grows as they come. */
export function collect<T = Record<string, unknown>>(node: HelperNode | string): T[] {
  const msgs: T[] = [];
  nodeById(node).on('input', ((msg: T) => { msgs.push(msg); }) as (arg: never) => void);
  return msgs;
}

/** The first argument of every call of `node.<method>` (status, error, warn…) from now on, through the helper's spies. */
export function calls<T>(node: HelperNode | string, method: string): T[] {
  const list: T[] = [];
  nodeById(node).on(`call:${method}`, ((call: { args: [T] }) => { list.push(call.args[0]); }) as (arg: never) => void);
  return list;
}

/** What a Catch node sends: the message that failed, with the error and the node that reported it. */
export interface Caught {
  payload?: unknown;
  error: { message: string; source: { id: string; type: string } };
}

/**
 * Node-RED's Catch node for the nodes `scope` (null: every node on its tab), wired to a helper
 * node `to`: add these to the flow, then `collect<Caught>(to)` after the load.
 */
export function catchCollector(scope: string[] | null, to = 'caught'): NodeDef[] {
  return [
    { id: `catch-${to}`, type: 'catch', scope, uncaught: false, wires: [[to]] },
    { id: to, type: 'helper' },
  ];
}
