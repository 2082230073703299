import assert from 'assert';
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import type { AddressInfo } from 'net';
import { DatasetStore } from '../../src/dataset/store';
import { activity } from '../../src/editor/activity-feed';
import { registerAdminEndpoints, READ_PERMISSION, type AdminAPI } from '../../nodes/tinyml-admin';
import type { Handler } from '../../nodes/red-types';
import { classifierArtifact, writeModel } from './sample-model';

interface ExpressApp { get(path: string, ...handlers: Handler[]): void; listen(port: number, host: string): http.Server }
// Express as Node-RED itself ships it (the admin app is an Express app).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const express = require(require.resolve('express', { paths: [path.dirname(require.resolve('node-red'))] })) as () => ExpressApp;

describe('TinyML admin endpoints (the sidebar\'s data)', function () {
  let server: http.Server;
  let base: string;
  let stopPush: () => void;
  const permissions: string[] = [];
  const published: Array<{ topic: string; data: unknown }> = [];

  before(async function () {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-admin-'));
    const s = await DatasetStore.open(path.join(userDir, 'tinyml', 'datasets'), 'fan');
    await s.append({ kind: 'window', label: 'on', time: 0, axes: ['x'], rate: 50, data: Array.from({ length: 20 }, (_, i) => [i]) });
    await s.close();
    writeModel(path.join(userDir, 'tinyml', 'models'), 'fan@1.json', classifierArtifact('fan', ['off', 'on']));
    const app = express();
    // Node-RED's guard is replaced by one that refuses requests without a token, so that the test
    // sees which permission each route asks for and that no route is left unguarded.
    const needsPermission = (p: string): Handler => (req, res, next) => {
      permissions.push(p);
      if (req.headers.authorization !== 'Bearer ok') res.status(401).json({ error: 'unauthorized' });
      else next?.();
    };
    const RED = {
      httpAdmin: app, auth: { needsPermission }, settings: { userDir },
      comms: { publish: (topic: string, data: unknown) => published.push({ topic, data }) },
    } as unknown as AdminAPI;
    stopPush = registerAdminEndpoints(RED);
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(function () {
    stopPush();
    server.close();
  });

  const get = (p: string, auth = true): Promise<Response> => fetch(base + p, { headers: auth ? { authorization: 'Bearer ok' } : {} });

  it('asks for tinyml.read on every route and refuses without it', async function () {
    for (const p of ['/tinyml/editor/datasets', '/tinyml/editor/datasets/fan', '/tinyml/editor/models', '/tinyml/editor/activity']) {
      assert.strictEqual((await get(p, false)).status, 401, p);
    }
    assert.ok(permissions.length >= 4 && permissions.every((p) => p === READ_PERMISSION));
  });

  it('serves datasets, a dataset preview, models and the activity feed', async function () {
    assert.deepStrictEqual(await (await get('/tinyml/editor/datasets')).json(), [{ name: 'fan', records: 1, counts: { on: 1 } }]);
    const preview = await (await get('/tinyml/editor/datasets/fan?perLabel=1&maxSamples=10')).json() as { labels: Array<{ windows: Array<{ data: number[][] }> }> };
    assert.deepStrictEqual(preview.labels[0].windows[0].data, Array.from({ length: 10 }, (_, i) => [2 * i]));
    const missing = await get('/tinyml/editor/datasets/nope');
    assert.strictEqual(missing.status, 404);
    assert.match(((await missing.json()) as { error: string }).error, /dataset "nope" does not exist/);
    const models = await (await get('/tinyml/editor/models')).json() as Array<{ name: string; versions: Array<{ version: number; labels: string[] }> }>;
    assert.deepStrictEqual(models.map((m) => [m.name, m.versions[0].version, m.versions[0].labels]), [['fan', 1, ['off', 'on']]]);
    activity.trainingStarted({ run: 'admin-test', model: 'fan', epochs: 2 });
    activity.trainingEpoch('admin-test', { epoch: 1, loss: 0.5 });
    const a = await (await get('/tinyml/editor/activity')).json() as { training: { run: string; points: unknown[] } };
    assert.strictEqual(a.training.run, 'admin-test');
    assert.strictEqual(a.training.points.length, 1);
  });

  it('pushes feed changes to the editor on tinyml/activity, coalesced', async function () {
    published.length = 0;
    for (let e = 2; e <= 20; e++) activity.trainingEpoch('admin-test', { epoch: e, loss: 1 / e });
    await new Promise((r) => setTimeout(r, 400));
    assert.strictEqual(published.length, 1);
    assert.strictEqual(published[0].topic, 'tinyml/activity');
    assert.strictEqual((published[0].data as { training: { points: unknown[] } }).training.points.length, 20);
  });
});
