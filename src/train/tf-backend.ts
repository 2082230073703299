/**
 * Chooses the TensorFlow.js backend for training: `@tensorflow/tfjs-node` (native) when it is
 * installed and loads, else the pure-JS CPU backend, which always works. On the CPU backend the
 * project's faster gradient kernels (src/train/kernels, when present) replace the stock ones,
 * whose Conv1D gradients index element by element (see docs/training.md).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's CommonJS build has no gradients; tfjs-layers' build registers them all in the shared core.
import '@tensorflow/tfjs-layers';
import path from 'path';

export type Tf = typeof tf;

export interface TfBackend {
  tf: Tf;
  /** 'tensorflow' (tfjs-node) or 'cpu' (pure JS). */
  name: string;
  /** The faster CPU gradient kernels were registered. */
  fastKernels: boolean;
  /** Why the native backend is not used, when it is not. */
  note: string;
}

let chosen: TfBackend | null = null;

/** A require that TypeScript does not resolve at compile time (optional modules). */
function optionalRequire(id: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(id);
}

async function tryNative(): Promise<string | null> {
  try {
    optionalRequire('@tensorflow/tfjs-node');
    if (await tf.setBackend('tensorflow')) return null;
    return 'tfjs-node loaded but its backend did not initialise';
  } catch (e) {
    return `@tensorflow/tfjs-node is not installed (${(e as Error).message.split('\n')[0]})`;
  }
}

function registerFastKernels(): boolean {
  try {
    const mod = optionalRequire(path.join(__dirname, 'kernels', 'index')) as { registerFastKernels?: () => void };
    if (typeof mod.registerFastKernels !== 'function') return false;
    mod.registerFastKernels();
    return true;
  } catch {
    return false;
  }
}

/**
 * Initialises the backend once per process (or worker). `prefer: 'cpu'` skips tfjs-node, for
 * determinism checks across machines and for tests of the fallback path.
 */
export async function initBackend(prefer: 'auto' | 'cpu' = 'auto'): Promise<TfBackend> {
  if (chosen && (prefer === 'auto' || chosen.name === 'cpu')) return chosen;
  let note = 'pure-JS CPU backend requested';
  if (prefer === 'auto') {
    const problem = await tryNative();
    if (problem === null) {
      chosen = { tf, name: 'tensorflow', fastKernels: false, note: 'native TensorFlow (tfjs-node)' };
      return chosen;
    }
    note = problem;
  }
  // PROD silences the CPU backend's "install tfjs-node" banner; we say which backend trained in the model.
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  await tf.ready();
  const fastKernels = registerFastKernels();
  chosen = { tf, name: 'cpu', fastKernels, note };
  return chosen;
}
