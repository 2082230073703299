import assert from 'assert';
import featuresModule from '../../nodes/tinyml-features';
import type { NodeDef, NodeStatus } from '../../nodes/red-types';
import { computeFeatures, planFeatures } from '../../src/dsp/feature-pipeline';
import { HelperNode } from '../support/node-helper';
import { calls, collect, useNodeRuntime } from '../support/node-test-runtime';

interface FeatureMsg {
  payload: number[];
  features: string[];
  label?: string;
  topic?: string;
  featureConfig?: unknown;
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function windowOf(n: number, rate: number): number[][] {
  return Array.from({ length: n }, (_, t) => [Math.sin((2 * Math.PI * 5 * t) / rate), 1 + 0.1 * Math.cos((2 * Math.PI * 12 * t) / rate)]);
}

describe('tinyml-features node (Node-RED runtime)', () => {
  const { helper } = useNodeRuntime('tinyml-features-');

  const flow = (cfg: Record<string, unknown>): NodeDef[] => [
    { id: 'f1', type: 'tinyml-features', wires: [['out']], ...cfg },
    { id: 'out', type: 'helper' },
  ];

  it('emits the engine feature vector with names and keeps the other message properties', async () => {
    await helper.load(featuresModule, flow({ stats: true, statList: 'mean,rms', spectral: true, fftLength: 32, bands: '0,10,25,50', filterType: 'lowpass', filterCutoff: 30, filterOrder: 2 }));
    const f = helper.getNode('f1') as HelperNode;
    const msgs = collect<FeatureMsg>('out');
    const w = windowOf(100, 100);
    f.receive({ payload: w, axes: ['ax', 'ay'], rate: 100, label: 'wave', topic: 't' });
    await tick();
    assert.strictEqual(msgs.length, 1);
    assert.deepStrictEqual(msgs[0].features, ['ax.mean', 'ax.rms', 'ay.mean', 'ay.rms', 'ax.band_0_10hz', 'ax.band_10_25hz', 'ax.band_25_50hz', 'ay.band_0_10hz', 'ay.band_10_25hz', 'ay.band_25_50hz']);
    const config = { filter: { type: 'lowpass' as const, cutoffHz: 30, order: 2 }, stats: { features: ['mean' as const, 'rms' as const] }, spectral: { fftLength: 32, overlap: 0.5, window: 'hann-periodic' as const, bands: [0, 10, 25, 50] } };
    assert.deepStrictEqual(msgs[0].payload, computeFeatures(planFeatures(config, { windowLength: 100, axes: ['ax', 'ay'], rate: 100 }), w));
    assert.strictEqual(msgs[0].label, 'wave');
    assert.strictEqual(msgs[0].topic, 't');
    assert.deepStrictEqual(msgs[0].featureConfig, config);
  });

  it('reports a setting that does not suit the window through done(err) and a red status', async () => {
    // a band above half the window's sample rate (an FFT longer than the window is fine: it zero-pads)
    await helper.load(featuresModule, flow({ stats: false, spectral: true, fftLength: 64, bands: '0,10,80' }));
    const f = helper.getNode('f1') as HelperNode;
    const statuses = calls<NodeStatus>(f, 'status');
    const errors: string[] = [];
    f.on('call:error', ((call: { args: [Error | string] }) => { errors.push(String(call.args[0])); }) as (arg: never) => void);
    f.receive({ payload: windowOf(100, 100), axes: ['ax', 'ay'], rate: 100 });
    await tick();
    assert.ok(errors.some((e) => /band 10–80 Hz is not/.test(e) && /half the sample rate/.test(e)), errors.join('\n'));
    assert.strictEqual(statuses[statuses.length - 1].fill, 'red');
  });

  it('refuses a message that is not a window, or has no rate, naming what is missing', async () => {
    await helper.load(featuresModule, flow({ stats: true }));
    const f = helper.getNode('f1') as HelperNode;
    const errors: string[] = [];
    f.on('call:error', ((call: { args: [Error | string] }) => { errors.push(String(call.args[0])); }) as (arg: never) => void);
    f.receive({ payload: [1, 2, 3], rate: 100 });
    f.receive({ payload: windowOf(10, 100) });
    await tick();
    assert.match(errors[0], /msg.payload must be a window/);
    assert.match(errors[1], /msg.rate/);
  });
});
