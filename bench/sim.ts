/**
 * Simulated MCU figures: inferences per second of the TypeScript simulator (dense 33-20-10-4 and
 * a 1-D CNN over 50x3), and predicted vs measured (simavr) ATmega328P latency of both models.
 */
import { BenchRow } from './bench-row';
import { estimateCost } from '../src/boards/cost-model';
import { McuSimulator } from '../src/mcu/simulate';
import { Artifact, elements } from '../src/model/artifact';
import { cnnModel, denseModel } from '../test/support/tflite-models';
import { measureAvrCycles } from '../test/sim/avr-measure';

function perSecond(fn: () => void, ms = 1000): number {
  let n = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  return (n * 1000) / elapsed;
}

function simRate(m: Artifact): number {
  const sim = new McuSimulator(m, 'nano33ble');
  const x = Array.from({ length: elements(m.input.shape) }, (_, i) => Math.sin(i));
  return perSecond(() => sim.run(x));
}

export async function benchSim(): Promise<BenchRow[]> {
  const dense = denseModel();
  const cnn = cnnModel();
  const rows: BenchRow[] = [
    { name: 'simulated MCU, dense 33-20-10-4', value: Math.round(simRate(dense)), unit: 'inferences/s' },
    { name: 'simulated MCU, 1-D CNN 50x3 (conv8, dw, pools, fc16, fc4)', value: Math.round(simRate(cnn)), unit: 'inferences/s' },
  ];
  const measured = await measureAvrCycles([dense, cnn], 'bench');
  for (const [i, m] of [dense, cnn].entries()) {
    const predicted = estimateCost(m, 'uno').latencyMs.value;
    const actual = (measured[i].total / 16_000_000) * 1000;
    rows.push({ name: `ATmega328P latency ${m.name}: predicted (baseline = measured on simavr)`, value: Number(predicted.toFixed(2)), unit: 'ms', baseline: Number(actual.toFixed(2)), note: `${(100 * (predicted - actual) / actual).toFixed(1)}% error, stated ±15%` });
  }
  return rows;
}
