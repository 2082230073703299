/**
 * Worker-thread entry: runs trainModel off the main thread and reports by messages
 * ({type:'progress'}, {type:'done'}, {type:'error'}). The cancel flag is a shared Int32 the main
 * thread sets, read between batches (the training loop never yields to the event loop).
 */
import { parentPort, workerData } from 'worker_threads';
import { trainModel, type TrainRequest } from './train-model';

interface WorkerInput {
  request: TrainRequest;
  cancel: SharedArrayBuffer;
}

if (parentPort) {
  const port = parentPort;
  const { request, cancel } = workerData as WorkerInput;
  const flag = new Int32Array(cancel);
  trainModel(request, {
    onProgress: (p) => port.postMessage({ type: 'progress', progress: p }),
    isCancelled: () => Atomics.load(flag, 0) !== 0,
  }).then(
    (result) => port.postMessage({ type: 'done', result }),
    (e: Error) => port.postMessage({ type: 'error', name: e.name, message: e.message, stack: e.stack }),
  );
}
