/**
 * What the editor's TinyML sidebar shows of the trained models: every artifact in the model store
 * (`<userDir>/tinyml/models/<name>@<version>.json`, or `<name>.json` for an unversioned file),
 * grouped by name, newest version first, with float and int8 metrics and per-board RAM, flash and
 * latency against the board's limits.
 */
import fs from 'fs';
import path from 'path';
import { parseArtifact, type Artifact, type BoardCost, type ClassMetrics } from '../model/artifact';
import { getBoard, isBoardId } from '../boards/profiles';
import { estimateCost } from '../boards/cost-model';
import { parseModelFileName } from '../train/model-store';

/** Boards the sidebar estimates when an artifact carries no cost of its own. */
export const DEFAULT_BOARDS = ['uno', 'nano33ble', 'esp32', 'rp2040'] as const;

/** `gestures@3.json` → name gestures, version 3; `gestures.json` → version null. */

export interface BoardBar {
  board: string;
  label: string;
  latencyMs: number | null;
  ramBytes: number | null;
  flashBytes: number | null;
  fits: boolean | null;
  ramLimit: number;
  flashLimit: number;
  /** Duration of one input window: inference must finish within it to keep up with the sensor. */
  latencyBudgetMs: number | null;
  /** true when the sidebar computed the figures (the artifact had none for this board). */
  estimated: boolean;
}

export interface MetricsView {
  accuracy: number;
  confusion: number[][];
}

export interface ModelVersionView {
  file: string;
  name: string;
  version: number | null;
  modified: number;
  hash?: string;
  kind?: 'classifier' | 'anomaly';
  labels?: string[];
  layers?: number;
  float?: MetricsView;
  int8?: MetricsView;
  boards?: BoardBar[];
  /** Set when the file is not a valid artifact (the rest of the list is still served). */
  error?: string;
}

export interface ModelView {
  name: string;
  versions: ModelVersionView[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function metricsView(m: ClassMetrics | undefined): MetricsView | undefined {
  if (!m || typeof m.accuracy !== 'number' || !Array.isArray(m.confusion)) return undefined;
  return { accuracy: m.accuracy, confusion: m.confusion.map((row) => (Array.isArray(row) ? row.map((v) => (typeof v === 'number' ? v : 0)) : [])) };
}

function windowMs(a: Artifact): number | null {
  const w = a.input.window;
  return w.rateHz > 0 ? (w.length / w.rateHz) * 1000 : null;
}

function barFromCost(a: Artifact, board: string, c: BoardCost): BoardBar {
  const profile = isBoardId(board) ? getBoard(board) : null;
  return {
    board,
    label: profile?.label ?? board,
    latencyMs: num(c.latencyMs),
    ramBytes: num(c.ramBytes),
    flashBytes: num(c.flashBytes),
    fits: typeof c.fits === 'boolean' ? c.fits : null,
    ramLimit: num(c.ramLimit) ?? profile?.sramBytes ?? 0,
    flashLimit: num(c.flashLimit) ?? profile?.flashBytes ?? 0,
    latencyBudgetMs: windowMs(a),
    estimated: false,
  };
}

function estimatedBars(a: Artifact): BoardBar[] {
  const bars: BoardBar[] = [];
  for (const board of DEFAULT_BOARDS) {
    try {
      const c = estimateCost(a, board);
      bars.push({
        board, label: c.boardLabel, latencyMs: c.latencyMs.value, ramBytes: c.ramBytes.value, flashBytes: c.flashBytes.value,
        fits: c.fits, ramLimit: c.ramLimit, flashLimit: c.flashLimit, latencyBudgetMs: windowMs(a), estimated: true,
      });
    } catch {
      // A board the cost model cannot estimate for this model is left out of the chart, not an error.
    }
  }
  return bars;
}

export function versionView(file: string, modified: number, a: Artifact): ModelVersionView {
  const parsed = parseModelFileName(file);
  const cost = a.cost ?? {};
  const boards = Object.keys(cost).length > 0 ? Object.entries(cost).map(([b, c]) => barFromCost(a, b, c)) : estimatedBars(a);
  return {
    file, name: parsed ? parsed.name : a.name, version: parsed ? parsed.version : null, modified,
    hash: a.hash, kind: a.kind, labels: a.labels, layers: a.layers.length,
    float: metricsView(a.metrics?.float), int8: metricsView(a.metrics?.int8), boards,
  };
}

const cache = new Map<string, { key: string; view: ModelVersionView }>();

/** Every model in `modelsDir`, by name; versions newest first. Parsed files are cached by size and mtime. */
export async function modelViews(modelsDir: string): Promise<ModelView[]> {
  let files: string[];
  try {
    files = await fs.promises.readdir(modelsDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const byName = new Map<string, ModelVersionView[]>();
  for (const file of files.filter((f) => parseModelFileName(f) !== null)) {
    const full = path.join(modelsDir, file);
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(full);
    } catch {
      continue; // removed while listing
    }
    if (!st.isFile()) continue;
    const key = `${st.size}:${st.mtimeMs}`;
    let view = cache.get(full)?.key === key ? cache.get(full)?.view : undefined;
    if (!view) {
      try {
        view = versionView(file, st.mtimeMs, parseArtifact(await fs.promises.readFile(full, 'utf8')));
      } catch (e) {
        const parsed = parseModelFileName(file);
        view = { file, name: parsed ? parsed.name : file, version: parsed ? parsed.version : null, modified: st.mtimeMs, error: (e as Error).message };
      }
      cache.set(full, { key, view });
    }
    const list = byName.get(view.name) ?? [];
    list.push(view);
    byName.set(view.name, list);
  }
  return [...byName.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([name, versions]) => ({ name, versions: versions.sort((a, b) => (b.version ?? -1) - (a.version ?? -1) || b.modified - a.modified) }));
}
