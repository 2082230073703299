/**
 * Fast replacements for the pure-JS CPU backend's training kernels that a Conv1D model needs (the stock ones index
 * element by element: seconds per epoch). Each falls back to the stock kernel for what it does not support.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { addConfig } from './add';
import { conv2DConfig } from './conv2d';
import { gatherV2Config } from './gather-v2';
import { sumConfig } from './sum';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { maxPoolGradConfig } from './max-pool-grad';

const BACKEND = 'cpu';

/** Each replaced kernel's name and how to build its fast config around the stock one. */
const REPLACEMENTS: ReadonlyArray<{ name: string; build: (stock: KernelConfig) => KernelConfig }> = [
  { name: tf.Conv2D, build: conv2DConfig },
  { name: tf.Conv2DBackpropFilter, build: conv2DBackpropFilterConfig },
  { name: tf.MaxPoolGrad, build: maxPoolGradConfig },
  { name: tf.Add, build: addConfig },
  { name: tf.Sum, build: sumConfig },
  { name: tf.GatherV2, build: gatherV2Config },
];

/** The stock configs, captured before the first replacement; fast configs installed, by kernel name. */
const stockConfigs = new Map<string, KernelConfig>();
const fastConfigs = new Map<string, KernelConfig>();

function install(config: KernelConfig): void {
  if (tf.getKernel(config.kernelName, BACKEND) !== undefined) tf.unregisterKernel(config.kernelName, BACKEND);
  tf.registerKernel(config);
}

/** Names of the kernels `registerFastKernels` replaces on the 'cpu' backend. */
export function fastKernelNames(): string[] {
  return REPLACEMENTS.map((r) => r.name);
}

/**
 * Replaces the 'cpu' backend's Conv2D, Conv2DBackpropFilter, MaxPoolGrad, and (for the shapes a Conv1D training step
 * uses) Add, Sum and GatherV2 with the fast ones. Idempotent; affects every
 * model in this JS realm (the kernel registry is global), so call it in the thread that trains.
 */
export function registerFastKernels(): void {
  for (const { name, build } of REPLACEMENTS) {
    const current = tf.getKernel(name, BACKEND);
    const fast = fastConfigs.get(name);
    if (fast !== undefined && current === fast) continue;
    if (!stockConfigs.has(name)) {
      if (current === undefined) throw new Error(`registerFastKernels: the '${BACKEND}' backend has no ${name} kernel to replace: is @tensorflow/tfjs-backend-cpu ${tf.version_core} installed?`);
      stockConfigs.set(name, current);
    }
    const config = fast ?? build(stockConfigs.get(name) as KernelConfig);
    fastConfigs.set(name, config);
    install(config);
  }
}

/** Puts the stock kernels back (for tests comparing both); a no-op when the fast ones were never registered. */
export function restoreStockKernels(): void {
  for (const [name, stock] of stockConfigs) {
    if (tf.getKernel(name, BACKEND) !== stock) install(stock);
  }
}

/** True when every fast kernel is the one registered now. */
export function fastKernelsRegistered(): boolean {
  return REPLACEMENTS.every((r) => fastConfigs.has(r.name) && tf.getKernel(r.name, BACKEND) === fastConfigs.get(r.name));
}
