/**
 * Training as a job in a worker thread: the main thread (Node-RED's event loop) stays
 * responsive, progress arrives as messages, cancel is immediate, and a crash of the worker
 * (out of memory, a native fault, an uncaught exception) becomes a rejected promise, never the
 * end of the main process.
 */
import path from 'path';
import { Worker } from 'worker_threads';
import type { TrainProgress, TrainRequest, TrainResult } from './train-model';

export class TrainJobError extends Error {
  constructor(message: string, readonly cancelled = false) {
    super(message);
    this.name = cancelled ? 'TrainingCancelled' : 'TrainJobError';
  }
}

export interface TrainJobOptions {
  onProgress?: (p: TrainProgress) => void;
  /** Heap limit of the worker in MB (small boards: keep training from starving Node-RED). */
  maxMemoryMb?: number;
}

export interface TrainJob {
  result: Promise<TrainResult>;
  cancel(): void;
  readonly threadId: number;
}

type WorkerMessage =
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'done'; result: TrainResult }
  | { type: 'error'; name: string; message: string };

export function startTraining(request: TrainRequest, options: TrainJobOptions = {}): TrainJob {
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const worker = new Worker(path.join(__dirname, 'train-worker.js'), {
    workerData: { request, cancel },
    ...(options.maxMemoryMb ? { resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb } } : {}),
  });
  let cancelTimer: NodeJS.Timeout | null = null;
  const result = new Promise<TrainResult>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      if (cancelTimer) clearTimeout(cancelTimer);
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') options.onProgress?.(m.progress);
      else if (m.type === 'done') finish(() => resolve(m.result));
      else finish(() => reject(new TrainJobError(m.message, m.name === 'TrainingCancelled')));
    });
    worker.on('error', (e: Error) => {
      const oom = (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      finish(() => reject(new TrainJobError(oom ? `training ran out of memory${options.maxMemoryMb ? ` (limit ${options.maxMemoryMb} MB)` : ''}: use fewer or shorter windows, or raise the limit` : `training crashed: ${e.message}`)));
    });
    worker.on('exit', (code) => {
      finish(() => reject(Atomics.load(flag, 0) ? new TrainJobError('training was cancelled', true) : new TrainJobError(`training stopped unexpectedly (worker exit code ${code})`)));
    });
  });
  return {
    result,
    threadId: worker.threadId,
    cancel(): void {
      Atomics.store(flag, 0, 1);
      // A worker stuck outside the batch loop (loading, quantizing) is stopped after 2 s.
      cancelTimer ??= setTimeout(() => void worker.terminate(), 2000);
    },
  };
}
