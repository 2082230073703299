/**
 * Training benchmark: time to train + quantize the dense-on-features model and the 1-D CNN on the
 * gesture recordings (a generated dataset when they are absent), epochs/s, backend, float and int8
 * accuracy, and the main thread's event-loop delay p99 while a worker trains.
 */
import fs from 'fs';
import path from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import type { BenchRow } from './bench-row';
import { sharedDataDirsIfPresent } from '../test/support/shared-data';
import { recordsFromLongCsv } from '../src/dataset/import-long-csv';
import { startTraining } from '../src/train/train-job';
import type { WindowInput, TrainRequest } from '../src/train/train-model';
import { separableWindows, AXES, RATE } from '../test/support/train-data';

function gestureWindows(): { windows: WindowInput[]; axes: string[]; rate: number; note: string } {
  const dir = sharedDataDirsIfPresent()[0];
  if (dir) {
    const text = fs.readFileSync(path.join(dir, 'gestures', 'gestures.csv'), 'utf8');
    const imp = recordsFromLongCsv(text, { label: 'gesture', segment: ['recorder_id', 'rep_id', 'gesture'], axes: ['aX_g', 'aY_g', 'aZ_g', 'gX_dps', 'gY_dps', 'gZ_dps'], rate: 119 });
    return { windows: imp.records.map((r) => ({ data: r.data, label: r.label, group: r.group })), axes: imp.axes, rate: 119, note: 'shared gestures (193 windows, 4 classes), metrics on the validation groups' };
  }
  return { windows: separableWindows(193, 1, 119), axes: AXES, rate: RATE, note: 'GENERATED data (shared recordings absent)' };
}

export async function benchTrain(): Promise<BenchRow[]> {
  const data = gestureWindows();
  const rows: BenchRow[] = [];
  for (const arch of ['dense', 'cnn'] as const) {
    const request: TrainRequest = { name: `bench_${arch}`, windows: data.windows, axes: data.axes, rate: data.rate, arch, seed: 1, backend: 'cpu' };
    const lag = monitorEventLoopDelay({ resolution: 5 });
    const t0 = process.hrtime.bigint();
    lag.enable();
    const { artifact } = await startTraining(request).result;
    lag.disable();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const tr = artifact.training ?? {};
    const epochs = Number(tr.epochsRun ?? 0);
    const note = `${data.note}; backend ${String(tr.backend)}${tr.fastKernels ? ' + fast kernels' : ''}; ${epochs} epochs (early stopping)`;
    rows.push(
      { name: `train ${arch}: train + quantize`, value: seconds, unit: 's', target: { below: arch === 'dense' ? 10 : 60 }, note },
      { name: `train ${arch}: epochs/s`, value: epochs / seconds, unit: 'epochs/s' },
      { name: `train ${arch}: float accuracy`, value: 100 * (artifact.metrics?.float?.accuracy ?? 0), unit: '%' },
      { name: `train ${arch}: int8 accuracy`, value: 100 * (artifact.metrics?.int8?.accuracy ?? 0), unit: '%' },
      { name: `train ${arch}: event-loop delay p99 while training`, value: lag.percentile(99) / 1e6, unit: 'ms', target: { below: 20 } },
    );
  }
  return rows;
}

if (require.main === module) {
  void benchTrain().then((rows) => { for (const r of rows) process.stdout.write(`${r.name}: ${r.value.toFixed(2)} ${r.unit}${r.note ? ` (${r.note})` : ''}\n`); });
}
