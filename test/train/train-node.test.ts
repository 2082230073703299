import assert from 'assert';
import fs from 'fs';
import path from 'path';
import trainModule from '../../nodes/tinyml-train';
import type { NodeDef, NodeStatus } from '../../nodes/red-types';
import { validateArtifact } from '../../src/model/artifact';
import { HelperNode } from '../support/node-helper';
import { calls, collect, useNodeRuntime, waitFor } from '../support/node-test-runtime';
import { AXES, RATE, separableWindows } from '../support/train-data';

describe('tinyml-train node (Node-RED runtime)', function () {
  this.timeout(120_000);
  const runtime = useNodeRuntime('tinyml-trainnode-');
  const { helper } = runtime;

  const flow = (cfg: Record<string, unknown> = {}): NodeDef[] => [
    { id: 't1', type: 'tinyml-train', model: 'gest', wires: [['model'], ['progress']], ...cfg },
    { id: 'model', type: 'helper' },
    { id: 'progress', type: 'helper' },
  ];

  it('trains on windows sent in, saves version 1 then 2, sends the model and progress, shows epochs in the status', async () => {
    await helper.load(trainModule, flow({ epochs: 5 }));
    const t = helper.getNode('t1') as HelperNode;
    const statuses = calls<NodeStatus>(t, 'status');
    const models = collect('model');
    const progress = collect('progress');
    const windows = separableWindows(60);
    t.receive({ payload: windows, axes: AXES, rate: RATE });
    await waitFor(() => models.length === 1, 60_000, 'the model message');
    const m = models[0];
    const artifact = validateArtifact(JSON.parse(JSON.stringify(m.payload)));
    assert.deepStrictEqual(artifact.labels, ['a', 'b', 'c']);
    assert.deepStrictEqual((m.model as { version: number }).version, 1);
    assert.ok(fs.existsSync(path.join(runtime.userDir, 'tinyml', 'models', 'gest@1.json')));
    assert.ok(progress.some((p) => (p.payload as { epoch?: number }).epoch === 5));
    assert.ok(statuses.some((s) => /^epoch \d+\/5 · loss \d+\.\d\d · acc \d\.\d\d$/.test(s.text ?? '')), JSON.stringify(statuses.map((s) => s.text)));
    t.receive({ payload: windows, axes: AXES, rate: RATE });
    await waitFor(() => models.length === 2, 60_000, 'the second model');
    assert.strictEqual((models[1].model as { version: number }).version, 2);
  });

  it('msg.command = "cancel" stops the training; the status says so and no model is sent', async () => {
    await helper.load(trainModule, flow({ epochs: 500 }));
    const t = helper.getNode('t1') as HelperNode;
    const statuses = calls<NodeStatus>(t, 'status');
    const errors = calls<unknown>(t, 'error');
    const models = collect('model');
    const progress = collect('progress');
    t.receive({ payload: separableWindows(150), axes: AXES, rate: RATE });
    await waitFor(() => progress.some((p) => (p.payload as { epoch?: number }).epoch === 1), 60_000, 'the first epoch');
    t.receive({ command: 'cancel' });
    await waitFor(() => statuses.some((s) => s.text === 'cancelled'), 60_000, 'the cancelled status');
    assert.strictEqual(models.length, 0);
    assert.strictEqual(errors.length, 0);
  });

  it('a crashed worker becomes a node error; the runtime goes on and trains again', async () => {
    // A real fault: the worker's heap limit (8 MB) is far below what these windows need.
    await helper.load(trainModule, flow({ maxMemoryMb: 8 }));
    const t = helper.getNode('t1') as HelperNode;
    const errors = calls<unknown>(t, 'error');
    t.receive({ payload: separableWindows(3000, 1, 512), axes: AXES, rate: RATE });
    await waitFor(() => errors.length === 1, 60_000, 'the node error');
    assert.match(String(errors[0]), /memory|crashed|stopped/);
    await helper.unload();
    await helper.load(trainModule, flow({ epochs: 2 }));
    const models = collect('model');
    (helper.getNode('t1') as HelperNode).receive({ payload: separableWindows(30), axes: AXES, rate: RATE });
    await waitFor(() => models.length === 1, 60_000, 'a model after the crash');
  });

  it('with neither dataset nor windows, the error says what to do', async () => {
    await helper.load(trainModule, flow({ model: '' }));
    const t = helper.getNode('t1') as HelperNode;
    const errors = calls<unknown>(t, 'error');
    t.receive({ payload: 'go' });
    await waitFor(() => errors.length === 1, 60_000, 'the error');
    assert.match(String(errors[0]), /nothing to train on/);
  });
});
