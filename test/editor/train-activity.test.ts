/**
 * The train node reports to the sidebar's activity feed: a run starts with the real epoch count,
 * every epoch adds a point, and the run ends as done with the saved version (or failed with the reason).
 */
import assert from 'assert';
import trainModule from '../../nodes/tinyml-train';
import type { NodeDef } from '../../nodes/red-types';
import { activity } from '../../src/editor/activity-feed';
import { HelperNode } from '../support/node-helper';
import { collect, useNodeRuntime, waitFor } from '../support/node-test-runtime';
import { AXES, RATE, separableWindows } from '../support/train-data';

describe('tinyml-train node → activity feed (sidebar training curves)', function () {
  this.timeout(120_000);
  const { helper } = useNodeRuntime('tinyml-trainfeed-');

  const flow: NodeDef[] = [
    { id: 'tf1', type: 'tinyml-train', model: 'feedtest', wires: [['m'], []] },
    { id: 'm', type: 'helper' },
  ];

  it('publishes start (with the epoch count), one point per epoch, and the saved version', async () => {
    await helper.load(trainModule, flow);
    const t = helper.getNode('tf1') as HelperNode;
    const models = collect<unknown>('m');
    t.receive({ payload: separableWindows(60), rate: RATE, axes: AXES });
    await waitFor(() => models.length === 1, 60_000, 'the model');
    const tr = activity.snapshot().training;
    assert.ok(tr, 'a training run is in the feed');
    assert.strictEqual(tr.model, 'feedtest');
    assert.strictEqual(tr.state, 'done');
    assert.strictEqual(tr.version, 1);
    assert.ok(tr.epochs > 0, `epoch count ${tr.epochs}`);
    assert.ok(tr.points.length > 0 && tr.points.length <= tr.epochs, `${tr.points.length} points of ${tr.epochs}`);
    assert.deepStrictEqual(tr.points.map((p) => p.epoch), tr.points.map((_, i) => tr.points[0].epoch + i), 'one point per epoch, in order');
    assert.ok(tr.points.every((p) => Number.isFinite(p.loss)));
  });

  it('a cancelled run ends as failed with the reason', async () => {
    await helper.load(trainModule, flow);
    const t = helper.getNode('tf1') as HelperNode;
    t.receive({ payload: separableWindows(60), rate: RATE, axes: AXES });
    await waitFor(() => activity.snapshot().training?.model === 'feedtest' && activity.snapshot().training?.state === 'running', 60_000, 'the run to start');
    t.receive({ command: 'cancel' });
    await waitFor(() => activity.snapshot().training?.state === 'failed', 60_000, 'the run to end');
    assert.match(activity.snapshot().training?.message ?? '', /cancel/);
  });
});
