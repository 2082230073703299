/**
 * AVR latency figures are measured, not guessed: fit the cycle coefficients on the emulated
 * ATmega328P (fresh measurement of calibration models), then check that the STORED coefficients
 * (src/boards/calibration.ts) predict held-out models within their stated uncertainty, and that
 * the stored kernel code sizes are the ones avr-gcc produces.
 */
import assert from 'assert';
import { boardCalibration } from '../../src/boards/calibration';
import { COEFFICIENT_NAMES, fitCycleCoefficients, modelFeatures, predictLayerCycles } from '../../src/boards/cost-model';
import { requireTool } from '../support/tools';
import { randomModel } from '../support/int8-models';
import { cnnModel, denseModel } from '../support/tflite-models';
import { measureAvrCycles, measureKernelCodeBytes } from './avr-measure';

describe('AVR cost model calibration (simavr, cycle-accurate)', function () {
  this.timeout(300_000);

  before(function () {
    requireTool('avr-gcc', 'gcc-avr');
  });

  it('fits cycles per operation class on calibration models (prints the figures)', async function () {
    const models = [denseModel(), cnnModel(), ...Array.from({ length: 40 }, (_, i) => randomModel(4000 + i))];
    const measured = await measureAvrCycles(models, 'fit');
    const samples = measured.flatMap((m, j) => modelFeatures(models[j]).map((features, i) => ({ features, cycles: m.layers[i] })));
    const fit = fitCycleCoefficients(samples);
    const errors = measured.map((m, j) => (predictLayerCycles(models[j], fit).reduce((a, b) => a + b, 0) - m.total) / m.total);
    const worst = Math.max(...errors.map(Math.abs));
    const worstModel = models[errors.findIndex((e) => Math.abs(e) === worst)];
    process.stderr.write(`      fitted: ${COEFFICIENT_NAMES.map((k) => `${k}=${fit[k].toFixed(1)}`).join(' ')}; worst model error ${(100 * worst).toFixed(1)}% (${worstModel.name}: ${worstModel.layers.map((l) => l.op).join(',')})\n`);
    assert.ok(fit.macFc > 10 && fit.macFc < 200, `cycles per FC MAC ${fit.macFc}`);
    assert.ok(worst < 0.15, `the fit explains every calibration model within 15% (worst ${(100 * worst).toFixed(1)}%)`);
  });

  it('the stored AVR coefficients predict held-out models within the stated uncertainty', async function () {
    const cal = boardCalibration('uno')!;
    const models = [denseModel(3), cnnModel(5), ...Array.from({ length: 12 }, (_, i) => randomModel(9000 + i, { maxWeights: 3000 }))];
    const measured = await measureAvrCycles(models, 'check');
    const report: string[] = [];
    measured.forEach((m, j) => {
      const predicted = predictLayerCycles(models[j], cal.cycles).reduce((a, b) => a + b, 0);
      const err = (predicted - m.total) / m.total;
      report.push(`${m.model}: measured ${m.total}, predicted ${Math.round(predicted)} (${(100 * err).toFixed(1)}%)`);
      assert.ok(Math.abs(err) <= cal.latencyUncertainty, `${m.model}: predicted ${Math.round(predicted)} cycles, measured ${m.total} (${(100 * err).toFixed(1)}%, stated ±${100 * cal.latencyUncertainty}%)`);
    });
    process.stderr.write(`      ${report.join('\n      ')}\n`);
  });

  it('stores the kernel code sizes avr-gcc -Os produces', function () {
    assert.deepStrictEqual(boardCalibration('uno')!.codeBytes, measureKernelCodeBytes());
  });
});
