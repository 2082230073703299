import assert from 'assert';
import { monitorEventLoopDelay } from 'perf_hooks';
import { startTraining, TrainJobError } from '../../src/train/train-job';
import type { TrainProgress } from '../../src/train/train-model';
import { AXES, RATE, separableWindows } from '../support/train-data';

describe('training in a worker thread', function () {
  this.timeout(120_000);

  it('reports progress per epoch and returns the artifact; the main event loop stays responsive', async () => {
    const progress: TrainProgress[] = [];
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    const job = startTraining({ name: 'w', windows: separableWindows(150), axes: AXES, rate: RATE, arch: 'cnn', epochs: 8, patience: 100, backend: 'cpu' }, { onProgress: (p) => progress.push(p) });
    const { artifact } = await job.result;
    lag.disable();
    const epochs = progress.filter((p) => p.phase === 'training' && p.epoch !== undefined);
    assert.deepStrictEqual(epochs.map((p) => p.epoch), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(epochs.every((p) => typeof p.loss === 'number' && typeof p.accuracy === 'number'));
    assert.strictEqual(artifact.name, 'w');
    const p99 = lag.percentile(99) / 1e6;
    // Training on the main thread would block it for seconds; in the worker it stays in milliseconds.
    assert.ok(p99 < 100, `event loop delay p99 ${p99.toFixed(1)} ms while the worker trained`);
  });

  it('cancel stops the worker and rejects with a cancellation', async () => {
    let cancelled = false;
    const job = startTraining({ name: 'c', windows: separableWindows(150), axes: AXES, rate: RATE, epochs: 500, patience: 1000, backend: 'cpu' }, {
      onProgress: (p) => {
        if (p.epoch === 2 && !cancelled) { cancelled = true; job.cancel(); }
      },
    });
    await assert.rejects(job.result, (e: Error) => e instanceof TrainJobError && e.cancelled && /cancelled/.test(e.message));
  });

  it('a worker that runs out of memory becomes an error; the main process goes on', async () => {
    // A real fault, not a mock: the worker's heap limit is far below what the windows need.
    const big = separableWindows(3000, 1, 512);
    const job = startTraining({ name: 'oom', windows: big, axes: AXES, rate: RATE, backend: 'cpu' }, { maxMemoryMb: 8 });
    await assert.rejects(job.result, (e: Error) => e instanceof TrainJobError && /memory|crashed|stopped/.test(e.message));
    // Still alive and able to train.
    const again = startTraining({ name: 'ok', windows: separableWindows(30), axes: AXES, rate: RATE, epochs: 2, backend: 'cpu' });
    assert.strictEqual((await again.result).artifact.name, 'ok');
  });

  it('a bad request becomes an error message from the worker', async () => {
    const job = startTraining({ name: 'bad name!', windows: separableWindows(30), axes: AXES, rate: RATE, backend: 'cpu' });
    await assert.rejects(job.result, /model name "bad name!"/);
  });
});
