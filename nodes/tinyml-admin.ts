/**
 * Admin endpoints behind the editor's TinyML sidebar, all read-only and guarded by the
 * `tinyml.read` permission:
 *   GET /tinyml/editor/datasets           datasets with counts per label
 *   GET /tinyml/editor/datasets/:name     a few recorded windows per label (?perLabel=3&maxSamples=120)
 *   GET /tinyml/editor/models             model store: versions, float/int8 metrics, per-board cost
 *   GET /tinyml/editor/activity           training progress and the last deploy (the activity feed)
 * Changes of the activity feed are also pushed to open editors on the comms topic `tinyml/activity`.
 */
import { activity, type ActivitySnapshot } from '../src/editor/activity-feed';
import { datasetOverviews, datasetPreview } from '../src/editor/dataset-summary';
import { modelViews } from '../src/editor/model-summary';
import { packDirs, type PackDirs } from './pack-dirs';
import type { ExpressLikeResponse, NodeAPI } from './red-types';

export const READ_PERMISSION = 'tinyml.read';
export const ACTIVITY_TOPIC = 'tinyml/activity';
/** Pushes to the editor at most this often; the last change always goes out. */
const PUSH_INTERVAL_MS = 250;

export interface AdminAPI extends NodeAPI {
  comms?: { publish(topic: string, data: unknown, retain?: boolean): void };
}

function intParam(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function fail(res: ExpressLikeResponse, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  res.status(/does not exist|invalid dataset name/.test(message) ? 404 : 500).json({ error: message });
}

/** Registers the endpoints and the comms push; returns a function that stops the push (tests). */
export function registerAdminEndpoints(RED: AdminAPI): () => void {
  const guard = RED.auth.needsPermission(READ_PERMISSION);
  const dirs = (): PackDirs => packDirs(RED.settings);

  RED.httpAdmin.get('/tinyml/editor/datasets', guard, (_req, res) => {
    datasetOverviews(dirs().datasets).then((list) => res.json(list), (e: unknown) => fail(res, e));
  });
  RED.httpAdmin.get('/tinyml/editor/datasets/:name', guard, (req, res) => {
    const opts = { perLabel: intParam(req.query.perLabel, 3), maxSamples: intParam(req.query.maxSamples, 120) };
    datasetPreview(dirs().datasets, req.params.name ?? '', opts).then((p) => res.json(p), (e: unknown) => fail(res, e));
  });
  RED.httpAdmin.get('/tinyml/editor/models', guard, (_req, res) => {
    modelViews(dirs().models).then((list) => res.json(list), (e: unknown) => fail(res, e));
  });
  RED.httpAdmin.get('/tinyml/editor/activity', guard, (_req, res) => {
    res.json(activity.snapshot());
  });

  const comms = RED.comms;
  if (!comms) return () => undefined;
  let timer: NodeJS.Timeout | null = null;
  let pending: ActivitySnapshot | null = null;
  const unsubscribe = activity.subscribe((s) => {
    pending = s;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (pending) comms.publish(ACTIVITY_TOPIC, pending, false);
      pending = null;
    }, PUSH_INTERVAL_MS);
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
