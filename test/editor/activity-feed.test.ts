import assert from 'assert';
import { ActivityFeed, MAX_LOG_LINES, MAX_POINTS, type ActivitySnapshot } from '../../src/editor/activity-feed';

describe('editor activity feed (training progress, last deploy)', function () {
  it('records a training run epoch by epoch and its end, with a sequence number that moves on every change', function () {
    let now = 1000;
    const feed = new ActivityFeed(() => now);
    assert.deepStrictEqual(feed.snapshot(), { seq: 0, training: null, deploy: null });
    feed.trainingStarted({ run: 'r1', model: 'gestures', epochs: 3, dataset: 'g' });
    feed.trainingEpoch('r1', { epoch: 1, loss: 1.2, accuracy: 0.4, valLoss: 1.3, valAccuracy: 0.35 });
    feed.trainingEpoch('r1', { epoch: 2, loss: 0.7, accuracy: Number.NaN });
    now = 5000;
    feed.trainingFinished('r1', { ok: true, version: 4, message: 'gestures@4.json' });
    const s = feed.snapshot();
    assert.strictEqual(s.seq, 4);
    assert.deepStrictEqual(s.training, {
      run: 'r1', model: 'gestures', dataset: 'g', epochs: 3, state: 'done', started: 1000, finished: 5000, version: 4, message: 'gestures@4.json',
      points: [{ epoch: 1, loss: 1.2, accuracy: 0.4, valLoss: 1.3, valAccuracy: 0.35 }, { epoch: 2, loss: 0.7 }],
    });
  });

  it('ignores updates for a run that is not the current one, and points without a finite loss', function () {
    const feed = new ActivityFeed();
    feed.trainingStarted({ run: 'old', model: 'm', epochs: 5 });
    feed.trainingStarted({ run: 'new', model: 'm', epochs: 5 });
    feed.trainingEpoch('old', { epoch: 1, loss: 9 });
    feed.trainingFinished('old', { ok: false, message: 'stale' });
    feed.trainingEpoch('new', { epoch: 1, loss: Number.POSITIVE_INFINITY });
    const t = feed.snapshot().training;
    assert.strictEqual(t?.run, 'new');
    assert.strictEqual(t?.state, 'running');
    assert.deepStrictEqual(t?.points, []);
    feed.deployStage('nobody', { name: 'compile', state: 'running' });
    assert.strictEqual(feed.snapshot().deploy, null);
  });

  it('keeps a long run bounded: the first and the latest epochs stay', function () {
    const feed = new ActivityFeed();
    feed.trainingStarted({ run: 'r', model: 'm', epochs: 5000 });
    for (let e = 1; e <= 5000; e++) feed.trainingEpoch('r', { epoch: e, loss: 1 / e });
    const pts = feed.snapshot().training?.points ?? [];
    assert.ok(pts.length <= MAX_POINTS && pts.length >= MAX_POINTS / 2, `${pts.length} points`);
    assert.strictEqual(pts[0].epoch, 1);
    assert.strictEqual(pts[pts.length - 1].epoch, 5000);
    for (let i = 1; i < pts.length; i++) assert.ok(pts[i].epoch > pts[i - 1].epoch);
  });

  it('records deploy stages in order, replaces a stage by name, and keeps only the latest log lines', function () {
    const feed = new ActivityFeed(() => 7);
    feed.deployStarted({ run: 'd', model: 'gestures@2', board: 'uno', port: '/dev/ttyACM0', stages: ['generate', 'compile', 'upload'] });
    feed.deployStage('d', { name: 'generate', state: 'done' });
    feed.deployStage('d', { name: 'compile', state: 'failed', detail: 'sketch.ino:3: error' });
    feed.deployStage('d', { name: 'size gate', state: 'skipped' });
    for (let i = 0; i < MAX_LOG_LINES; i++) feed.deployLog('d', `line ${i}\nmore ${i}\n`);
    feed.deployFinished('d', { ok: false, message: 'compile failed' });
    const d = feed.snapshot().deploy;
    assert.deepStrictEqual(d?.stages.map((s) => [s.name, s.state]), [['generate', 'done'], ['compile', 'failed'], ['upload', 'pending'], ['size gate', 'skipped']]);
    assert.strictEqual(d?.stages[1].detail, 'sketch.ino:3: error');
    assert.strictEqual(d?.log.length, MAX_LOG_LINES);
    assert.strictEqual(d?.log[d.log.length - 1], `more ${MAX_LOG_LINES - 1}`);
    assert.strictEqual(d?.state, 'failed');
  });

  it('gives subscribers deep copies, and a throwing subscriber does not stop the publisher or the others', function () {
    const feed = new ActivityFeed();
    const seen: ActivitySnapshot[] = [];
    feed.subscribe(() => { throw new Error('broken listener'); });
    const off = feed.subscribe((s) => seen.push(s));
    feed.deployStarted({ run: 'd', model: 'm', board: 'uno' });
    feed.deployLog('d', 'hello');
    off();
    feed.deployLog('d', 'after');
    assert.deepStrictEqual(seen.map((s) => s.deploy?.log), [[], ['hello']]);
    seen[1].deploy?.log.push('mutated');
    assert.deepStrictEqual(feed.snapshot().deploy?.log, ['hello', 'after']);
  });
});
